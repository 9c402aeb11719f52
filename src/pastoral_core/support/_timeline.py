"""A case's facts on a time axis, as an SVG string (no plotting dependency).

The marks come from the case itself (the request, the first response's due time and the
response, the MoU, each session by status, the closure) and, when the case's records are
given, from the facts the case state keeps no date for (reviews, referrals, facilitated
meetings, safety concerns, cessation, the notes' destruction). Every mark is one
``<g class="mark">`` with a ``<title>`` saying what it is; the text is built from ids,
statuses and dates only, never from what people typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from pastoral_core.eventlog import RecordedEvent
from pastoral_core.exceptions import InvalidType, InvalidValue
from pastoral_core.kernel import occurred_at
from pastoral_core.support._events import (
    CommitmentReviewed,
    FacilitatedMeetingHeld,
    NotesDestroyed,
    Referred,
    RequestReceived,
    SafetyConcernRaised,
    SupportCeased,
)
from pastoral_core.support._timeline_svg import Mark, draw
from pastoral_core.values import LONDON, london_date

if TYPE_CHECKING:
    from pastoral_core.support._state import Case

#: The colour and shape of each kind of mark (and of each session status), for the legend.
STYLES: dict[str, tuple[str, str]] = {
    "request received": ("diamond", "#37474f"),
    "response due": ("bar", "#6a1b9a"),
    "responded on time": ("diamond", "#2e7d32"),
    "responded late": ("diamond", "#c62828"),
    "MoU sent": ("square", "#00838f"),
    "session scheduled": ("ring", "#1565c0"),
    "session held": ("circle", "#2e7d32"),
    "session did not attend": ("circle", "#c62828"),
    "session cancelled with notice": ("ring", "#9e9e9e"),
    "session cancelled late": ("circle", "#ef6c00"),
    "review": ("triangle", "#5d4037"),
    "referral": ("square", "#ad1457"),
    "facilitated meeting": ("square", "#283593"),
    "safety concern": ("triangle", "#f9a825"),
    "support ceased": ("bar", "#000000"),
    "closed": ("diamond", "#263238"),
    "notes destroyed": ("bar", "#757575"),
}


def _midday(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=LONDON)


def _when(moment: dt.datetime) -> str:
    return moment.astimezone(LONDON).strftime("%a %d %b %Y %H:%M")


def _state_marks(case: Case) -> list[Mark]:
    request = case.request
    if request is None:
        return []
    marks = [
        Mark(request.received_at, "request", "request received", f"Request received {_when(request.received_at)}"),
        Mark(
            request.response_due_at, "request", "response due", f"First response due {_when(request.response_due_at)}"
        ),
    ]
    if case.response is not None:
        timing = "on time" if case.response.on_time else "late"
        marks.append(
            Mark(
                case.response.responded_at,
                "request",
                f"responded {timing}",
                f"Responded {_when(case.response.responded_at)} ({timing})",
            )
        )
    if case.mou_sent_at is not None:
        marks.append(Mark(case.mou_sent_at, "request", "MoU sent", f"MoU sent {_when(case.mou_sent_at)}"))
    for s in sorted(case.sessions.values(), key=lambda s: (s.starts_at.timestamp(), s.session_id)):
        status = s.status.value.replace("_", " ")
        marks.append(
            Mark(
                s.starts_at,
                f"sessions {s.recipient_id}",
                f"session {status}",
                f"Session {s.session_id} for {s.recipient_id} with {s.officer_id}, {_when(s.starts_at)}: {status}",
            )
        )
    if case.closure is not None:
        closure = case.closure
        marks.append(
            Mark(
                _midday(closure.closed_on),
                "closure",
                "closed",
                f"Closed {closure.closed_on.isoformat()}: {closure.outcome.value.replace('_', ' ')}; "
                f"notes retained until {closure.retain_until.isoformat()}",
            )
        )
    return marks


def _record_mark(record: RecordedEvent) -> Mark | None:
    event = record.event
    day = london_date(occurred_at(record))
    match event:
        case CommitmentReviewed(recipient_id=rid, decision=decision, reviewed_on=on):
            return Mark(_midday(on), "other facts", "review", f"Review for {rid} on {on.isoformat()}: {decision.value}")
        case Referred(referral_id=ref, recipient_id=rid, service=service, charged_to=charged):
            charge = f", charged to {charged}" if charged else ""
            return Mark(_midday(day), "other facts", "referral", f"Referral {ref} of {rid} to {service}{charge}, {day}")
        case FacilitatedMeetingHeld(meeting_id=mid, kind=kind, held_on=on):
            text = f"Facilitated {kind.value.replace('_', ' ')} {mid} on {on.isoformat()}"
            return Mark(_midday(on), "other facts", "facilitated meeting", text)
        case SafetyConcernRaised(concern_id=cid):
            return Mark(_midday(day), "other facts", "safety concern", f"Safety concern {cid} raised {day}")
        case SupportCeased(on=on):
            return Mark(_midday(on), "closure", "support ceased", f"Support ceased {on.isoformat()}")
        case NotesDestroyed(note_ids=notes, early=early):
            when = "early, with a recorded reason" if early else "after retention"
            return Mark(_midday(day), "closure", "notes destroyed", f"{len(notes)} note(s) destroyed {day} ({when})")
    return None


def _who_and_when(request: RequestReceived) -> tuple[object, ...]:
    """What identifies a request whether or not its typed text was redacted since."""
    return request.received_at, request.recipients, request.practice_id, request.nation


def _records(case: Case, records: Iterable[RecordedEvent]) -> list[RecordedEvent]:
    try:
        listed = list(records)
    except TypeError:
        raise InvalidType("case_timeline", "records", "must be the case's recorded events") from None
    if not all(isinstance(r, RecordedEvent) for r in listed):
        raise InvalidType("case_timeline", "records", "must be the case's recorded events")
    if len({r.stream_id for r in listed}) > 1:
        raise InvalidValue("case_timeline", "records", "must all be of one case's stream")
    received = [_who_and_when(r.event) for r in listed if isinstance(r.event, RequestReceived)]
    if listed and (case.request is None or received != [_who_and_when(case.request)]):
        raise InvalidValue("case_timeline", "records", "must be this case's: their request is not the case's")
    return listed


def case_marks(case: Case, records: Iterable[RecordedEvent] = ()) -> tuple[Mark, ...]:
    """The marks of a case's timeline: one per fact, in time order (see :func:`case_timeline`).

    Raises:
        InvalidType: If ``records`` are not recorded events.
        InvalidValue: If they are of several streams, or of another case than ``case``.
    """
    marks = _state_marks(case)
    marks.extend(m for m in (_record_mark(r) for r in _records(case, records)) if m is not None)
    return tuple(sorted(marks, key=lambda m: m.moment.timestamp()))


def case_timeline(case: Case, records: Iterable[RecordedEvent] = (), *, width: int = 760) -> str:
    """An SVG timeline of a case: one mark per fact on a dated horizontal axis.

    Marks, each with a ``<title>`` (what, who, when): the request received, the first
    response's due time, the response (on time or late), the MoU sent, each session at
    its start coloured by its status, and the closure. The case keeps no date for some
    facts; give the case's ``records`` (``store.read_stream("case-<id>")``) to mark them
    too: reviews, referrals, facilitated meetings, safety concerns, cessation of support
    and the notes' destruction. A legend names the marks shown. No free text appears.

    Args:
        case: The case (a ``Case`` folded from its stream).
        records: The case's recorded events, for the facts the state holds no date for.
        width: Width of the drawing in pixels (320 to 4,000).

    Returns:
        An ``<svg>`` element as a string (SVG 1.1, its own namespace), ready to embed in HTML.

    Raises:
        InvalidType: If ``case`` is not a ``Case`` or ``records`` are not recorded events.
        InvalidValue: If ``width`` is out of range or the records are of several streams
            or of another case.
    """
    from pastoral_core.support._state import Case  # the state imports this module for its HTML

    if not isinstance(case, Case):
        raise InvalidType("case_timeline", "case", f"must be a Case, got {type(case).__name__}")
    if isinstance(width, bool) or not isinstance(width, int) or not 320 <= width <= 4000:
        raise InvalidValue("case_timeline", "width", "must be a whole number of pixels from 320 to 4,000")
    title = "Case timeline"
    if case.request is not None:
        title += f" from {london_date(case.request.received_at).isoformat()}"
    marks = case_marks(case, records)
    footnote = ""
    if case.notes_destroyed and not any(m.label == "notes destroyed" for m in marks):
        footnote = "Notes destroyed: give the case's records to date it."
    return draw(marks, STYLES, title=title, width=width, footnote=footnote)
