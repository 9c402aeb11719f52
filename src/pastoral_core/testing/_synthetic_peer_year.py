"""A synthetic peer group's meetings, leavers, claims and follow-up evaluation, in time order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pastoral_core.peer_groups import (
    CancelMeeting,
    ClaimFacilitatorMinutes,
    HoldMeeting,
    OpenEvaluationRound,
    PeerSupportRole,
    PlannedMeeting,
    RecordEvaluationResponse,
    RoundKind,
    WithdrawAttendee,
)
from pastoral_core.testing._synthetic_kit import Script, Step, pick, working_moment

if TYPE_CHECKING:
    from random import Random

FACILITATOR, ATTENDEE, LEAD = PeerSupportRole.FACILITATOR, PeerSupportRole.ATTENDEE, PeerSupportRole.PROGRAMME_LEAD
GroupStep = Callable[..., Step]


def answers(rng: Random, instrument: str, level: float) -> tuple[int, ...]:
    """One response's answers; ``level`` is the person's wellbeing (higher is better)."""
    if instrument == "WEMWBS":
        return tuple(min(5, max(1, round(rng.gauss(3.0 + 0.5 * level, 0.7)))) for _ in range(14))
    burnout = 50 - 15 * level
    items = [min(100, max(0, 25 * round(rng.gauss(burnout, 20) / 25))) for _ in range(19)]
    items[12] = 100 - items[12]  # item 13 is reverse-scored
    return tuple(items)


def evaluation_round(
    rng: Random,
    step: GroupStep,
    now: dt.datetime,
    lead: str,
    round_id: str,
    kind: RoundKind,
    instrument: str,
    attendees: Iterable[str],
    response_rate: float,
    level_of: Callable[[str], float],
) -> Iterator[tuple[str, Step]]:
    """A round opened by the lead, then each attendee's answers (at ``level_of`` them) by ``response_rate``.

    Yields ``("", step)`` for the opening and ``(attendee, step)`` for each response.
    """
    yield "", step(OpenEvaluationRound, now, LEAD, lead, round_id=round_id, kind=kind, instrument=instrument)
    for attendee in sorted(attendees):
        if rng.random() < response_rate:
            given = answers(rng, instrument, level_of(attendee))
            yield (
                attendee,
                step(
                    RecordEvaluationResponse,
                    now,
                    ATTENDEE,
                    attendee,
                    round_id=round_id,
                    attendee_id=attendee,
                    answers=given,
                ),
            )


def group_year(
    rng: Random,
    step: GroupStep,
    facilitator: str,
    lead: str,
    meetings: Sequence[PlannedMeeting],
    current: set[str],
    level: Mapping[str, float],
    instruments: Sequence[str],
    responded: set[str],
    now: dt.datetime,
) -> Script:
    """Hold (or now and then cancel) each planned meeting, let a few attendees leave, claim, follow up."""
    agenda: list[tuple[dt.datetime, int, str, Any]] = []
    for meeting in meetings:
        if rng.random() < 0.05:
            agenda.append((meeting.starts_at - dt.timedelta(days=3), 0, "cancel", meeting))
        else:
            agenda.append((meeting.starts_at + dt.timedelta(minutes=meeting.minutes + 10), 0, "hold", meeting))
    first, last = meetings[0].starts_at, meetings[-1].starts_at
    for leaver in rng.sample(sorted(current), pick(rng, ((0, 0.5), (1, 0.35), (2, 0.15)))):
        agenda.append((first + (last - first) * rng.random(), 1, "withdraw", leaver))
    middle = meetings[min(len(meetings) - 1, 5)].starts_at
    agenda.append((working_moment(rng, middle, days=(2, 6)), 2, "follow-up", None))
    agenda.sort(key=lambda item: (item[0], item[1]))
    holds = sum(1 for item in agenda if item[2] == "hold")
    unclaimed: list[str] = []
    claims = 0
    for moment, _, what, item in agenda:
        now = max(now, moment)
        yield now
        if what == "cancel":
            yield step(CancelMeeting, now, FACILITATOR, facilitator, meeting_id=item.meeting_id)
        elif what == "hold":
            holds -= 1
            present = frozenset(a for a in sorted(current) if rng.random() < 0.8) or frozenset(sorted(current)[:1])
            over = {"minutes": item.minutes + 15, "self_funded_minutes": 15} if rng.random() < 0.05 else {}
            yield step(
                HoldMeeting, now, FACILITATOR, facilitator, meeting_id=item.meeting_id, attendee_ids=present, **over
            )
            unclaimed.append(item.meeting_id)
            if len(unclaimed) >= 3 or not holds:
                now = working_moment(rng, now, days=(1, 3))
                yield now
                claims += 1
                ids = frozenset(unclaimed)
                yield step(
                    ClaimFacilitatorMinutes, now, FACILITATOR, facilitator, claim_id=f"claim-{claims}", meeting_ids=ids
                )
                unclaimed = []
        elif what == "withdraw" and item in current:
            current.discard(item)
            yield step(WithdrawAttendee, now, ATTENDEE, item, attendee_id=item)
        elif what == "follow-up":
            for instrument in instruments:
                round_id = f"follow-up-{instrument.lower()}"

                def better(attendee: str) -> float:
                    return level[attendee] + 0.35 + rng.gauss(0, 0.3)

                for _, done in evaluation_round(
                    rng, step, now, lead, round_id, RoundKind.FOLLOW_UP, instrument, current & responded, 0.85, better
                ):
                    yield done
