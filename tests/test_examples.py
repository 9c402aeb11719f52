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


def executed(name: str):
    """The notebook ``name`` after running every cell (it must be committed without outputs)."""
    import nbclient
    import nbformat

    notebook = nbformat.read(EXAMPLES / name, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), (
        f"{name} must be committed without outputs"
    )
    nbclient.NotebookClient(
        notebook, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(EXAMPLES)}}
    ).execute()
    return notebook


def outputs(notebook) -> list:
    return [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.get("outputs", [])]


def run_notebook(name: str) -> str:
    return "".join(out.get("text", "") for out in outputs(executed(name)))


def test_pastoral_support_notebook_runs_and_tells_the_story():
    out = run_notebook("pastoral_support.ipynb")
    assert "due by Wed 30 Dec 2026 17:00 GMT (bank holidays: Fri 25 Dec 2026 Christmas Day;" in out
    for refusal in (
        "PSN-SEPARATE (MOU LMC 8) deny",
        "PSN-MOU-FIRST (MOU intro) deny",
        "PSN-ALLOWANCE (MOU LMC 4, CLIENT 4) deny",
        "PSN-SWITCH (MOU LMC 6) deny",
        "PSN-NOTE-SENSITIVE (MOU NOTE 1) deny",
        "PSN-RETENTION (MOU NOTE 1",
    ):
        assert refusal in out
    assert "943 476 5919" not in out.split("A note with an NHS number in it:")[1]
    assert "Session 7 costs £75.00: LMC £37.50, gp-partner-1 £37.50" in out
    assert "Closed 2027-03-31: compromise; notes kept until 2033-03-31" in out
    assert "text still in the log: False; log verifies: True" in out


def test_peer_support_groups_notebook_runs_and_reports_minutes_costs_and_wellbeing():
    out = run_notebook("peer_support_groups.ipynb")
    assert "Approved: g-balint, g-days, g-reflect" in out
    for refusal in (
        "GPS-REMIT (GPS concept",
        "GPS-INDEPENDENT (GPS offering",
        "GPS-LENGTH (GPS vision",
        "GPS-FUNDING-CAP (GPS offering",
        "GPS-EVALUATION (GPS concept",
    ):
        assert refusal in out
    assert "flagged GPS-SIZE: 13 attendees is above circa 12" in out
    assert "this meeting would take funded minutes to 960 of 900; mark at least 60 minutes as self-funded" in out
    # 4 x £90 before the 1 October tariff change and 6 x £99 after; days 270 + 297; 9 x 90 + 99.
    for line in (
        "g-balint     900     0    954.00",
        "g-days       540   360    567.00",
        "g-reflect    900     0    909.00",
    ):
        assert line in out
    assert "balint-5 on 2026-10-03: £66.00/h -> £99.00" in out
    assert "WEMWBS over 11 attendees: 42.09 -> 49.09 (change +7.00)" in out


def test_portfolio_plus_notebook_ranks_introduces_flags_and_reports_retention():
    out = run_notebook("portfolio_plus.ipynb")
    assert "20 opportunities listed" in out
    assert "MINIMAL (DERIVED" in out and "0115" not in out.split("MINIMAL")[1].split("\n")[0]
    assert "PP-TEAM (PP a small team of GPs" in out
    assert "7  role-mansfield-salaried: shares your interests: minor surgery; in your area (Mansfield)" in out
    assert "Why m-davies is not offered the Bassetlaw partnership: it needs 6 sessions a week; 2 are available" in out
    assert "flagged PP-FRESH: role-newark-research was last reviewed 48 days ago" in out
    assert "After a review: none stale" in out
    assert "PP-OUTCOME (PP" in out
    assert "4 of 5 members still in general practice: retention 80.00%" in out


def test_lmc_dashboard_notebook_asks_a_year_every_question_and_shows_tables_charts_and_a_timeline():
    import xml.etree.ElementTree as ElementTree

    shown = outputs(executed("lmc_dashboard.ipynb"))
    text = "".join(out.get("text", "") for out in shown)
    pages = [out["data"]["text/html"] for out in shown if "text/html" in out.get("data", {})]
    charts = [out for out in shown if "image/png" in out.get("data", {})]
    assert "1,998 cases, 9 peer groups, 60 members" in text
    # pandas read the rows with proper dtypes
    assert "requests                int64" in text
    assert "str" in text.split("month")[1].split("\n")[0]
    # every read model rendered as a table of its own
    for caption in (
        "First responses (PSN-RESPONSE) by month received and nation",
        "What-if totals",
        "Still in general practice after sign-up",
    ):
        assert any(f"<caption>{caption}</caption>" in page for page in pages), caption
    assert len(charts) == 2
    # the case's timeline is valid SVG
    svgs = [page[page.index("<svg") : page.index("</svg>") + 6] for page in pages if "<svg" in page]
    assert len(svgs) == 2  # the case shown, and its timeline dated from its records
    assert all(ElementTree.fromstring(svg).tag.endswith("svg") for svg in svgs)
    # an explanation names the bank holiday, a refusal its rule, as-of both clocks, what-if its mode
    assert "(bank holidays: Mon 04 May 2026 May Day)" in text
    assert "PSN-ROSTER (MOU LMC 2, 6) refused: officer off-unknown is not enrolled in the network" in text
    assert "by recorded time: 912 cases" in text and "by business time: 913 cases" in text
    assert "As recorded (each decision taken again on the real state just before it, no cascade)" in text
    assert "refused: 248 of 248 case.review_commitment" in text
    assert text.count("Counterfactual (each decision taken again") == 1
