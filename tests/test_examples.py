"""The worked examples run as part of the suite, so they cannot rot."""

import pathlib
import runpy

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"


def test_quickstart_prints_the_due_date_and_the_holidays_that_moved_it(capsys):
    runpy.run_path(str(EXAMPLES / "quickstart.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "Request received: Thursday 24 December 2026, 16:00 (England)" in out
    assert "First response due by Wednesday 30 December 2026, 17:00 GMT" in out
    for holiday in (
        "Friday 25 December 2026: Christmas Day",
        "Monday 28 December 2026: Boxing Day (observed)",
    ):
        assert holiday in out
    assert "Had it arrived at 17:00 instead: Thursday 31 December 2026, 17:00 GMT" in out
    assert "SCT: due by Wed 06 Jan 2027 17:00 GMT" in out
