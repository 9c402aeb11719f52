"""Case decisions about the request: receipt, first response (PSN-RESPONSE), the MoU, PSN-SECOND's flag."""

from __future__ import annotations

from collections.abc import Sequence

from pastoral_core.eventlog import Event
from pastoral_core.rules import HOLIDAYS_DATA_VERSION, NATIONS, Judge, Outcome
from pastoral_core.support import _commands as cmd
from pastoral_core.support import _events as ev
from pastoral_core.support._context import SupportContext
from pastoral_core.support._model import (
    DifficultyKind,
    Recipient,
    RecipientKind,
)
from pastoral_core.support._policies import (
    ResponseTime,
    SecondOfficer,
)
from pastoral_core.support._state import Case
from pastoral_core.values import instant, london_date


def receive_request(case: Case, command: cmd.ReceiveRequest, context: SupportContext, judge: Judge) -> list[Event]:
    judge.refuse_unless(not case.received, "this case has already received its request")
    received_at = command.occurred
    judge.refuse_unless(
        command.nation in NATIONS,
        f"nation must be one of {', '.join(NATIONS)}",
        invalid_input=True,
    )
    judge.refuse_unless(bool(command.recipients), "a request names at least one recipient", invalid_input=True)
    ids = [r.recipient_id for r in command.recipients]
    judge.refuse_unless(len(set(ids)) == len(ids), "recipient ids must be distinct", invalid_input=True)
    recipients = tuple(command.recipients)
    if command.kind is RecipientKind.PRACTICE:
        judge.refuse_unless(bool(command.practice_id), "a practice case needs the practice id", invalid_input=True)
        judge.refuse_unless(
            all(r.kind is not RecipientKind.PRACTICE for r in command.recipients),
            "list the practice's members as recipients; the practice itself is added",
            invalid_input=True,
        )
        recipients = (Recipient(str(command.practice_id), RecipientKind.PRACTICE), *recipients)
    else:
        judge.refuse_unless(
            len(command.recipients) == 1 and command.recipients[0].kind is command.kind,
            f"an individual {command.kind.value} case names exactly that one recipient",
            invalid_input=True,
        )
    judge.refuse_unless(
        command.difficulty is DifficultyKind.INTERNAL or bool(command.external_body),
        "an external difficulty names the body (e.g. NHS England, ICB, GMC, CQC)",
        invalid_input=True,
    )
    rule = judge.rule(ResponseTime)
    due = rule.calendar(command.nation).explain_due(received_at, rule.working_days)
    judge.check(rule, True, "", f"first response {due}", used={"holidays": HOLIDAYS_DATA_VERSION})
    return [
        ev.RequestReceived(
            received_at,
            command.kind,
            recipients,
            command.practice_id,
            command.nation,
            command.difficulty,
            command.external_body,
            command.complex,
            due.due_at,
        )
    ]


def respond_to_request(case: Case, command: cmd.RespondToRequest, context: SupportContext, judge: Judge) -> list[Event]:
    judge.refuse_unless(case.response is None, "the request has already had its first response")
    assert case.request is not None
    due = case.request.response_due_at
    responded = command.occurred
    on_time = instant(responded) <= instant(due)
    book = context.rulebooks.in_force(case.request.received_at)  # the version that set the deadline
    judge.check(
        book.rule(ResponseTime),
        on_time,
        f"first response at {responded.isoformat()} was after it was due ({due.isoformat()})",
        f"responded by {due.isoformat()}",
        outcome=Outcome.FLAG,
        rulebook=book.label,
        used={"holidays": HOLIDAYS_DATA_VERSION},
    )
    return [ev.Responded(responded, due, on_time)]


def send_mou(case: Case, command: cmd.SendMou, context: SupportContext, judge: Judge) -> list[Event]:
    return [ev.MouSent(command.terms_version, command.occurred)]


def second_officer_flag(
    case: Case, command: cmd.SupportCommand, context: SupportContext, judge: Judge, events: Sequence[Event]
) -> None:
    """PSN-SECOND, after every case command: flag (once) a partnership or complex case with no second officer."""
    request = case.request
    if request is None or case.second_officer or judge.already_flagged("PSN-SECOND"):
        return
    if case.closed or case.ceased:  # support is over: nothing left to consult on
        return
    if not (request.kind is RecipientKind.PRACTICE or request.complex):
        return
    if any(isinstance(e, ev.SecondOfficerAdded) for e in events):
        return
    rule = judge.rule(SecondOfficer)
    calendar = judge.rule(ResponseTime).calendar(request.nation)
    today = london_date(command.occurred)
    elapsed = calendar.working_days_between(calendar.counts_from(request.received_at), today)
    judge.check(
        rule,
        elapsed <= rule.flag_after_working_days,
        f"no second officer {elapsed} working days after receipt of a partnership or complex case "
        f"(received {london_date(request.received_at).isoformat()}, as of {today.isoformat()})",
        f"{elapsed} of {rule.flag_after_working_days} working days without a second officer "
        f"(received {london_date(request.received_at).isoformat()}, as of {today.isoformat()})",
        outcome=Outcome.FLAG,
        used={"holidays": HOLIDAYS_DATA_VERSION},
    )
