"""What the package declares: dependency floors that know the UK's one-off bank holidays, a zone database on any OS, one version."""

import datetime as dt
import importlib.util
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from pastoral_core.rules import WorkingCalendar
from tests.rules.test_calendar import london

ROOT = Path(__file__).resolve().parents[1]

# One-off bank holidays: a holidays release without them counts a working day too many.
ONE_OFF = [
    ("ENG", dt.date(2022, 9, 19)),  # the State Funeral of Queen Elizabeth II, every nation
    ("WLS", dt.date(2022, 9, 19)),
    ("SCT", dt.date(2022, 9, 19)),
    ("NIR", dt.date(2022, 9, 19)),
    ("ENG", dt.date(2023, 5, 8)),  # the Coronation of King Charles III
    ("SCT", dt.date(2026, 6, 15)),  # Scotland only (holidays 0.91 and later)
]


@pytest.mark.parametrize(("nation", "day"), ONE_OFF)
def test_a_one_off_bank_holiday_is_not_a_working_day(nation, day):
    calendar = WorkingCalendar(nation=nation)
    assert day.weekday() == 0  # each fell on a Monday
    assert not calendar.is_working_day(day)
    # received the Friday before at 16:00 (counting from Friday), two working days after
    # it: Tuesday and Wednesday, the Monday being a bank holiday
    friday = day - dt.timedelta(days=3)
    assert calendar.due_by(london(friday.year, friday.month, friday.day, 16), 2).date() == day + dt.timedelta(days=2)


def test_scotlands_15_june_2026_is_scotlands_alone():
    assert WorkingCalendar(nation="ENG").is_working_day(dt.date(2026, 6, 15))
    friday = london(2026, 6, 12, 16)
    assert WorkingCalendar(nation="ENG").due_by(friday, 2).date() == dt.date(2026, 6, 16)
    assert WorkingCalendar(nation="SCT").due_by(friday, 2).date() == dt.date(2026, 6, 17)


def test_the_declared_holidays_floor_is_a_release_that_knows_every_one_off_day():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    floor = next(d for d in declared if d.startswith("holidays"))
    assert floor == "holidays>=0.91"  # 0.90 does not know 15 June 2026 in Scotland


@pytest.mark.skipif(importlib.util.find_spec("tzdata") is None, reason="tzdata is not installed")
def test_europe_london_resolves_from_tzdata_when_no_system_zone_database_is_found():
    # As on Windows: PYTHONTZPATH empty, so zoneinfo falls back to the tzdata package
    code = (
        "import zoneinfo, datetime as dt; from pastoral_core.rules import WorkingCalendar; "
        "assert zoneinfo.TZPATH == (); "
        "d = WorkingCalendar().due_by(dt.datetime(2026, 12, 24, 16, tzinfo=zoneinfo.ZoneInfo('Europe/London')), 2); "
        "print(d.isoformat())"
    )
    env = {**os.environ, "PYTHONTZPATH": ""}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2026-12-30T17:00:00+00:00"


def test_the_version_lives_in_one_place():
    import importlib.metadata

    import pastoral_core

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "version" not in project and project["dynamic"] == ["version"]
    assert importlib.metadata.version("pastoral-core") == pastoral_core.__version__
