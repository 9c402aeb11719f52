"""Case decisions about safety, disclosure, conduct and closure: PSN-SAFETY, -CONFIDENTIAL, -CONDUCT, -CLOSE."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from pastoral_core.eventlog import Event
from pastoral_core.rules import Judge
from pastoral_core.support import _commands as cmd
from pastoral_core.support import _events as ev
from pastoral_core.support._case_common import cancel_pending
from pastoral_core.support._context import SupportContext
from pastoral_core.support._model import (
    DisclosureBasis,
)
from pastoral_core.support._policies import (
    Closure,
    Confidentiality,
    NoteRetention,
    PatientSafety,
    ZeroTolerance,
)
from pastoral_core.support._state import Case, Concern
from pastoral_core.values import london_date


def raise_safety_concern(
    case: Case, command: cmd.RaiseSafetyConcern, context: SupportContext, judge: Judge
) -> list[Event]:
    judge.refuse_unless(command.concern_id not in case.concerns, f"concern {command.concern_id} already exists")
    return [ev.SafetyConcernRaised(command.concern_id, command.actor)]


def _open_concern(case: Case, judge: Judge, concern_id: str) -> Concern:
    concern = case.concerns.get(concern_id)
    judge.refuse_unless(concern is not None, f"there is no concern {concern_id}")
    assert concern is not None
    judge.refuse_unless(not concern.resolved, f"concern {concern_id} is already resolved")
    return concern


def seek_safety_guidance(
    case: Case, command: cmd.SeekSafetyGuidance, context: SupportContext, judge: Judge
) -> list[Event]:
    _open_concern(case, judge, command.concern_id)
    return [ev.SafetyGuidanceSought(command.concern_id, command.source)]


def resolve_safety_concern(
    case: Case, command: cmd.ResolveSafetyConcern, context: SupportContext, judge: Judge
) -> list[Event]:
    concern = _open_concern(case, judge, command.concern_id)
    judge.check(
        judge.rule(PatientSafety),
        concern.guidance_sought,
        f"guidance has not been sought on concern {command.concern_id}; seek it before recording an outcome",
        "guidance was sought",
    )
    return [ev.SafetyConcernResolved(command.concern_id, command.outcome)]


def record_disclosure(case: Case, command: cmd.RecordDisclosure, context: SupportContext, judge: Judge) -> list[Event]:
    judge.refuse_unless(
        command.disclosure_id not in case.disclosures, f"disclosure {command.disclosure_id} already exists"
    )
    rule = judge.rule(Confidentiality)
    bases = ", ".join(b.value.replace("_", " ") for b in rule.bases)
    judge.refuse_unless(
        command.basis is not None and command.basis in rule.bases,
        f"a disclosure outside the network needs a basis: {bases}",
        rule=rule,
        success=f"basis: {command.basis.value if command.basis else ''}",
    )
    assert command.basis is not None
    if command.basis is DisclosureBasis.PATIENT_SAFETY:
        judge.check(
            rule,
            bool(case.concerns),
            "a patient-safety disclosure needs a patient-safety concern raised on the case",
            "a patient-safety concern is on record",
        )
    return [ev.DisclosureRecorded(command.disclosure_id, command.recipient_body, command.basis)]


def report_aggression(case: Case, command: cmd.ReportAggression, context: SupportContext, judge: Judge) -> list[Event]:
    return [ev.AggressionReported(command.actor, london_date(command.occurred))]


def cease_support(case: Case, command: cmd.CeaseSupport, context: SupportContext, judge: Judge) -> list[Event]:
    judge.check(
        judge.rule(ZeroTolerance),
        case.aggression_reported,
        "support may be ceased only after aggressive behaviour is reported",
        "aggressive behaviour is on record",
    )
    on = london_date(command.occurred)
    return [ev.SupportCeased(on), *cancel_pending(case, None, on)]


def close_case(case: Case, command: cmd.CloseCase, context: SupportContext, judge: Judge) -> list[Event]:
    open_concerns = case.open_concerns
    judge.check(
        judge.rule(PatientSafety),
        not open_concerns,
        f"patient-safety concern(s) still open: {', '.join(open_concerns)}",
        "no open patient-safety concern",
    )
    closure = judge.rule(Closure)
    judge.check(
        closure,
        command.outcome in closure.outcomes,
        f"{command.outcome.value} is not an outcome this rulebook allows",
        f"closed: {command.outcome.value}",
    )
    closed_on = london_date(command.occurred)
    # Retention runs from the later of the day it closed and the day that was recorded, by
    # the longer of the periods in force on those two days, so back-dating a closure (even
    # into an earlier version of the rulebook) can never shorten it.
    counted_from = max(closed_on, london_date(command.at))
    entered = context.rulebooks.in_force(command.at)
    retention, book = max(
        ((judge.rule(NoteRetention), judge.book.label), (entered.rule(NoteRetention), entered.label)),
        key=lambda pair: pair[0].years,
    )
    retain_until: dt.date = counted_from + relativedelta(years=retention.years)
    judge.check(
        retention,
        True,
        "",
        f"notes kept until {retain_until.isoformat()}, {retention.years} years from {counted_from.isoformat()}",
        rulebook=book,
    )
    return [
        *cancel_pending(case, None, closed_on),
        ev.CaseClosed(command.outcome, closed_on, retain_until),
    ]
