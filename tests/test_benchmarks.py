"""The benchmark scripts run (on tiny inputs) so they cannot rot; timings are not asserted."""

import pathlib
import runpy

BENCHMARKS = pathlib.Path(__file__).resolve().parents[1] / "benchmarks"


def test_eventlog_benchmark_appends_and_replays_every_event(capsys):
    module = runpy.run_path(str(BENCHMARKS / "bench_eventlog.py"))
    result = module["main"](["--events", "2000", "--batch", "10", "--streams", "7", "--memory"])
    assert result["events"] == 2000
    out = capsys.readouterr().out
    assert "append:" in out and "replay:" in out and "peak memory:" in out


def test_codec_benchmark_round_trips_and_reports(capsys):
    module = runpy.run_path(str(BENCHMARKS / "bench_codec.py"))
    result = module["main"](["--events", "300"])
    assert result["events"] == 300
    assert "fast/detailed:" in capsys.readouterr().out


def test_screening_benchmark_times_the_inputs_the_unit_test_screens(capsys):
    from tests.rules.test_screening import ADVERSARIAL

    module = runpy.run_path(str(BENCHMARKS / "bench_screening.py"))
    assert module["ADVERSARIAL"] == ADVERSARIAL
    result = module["main"](["--mb", "0.01", "--repeat", "1"])
    assert result["ordinary note"] > 0 and len(result) == len(ADVERSARIAL) + 3
    assert "ordinary note:" in capsys.readouterr().out
