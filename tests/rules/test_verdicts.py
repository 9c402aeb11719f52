import datetime as dt
from typing import ClassVar

import attrs
import pytest

from pastoral_core.exceptions import InvalidValue
from pastoral_core.rules import Citation, Outcome, Override, Refused, Verdict, verdict


@attrs.frozen
class ResponseTimeLike:
    rule_id: ClassVar[str] = "PSN-RESPONSE"
    citation: ClassVar[Citation] = Citation("MOU", "LMC 4")
    working_days: int = 2
    cutoff: dt.time = dt.time(17)


def test_citation_reads_as_source_and_clause():
    assert str(Citation("MOU", "LMC 4")) == "MOU LMC 4"


def test_verdict_helper_fills_rule_id_citation_and_parameters():
    v = verdict(ResponseTimeLike(), Outcome.FLAG, "responded after the due time")
    assert v.rule_id == "PSN-RESPONSE"
    assert v.citation == Citation("MOU", "LMC 4")
    assert v.parameters == (("cutoff", "17:00"), ("working_days", "2"))
    assert not v.denied
    assert str(v) == "PSN-RESPONSE (MOU LMC 4) flag: responded after the due time [cutoff=17:00, working_days=2]"


def test_verdict_parameters_are_frozen_and_sorted_whatever_they_come_as():
    a = Verdict("X-1", Outcome.DENY, "m", Citation("GPS", "offering"), {"b": 2, "a": 1})
    b = Verdict("X-1", Outcome.DENY, "m", Citation("GPS", "offering"), [("a", "1"), ("b", "2")])
    assert a == b and hash(a) == hash(b) and a.denied


def test_refused_lists_every_failed_rule_with_its_clause():
    refused = Refused(
        [
            Verdict("PSN-MOU-FIRST", Outcome.DENY, "the MoU has not been sent", Citation("MOU", "intro")),
            Verdict("PSN-ALLOWANCE", Outcome.DENY, "6 of 6 sessions used", Citation("MOU", "LMC 4")),
        ]
    )
    assert refused.rule_ids == ("PSN-MOU-FIRST", "PSN-ALLOWANCE")
    message = str(refused)
    assert message.startswith("refused by 2 rule(s):")
    assert "PSN-MOU-FIRST (MOU intro) deny: the MoU has not been sent" in message
    assert "PSN-ALLOWANCE (MOU LMC 4) deny: 6 of 6 sessions used" in message


def test_refused_needs_a_verdict():
    with pytest.raises(ValueError, match="at least one verdict"):
        Refused([])


@pytest.mark.parametrize(
    ("reason", "by", "field"),
    [("", "coord-1", "reason"), ("  ", "coord-1", "reason"), ("urgent", "", "by"), ("urgent", 7, "by")],
)
def test_override_needs_a_reason_and_who(reason, by, field):
    with pytest.raises(InvalidValue, match=f"Override.{field}: "):
        Override("PSN-SKILLS", reason, by)


def test_override_records_rule_reason_and_who():
    o = Override("PSN-SKILLS", "only officer with dispute experience", "coord-1")
    assert (o.rule_id, o.by) == ("PSN-SKILLS", "coord-1")


def test_a_table_of_dated_values_reads_as_dates_and_amounts():
    import datetime as dt
    from decimal import Decimal

    from pastoral_core.peer_groups import Tariff
    from pastoral_core.rules import render_parameter

    table = (Tariff(dt.date(2026, 4, 1), Decimal("60.00")), Tariff(dt.date(2027, 4, 1), Decimal("66.00")))
    assert render_parameter(table) == "(2026-04-01 60.00, 2027-04-01 66.00)"
