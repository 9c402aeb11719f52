"""The comparison with eventsourcing runs (on tiny inputs) so it cannot rot; timings are never asserted."""

import contextlib
import io
import math
import pathlib
import runpy

import pytest

pytest.importorskip("eventsourcing")

BENCHMARK = pathlib.Path(__file__).resolve().parents[1] / "benchmarks" / "performance.py"
TINY = [
    *("--cases", "14", "--templates", "5", "--commands", "12", "--command-cases", "4"),
    *("--long-commands", "3", "--min-events", "100", "--max-events", "1000", "--repeat", "1"),
    *("--read-model-events", "400"),
]


@pytest.fixture(scope="module")
def module():
    return runpy.run_path(str(BENCHMARK))


@pytest.fixture(scope="module")
def run(module):
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        figures = module["main"](TINY)  # the rebuild without orjson runs in a second process
    return figures, printed.getvalue()


@pytest.fixture(scope="module")
def figures(run):
    return run[0]


def test_the_table_and_every_target_line_are_printed(run):
    out, printed = run
    assert printed.startswith("pastoral_core ") and "orjson installed:" in printed
    head = "| Work | pastoral_core | eventsourcing default | eventsourcing best | plain mutable loop |"
    assert head in printed and out["table"] in printed
    for row in ("rebuild 14 cases from JSON", "replay only", "command path", "one 10-event case", "due_by"):
        assert f"| {row}" in printed
    assert printed.count("(target ") == len(out["targets"]) == 11
    assert "ran in" in printed


def test_every_figure_is_produced(figures):
    numbers = {
        "rebuild": ("pastoral_core", "es_default", "es_best", "json_loads", "pastoral_core_without_orjson"),
        "replay": ("pastoral_core", "es_default", "es_best", "plain"),
        "command": ("pastoral_core", "es_default", "es_best"),
        "one_case": ("pastoral_core", "es_default", "es_best", "plain"),
        "due_by": ("pastoral_core", "plain", "new_moments", "set_lookup"),
        "read_models": ("seconds", "peak_mib", "text_mib"),
    }
    for section, names in numbers.items():
        for name in names:
            value = figures[section][name]
            assert isinstance(value, float) and math.isfinite(value) and value > 0, (section, name, value)
    for stream in ("long_small", "long_large"):
        assert figures["command"][stream]["per_command_us"] > 0
    assert figures["command"]["long_small"]["events"] == 1000 == figures["command"]["long_large"]["events"]
    lin = figures["linearity"]
    assert sorted(lin["fold"], key=int) == ["100", "1000"] == sorted(lin["rebuild"], key=int)
    assert len(lin["fold_ratios"]) == len(lin["rebuild_ratios"]) == 1
    assert set(figures["read_models"]["rows"]) == {
        "ResponseTimes",
        "OfficerLoads",
        "Allowances",
        "Payments",
        "NotesDue",
    }
    for line in figures["targets"]:
        assert line["value"] is not None and isinstance(line["met"], bool), line
    assert figures["pastoral_core_version"] and figures["eventsourcing_version"] == "9.5.6"


def test_both_libraries_folded_the_same_cases_to_the_same_outcome(figures):
    checks = figures["checks"]
    folded = checks["events_folded"]
    assert folded["pastoral_core"] == folded["es_default"] == folded["es_best"] > 14 * 20
    assert checks["same_held_sessions_per_case"] and checks["replay_same_held_sessions"]
    assert checks["command_same_notes"]
    one = figures["one_case"]
    assert one["pastoral_core_version"] == one["es_default_version"] == one["es_best_version"] == one["events"] == 10


def test_the_rebuild_alone_runs_for_the_no_orjson_process(module):
    result = module["main"](["--only-rebuild", "--cases", "6", "--templates", "3", "--repeat", "1"])
    assert result["pastoral_core"] > 0 and isinstance(result["orjson_importable"], bool)
