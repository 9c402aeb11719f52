"""A Case and the network's officers as rows of plain values: what ``Case.to_rows()`` returns.

One row per fact or item, under fixed columns (:data:`CASE_COLUMNS`). Never free text:
no note, reason, intervention or body typed by a person is shown, only ids, dates,
statuses and counts, so a table can be shown wherever the case's ids may be.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pastoral_core.support._model import Funding, Payer, RecipientKind, Tranche
from pastoral_core.tables import Cell, Row
from pastoral_core.values import london_date

if TYPE_CHECKING:
    from pastoral_core.support._directory import Directory
    from pastoral_core.support._state import Case, Engagement

#: A case's columns: ``what`` the fact is, the ``id`` of its item (session, referral,
#: concern), the London date ``on`` and moment ``at`` it happened (``at`` only where the
#: case holds a time), ``who`` it concerns (opaque ids), its ``status``, a ``number``
#: (sessions used, notes kept) and a plain-text ``detail`` built from ids, labels and dates.
CASE_COLUMNS = ("what", "id", "on", "at", "who", "status", "number", "detail")

#: The network's columns: one row per officer ever enrolled.
DIRECTORY_COLUMNS = ("officer_id", "background", "practice_id", "skills", "status")


def _row(
    what: str,
    *,
    id: str | None = None,
    on: dt.date | None = None,
    at: dt.datetime | None = None,
    who: str | None = None,
    status: str | None = None,
    number: int | None = None,
    detail: str | None = None,
) -> Row:
    day = london_date(at) if at is not None and on is None else on
    values: tuple[Cell, ...] = (what, id, day, at, who, status, number, detail)
    return dict(zip(CASE_COLUMNS, values, strict=True))


def funding_text(funding: Funding | None) -> str:
    """Who pays for an extension's sessions, as a table shows it."""
    if funding is None:
        return "paid by the LMC"
    if funding.payer is Payer.SHARED:
        return f"shared: {funding.recipient_percent}% recipient side, the rest the LMC"
    return f"paid by the {funding.payer.value}"


def _engagement_status(case: Case, engagement: Engagement) -> str:
    if engagement.concluded:
        return "concluded"
    if case.closed or case.ceased:
        return "ended"
    return "active" if engagement.lead else "awaiting officer"


def _tranche_text(tranche: Tranche) -> str:
    window = f", window to {tranche.window_ends.isoformat()}" if tranche.window_ends else ", window from first session"
    return f"up to {tranche.allowed_total} sessions{window}"


def _engagement_rows(case: Case) -> list[Row]:
    rows = []
    for recipient_id, e in sorted(case.engagements.items()):
        officers = ", ".join(e.officers) or "none"
        parts = [f"{e.recipient.kind.value}; officers {officers}"]
        if e.lead:
            parts.append(f"lead {e.lead}")
        if e.switched_from:
            parts.append(f"switched from {', '.join(sorted(e.switched_from))}")
        parts.append(f"{e.used} session(s) counted")
        if e.tranches:
            parts.append(f"initial allowance {_tranche_text(e.tranches[0])}")
        rows.append(
            _row(
                "engagement",
                on=e.first_session_on,
                who=recipient_id,
                status=_engagement_status(case, e),
                number=e.used,
                detail="; ".join(parts),
            )
        )
        for n, tranche in enumerate(e.tranches[1:], start=1):
            rows.append(
                _row(
                    "extension",
                    id=f"{recipient_id}/{n}",
                    on=None,
                    who=recipient_id,
                    status="extended",
                    number=tranche.allowed_total,
                    detail=f"{_tranche_text(tranche)}; {funding_text(tranche.funding)}",
                )
            )
        if e.concluded:
            rows.append(_row("review", who=recipient_id, status="concluded", number=e.used))
    return rows


def _request_rows(case: Case) -> list[Row]:
    request = case.request
    if request is None:
        return []
    members = [r.recipient_id for r in request.recipients if r.kind is not RecipientKind.PRACTICE]
    parts = [request.nation, f"{request.difficulty.value} difficulty"]
    if request.practice_id:
        parts.append(f"practice {request.practice_id}")
    if request.complex:
        parts.append("complex")
    rows = [
        _row(
            "request received",
            at=request.received_at,
            who=", ".join(members),
            status=request.kind.value,
            number=len(request.recipients),
            detail="; ".join(parts),
        ),
        _row("response due", at=request.response_due_at, status="due"),
    ]
    if case.response is not None:
        late = "on time" if case.response.on_time else "late"
        rows.append(_row("responded", at=case.response.responded_at, status=late))
    if case.mou_sent_at is not None:
        rows.append(_row("MoU sent", at=case.mou_sent_at))
    return rows


def _item_rows(case: Case) -> list[Row]:
    rows = []
    if case.second_officer:
        rows.append(_row("second officer", who=case.second_officer, status="allocated"))
    for parties in sorted(", ".join(sorted(d)) for d in case.disputes):
        rows.append(_row("dispute", who=parties, status="recorded"))
    for s in sorted(case.sessions.values(), key=lambda s: (s.starts_at.timestamp(), s.session_id)):
        rows.append(
            _row(
                "session",
                id=s.session_id,
                at=s.starts_at,
                who=s.recipient_id,
                status=s.status.value,
                detail=f"with {s.officer_id}",
            )
        )
    for referral_id, referral in sorted(case.referrals.items()):
        answer = case.answers.get(referral_id)
        charged = f"; charged to {referral.charged_to}" if referral.charged_to else ""
        rows.append(
            _row(
                "referral",
                id=referral_id,
                who=referral.recipient_id,
                status=answer.value if answer else "awaiting answer",
                detail=f"{referral.service}{charged}",
            )
        )
    rows.extend(_row("facilitated meeting", id=m, status="held") for m in sorted(case.meetings))
    for concern in sorted(case.concerns.values(), key=lambda c: c.concern_id):
        status = "resolved" if concern.resolved else "guidance sought" if concern.guidance_sought else "open"
        rows.append(_row("safety concern", id=concern.concern_id, status=status))
    rows.extend(_row("disclosure", id=d, status="recorded") for d in sorted(case.disclosures))
    rows.extend(_row("intervention declined", status="declined") for _ in case.declined)
    return rows


def _ending_rows(case: Case) -> list[Row]:
    rows = []
    if case.note_ids or case.notes_destroyed:
        rows.append(_row("notes", status="destroyed" if case.notes_destroyed else "kept", number=len(case.note_ids)))
    if case.aggression_reported:
        rows.append(_row("aggression reported", status="reported"))
    if case.ceased:
        rows.append(_row("support ceased", status="ceased"))
    if case.closure is not None:
        rows.append(
            _row(
                "closed",
                on=case.closure.closed_on,
                status=case.closure.outcome.value,
                detail=f"notes retained until {case.closure.retain_until.isoformat()}",
            )
        )
    return rows


def case_rows(case: Case) -> list[Row]:
    """A case's facts and items as rows under :data:`CASE_COLUMNS`, in a reading order.

    The request and its response, the MoU, each engagement (and its extensions), the
    second officer, disputes, sessions by start, referrals, facilitated meetings, safety
    concerns, disclosures, declined interventions, the notes (a count, never their text)
    and the closure.
    """
    return [*_request_rows(case), *_engagement_rows(case), *_item_rows(case), *_ending_rows(case)]


def directory_rows(directory: Directory) -> list[Row]:
    """The network's officers, one row each under :data:`DIRECTORY_COLUMNS`, by id."""
    return [
        {
            "officer_id": o.officer_id,
            "background": o.background.value,
            "practice_id": o.practice_id,
            "skills": ", ".join(sorted(o.skills)),
            "status": o.status.value,
        }
        for _, o in sorted(directory.officers.items())
    ]
