"""One synthetic case from request to closure (and, for a few, the notes' destruction).

The case's script receives the request, responds (mostly on time), and either declines,
sees the request withdrawn, or sends the MoU and allocates officers; its engagements and
other facts then run side by side (:mod:`._synthetic_engagement`) until the case closes.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs

from pastoral_core.support import (
    AddSecondOfficer,
    AllocateOfficer,
    CloseCase,
    ClosureOutcome,
    DeclineIntervention,
    DestroyNotes,
    DifficultyKind,
    ReceiveRequest,
    Recipient,
    RecipientKind,
    RecordDispute,
    RequestReceived,
    RespondToRequest,
    SendMou,
    SupportRole,
)
from pastoral_core.testing._synthetic_engagement import CaseLocal, CaseSteps, engagement_script, event_of
from pastoral_core.testing._synthetic_extras import extras_script
from pastoral_core.testing._synthetic_kit import (
    DECLINE_REASONS,
    DESTROY_REASONS,
    EXTERNAL_BODIES,
    INTERVENTIONS,
    Redact,
    Script,
    merge,
    moment_between,
    pick,
    working_moment,
)
from pastoral_core.testing._synthetic_support import SupportWorld

if TYPE_CHECKING:
    from random import Random

COORDINATOR = SupportRole.COORDINATOR


@attrs.frozen
class CasePlan:
    """A request as it arrives: who, from where, about what."""

    case_id: str
    received_at: dt.datetime
    nation: str
    kind: RecipientKind
    practice_id: str
    members: tuple[Recipient, ...]
    difficulty: DifficultyKind
    external_body: str | None
    complex: bool


def plan_case(rng: Random, number: int, received_at: dt.datetime, nation: str, practices: tuple[str, ...]) -> CasePlan:
    """What request ``number`` is: mostly individual GPs, some practice managers and practices."""
    kind = pick(rng, ((RecipientKind.GP, 0.72), (RecipientKind.PRACTICE_MANAGER, 0.13), (RecipientKind.PRACTICE, 0.15)))
    if kind is RecipientKind.GP:
        members: tuple[Recipient, ...] = (Recipient(f"gp-{number:05d}", RecipientKind.GP),)
    elif kind is RecipientKind.PRACTICE_MANAGER:
        members = (Recipient(f"pm-{number:05d}", RecipientKind.PRACTICE_MANAGER),)
    else:
        gps = tuple(Recipient(f"gp-{number:05d}-{k}", RecipientKind.GP) for k in range(1, rng.randint(2, 4) + 1))
        manager = (Recipient(f"pm-{number:05d}", RecipientKind.PRACTICE_MANAGER),) if rng.random() < 0.6 else ()
        members = gps + manager
    external = rng.random() < 0.3
    return CasePlan(
        case_id=f"{received_at.year}-{number:05d}",
        received_at=received_at,
        nation=nation,
        kind=kind,
        practice_id=rng.choice(practices),
        members=members,
        difficulty=DifficultyKind.EXTERNAL if external else DifficultyKind.INTERNAL,
        external_body=rng.choice(EXTERNAL_BODIES) if external else None,
        complex=rng.random() < 0.12,
    )


def _response_moment(rng: Random, logged: dt.datetime, due: dt.datetime) -> dt.datetime:
    """Mostly on time (between logging and the due time); about one in eight late."""
    if rng.random() < 0.88:
        on_time = moment_between(rng, logged, due - dt.timedelta(minutes=15))
        if on_time is not None:
            return on_time
    late = moment_between(rng, max(logged, due), due + dt.timedelta(days=4))
    return late or due + dt.timedelta(hours=1)


def case_script(world: SupportWorld, plan: CasePlan, rng: Random) -> Script:
    """The case's life: request, response, then support (or a decline, or a withdrawal), closure."""
    steps = CaseSteps(world, plan.case_id)
    logged_late = rng.random() < 0.15  # arrived by e-mail in the evening, logged next morning
    now = working_moment(rng, plan.received_at, days=(1, 1), hours=(8, 10)) if logged_late else plan.received_at
    yield now
    accepted = yield steps(
        ReceiveRequest,
        now,
        occurred_at=plan.received_at if logged_late else None,
        kind=plan.kind,
        recipients=plan.members,
        practice_id=plan.practice_id,
        nation=plan.nation,
        difficulty=plan.difficulty,
        external_body=plan.external_body,
        complex=plan.complex,
    )
    now = _response_moment(rng, now, event_of(accepted, RequestReceived).response_due_at)
    yield now
    yield steps(RespondToRequest, now)
    path = pick(rng, (("declined", 0.03), ("withdrawn", 0.07), ("supported", 0.9)))
    local = None
    if path == "declined":
        now = working_moment(rng, now, days=(1, 5))
        yield now
        yield steps(
            DeclineIntervention, now, intervention=rng.choice(INTERVENTIONS), reason=rng.choice(DECLINE_REASONS)
        )
        outcome = ClosureOutcome.REFERRED_ON
    elif path == "withdrawn":
        outcome = ClosureOutcome.WITHDRAWN
    else:
        local = CaseLocal(plan.practice_id, {r.recipient_id: r.kind for r in plan.members}, now)
        yield from _support(world, plan, rng, steps, local)
        now, outcome = local.now, _outcome(rng, local)
    now = working_moment(rng, now, days=(3, 21))
    yield now
    yield steps(CloseCase, now, outcome=outcome)
    if local is None:
        return
    for officer in {*local.leads.values(), local.second}:
        world.release(officer)
    if local.notes and rng.random() < 0.06:  # a few recipients ask for their notes to be erased early
        now = working_moment(rng, now, days=(14, 70))
        yield now
        guardian = (SupportRole.CALDICOTT_GUARDIAN, world.guardian)
        yield steps(DestroyNotes, now, *guardian, reason=rng.choice(DESTROY_REASONS))
        yield Redact(world.support, plan.case_id)


def _support(world: SupportWorld, plan: CasePlan, rng: Random, steps: CaseSteps, local: CaseLocal) -> Script:
    """MoU, a dispute, allocations and a second officer; then the engagements and the rest, side by side."""
    now = working_moment(rng, local.now, days=(0, 3))
    yield now
    yield steps(SendMou, now, terms_version="LMC-MOU-2019")
    gps = [r.recipient_id for r in plan.members if r.kind is RecipientKind.GP]
    supported: list[str] = []
    if plan.kind is RecipientKind.PRACTICE:
        supported.append(plan.practice_id)
        local.kinds[plan.practice_id] = RecipientKind.PRACTICE
        if len(gps) >= 2 and rng.random() < 0.4:
            a, b = rng.sample(gps, 2)
            local.rivals[a], local.rivals[b] = b, a
            yield steps(RecordDispute, now, party_ids=frozenset({a, b}))
            supported += [a, b]
        elif gps and rng.random() < 0.3:
            supported.append(rng.choice(gps))
    else:
        supported.append(plan.members[0].recipient_id)
    for recipient in supported:
        chosen = world.choose(rng, local.kinds[recipient], plan.practice_id, local.excluded_for(recipient))
        if chosen is None:
            raise RuntimeError(f"synthetic history: no officer is free for case {plan.case_id}; enrol more")
        officer, overrides = chosen
        accepted = yield steps(AllocateOfficer, now, recipient_id=recipient, officer_id=officer, overrides=overrides)
        local.allocated(accepted, recipient, officer)
    local.now = now
    subs = [engagement_script(world, rng, steps, local, recipient) for recipient in supported]
    subs.append(extras_script(rng, steps, local))
    if (plan.kind is RecipientKind.PRACTICE or plan.complex) and rng.random() < 0.85:
        subs.append(_second_officer(world, rng, steps, local))
    latest = yield from merge(subs)
    local.touch(latest or now)


def _second_officer(world: SupportWorld, rng: Random, steps: CaseSteps, local: CaseLocal) -> Script:
    """A second officer for consultation, usually within the week (PSN-SECOND flags the slow ones)."""
    now = working_moment(rng, local.now, days=(0, 8))
    yield now
    if local.ceased:
        return
    chosen = world.choose(rng, RecipientKind.PRACTICE, local.practice_id, {*local.leads.values()})
    if chosen is None:  # nobody free: PSN-SECOND will flag the case
        return
    officer, _ = chosen
    local.second = officer
    yield steps(AddSecondOfficer, now, officer_id=officer)
    local.touch(now)


def _outcome(rng: Random, local: CaseLocal) -> ClosureOutcome:
    if local.ceased:
        return ClosureOutcome.CEASED
    if local.rivals:
        return pick(
            rng, ((ClosureOutcome.COMPROMISE, 0.4), (ClosureOutcome.SEPARATION, 0.2), (ClosureOutcome.RESOLVED, 0.4))
        )
    if local.referred:
        return pick(rng, ((ClosureOutcome.REFERRED_ON, 0.5), (ClosureOutcome.RESOLVED, 0.5)))
    return pick(
        rng, ((ClosureOutcome.RESOLVED, 0.85), (ClosureOutcome.WITHDRAWN, 0.1), (ClosureOutcome.COMPROMISE, 0.05))
    )
