"""A Programme and a PeerGroup as rows of plain values: what their ``to_rows()`` return.

One row per fact or item under fixed columns. Never free text: a declined group's reason
is not shown, nor any attendee's answers or individual scores (a round shows its count
of responses and the mean of each score).
"""

from __future__ import annotations

import decimal
from collections import defaultdict
from typing import TYPE_CHECKING

from pastoral_core.peer_groups._model import MeetingStatus
from pastoral_core.rules import half_up
from pastoral_core.tables import Cell, Row
from pastoral_core.values import london_date

if TYPE_CHECKING:
    from pastoral_core.peer_groups._state import PeerGroup, Programme

#: A programme's columns: ``what`` (the programme, or a group), the group's ``id``, the day
#: ``on`` (start, approval), ``who`` (the funder), ``status``, a ``number`` (groups funded,
#: funded minutes) and a plain-text ``detail``.
PROGRAMME_COLUMNS = ("what", "id", "on", "who", "status", "number", "detail")

#: A peer group's columns: ``what`` (the group, its facilitator, an attendee, a meeting, an
#: evaluation round, the funding so far), the item's ``id``, the London date ``on`` and the
#: start ``at`` of a meeting, ``who`` it concerns, ``status``, a ``number`` (minutes,
#: responses), an ``amount`` in GBP (a meeting's cost) and a plain-text ``detail``.
GROUP_COLUMNS = ("what", "id", "on", "at", "who", "status", "number", "amount", "detail")


def _row(columns: tuple[str, ...], what: str, **values: Cell) -> Row:
    row: Row = dict.fromkeys(columns)
    row["what"] = what
    row.update(values)
    return row


def programme_rows(programme: Programme) -> list[Row]:
    """A programme's terms, then each group proposed: its region, decision and funded minutes."""
    rows = []
    started = programme.started
    if started is not None:
        rows.append(
            _row(
                PROGRAMME_COLUMNS,
                "programme",
                on=started.starts_on,
                who=started.funder,
                status=f"approvals until {started.ends_before.isoformat()}",
                number=started.group_capacity,
                detail=f"{started.minutes_per_group} facilitator minutes a group; "
                f"regions: {', '.join(sorted(started.regions))}",
            )
        )
    for group_id, region in sorted(programme.proposals.items()):
        approval = programme.approved.get(group_id)
        status = "approved" if approval else "declined" if group_id in programme.declined else "proposed"
        rows.append(
            _row(
                PROGRAMME_COLUMNS,
                "group",
                id=group_id,
                on=approval.approved_on if approval else None,
                status=status,
                number=approval.funded_minutes if approval else None,
                detail=region,
            )
        )
    return rows


def _meeting_rows(group: PeerGroup) -> list[Row]:
    rows = []
    meetings = sorted(group.meetings.values(), key=lambda m: (m.planned.starts_at.timestamp(), m.planned.meeting_id))
    for meeting in meetings:
        planned, held = meeting.planned, meeting.held
        blocks = f"peer support day of {planned.blocks} blocks; " if planned.blocks > 1 else ""
        if held is not None:
            detail = (
                f"{blocks}{held.funded_minutes} funded, {held.self_funded_minutes} self-funded minutes; "
                f"{len(held.attendee_ids)} attended; £{held.hourly_rate}/hour"
                + ("; claimed" if meeting.claimed else "")
            )
        else:
            detail = (
                f"{blocks}{planned.funded_minutes} funded, {planned.self_funded_minutes} self-funded minutes planned"
            )
        rows.append(
            _row(
                GROUP_COLUMNS,
                "meeting",
                id=planned.meeting_id,
                on=held.held_on if held else london_date(planned.starts_at),
                at=planned.starts_at,
                status=meeting.status.value,
                number=held.minutes if held else planned.minutes,
                amount=held.cost if held else None,
                detail=detail,
            )
        )
    return rows


def _mean(values: list[decimal.Decimal]) -> decimal.Decimal:
    return half_up(sum(values, decimal.Decimal(0)) / len(values))


def _round_rows(group: PeerGroup) -> list[Row]:
    scores: dict[str, dict[str, list[decimal.Decimal]]] = defaultdict(lambda: defaultdict(list))
    for (round_id, _), response in group.responses.items():
        for score in response:
            scores[round_id][score.name].append(score.value)
    rows = []
    for round_id, opened in sorted(group.rounds.items()):
        by_name = scores.get(round_id, {})
        count = max((len(v) for v in by_name.values()), default=0)
        means = "; ".join(f"mean {name} {_mean(values)}" for name, values in by_name.items())
        rows.append(
            _row(
                GROUP_COLUMNS,
                "evaluation round",
                id=round_id,
                status=opened.kind.value,
                number=count,
                detail=opened.instrument + (f"; {means}" if means else ""),
            )
        )
    return rows


def group_rows(group: PeerGroup) -> list[Row]:
    """A peer group as rows under :data:`GROUP_COLUMNS`.

    The group (modality, cap), its facilitator, each attendee ever enrolled (profession,
    or withdrawn), each meeting by start (status, minutes, cost), each evaluation round
    (responses, mean scores) and the funding so far.
    """
    setup = group.setup
    if setup is None:
        return []
    rows = [
        _row(
            GROUP_COLUMNS,
            "group",
            id=setup.group_id,
            status=group.modality.value if group.modality else None,
            number=setup.funded_minutes,
            detail=f"programme {setup.programme_id}",
        )
    ]
    if group.facilitator:
        rows.append(_row(GROUP_COLUMNS, "facilitator", who=group.facilitator, status="appointed"))
    for attendee_id in sorted(group.ever_enrolled):
        profession = group.attendees.get(attendee_id)
        rows.append(
            _row(GROUP_COLUMNS, "attendee", who=attendee_id, status=profession.value if profession else "withdrawn")
        )
    rows.extend(_meeting_rows(group))
    rows.extend(_round_rows(group))
    held = sum(1 for m in group.meetings.values() if m.status is MeetingStatus.HELD)
    rows.append(
        _row(
            GROUP_COLUMNS,
            "funding",
            status=f"{group.remaining_minutes} minutes left",
            number=group.funded_used,
            amount=group.cost,
            detail=f"{group.funded_used} of {group.cap} funded minutes used over {held} meeting(s); "
            f"{group.planned_minutes} planned; {len(group.claims)} claim(s)",
        )
    )
    return rows
