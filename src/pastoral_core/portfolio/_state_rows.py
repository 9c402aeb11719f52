"""A Member and an Opportunity as rows of plain values: what their ``to_rows()`` return.

One row per fact or item under fixed columns. Never free text: a withdrawal's reason is
not shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pastoral_core.tables import Cell, Row

if TYPE_CHECKING:
    from pastoral_core.portfolio._state import Member, Opportunity

#: A member's columns: ``what`` (signed up, team member, one-to-ones, an introduction, a
#: peer group, an outcome), the item's ``id``, the day ``on``, ``who`` it concerns (the
#: member, the team member, an opportunity or a group), ``status``, a ``number`` (sessions
#: available, one-to-ones held, a match score) and a plain-text ``detail``.
MEMBER_COLUMNS = ("what", "id", "on", "who", "status", "number", "detail")

#: An opportunity's columns: ``what`` (the listing, posted, last reviewed, closing, starts,
#: ends, withdrawn), the day ``on``, ``who`` offers it, its ``status``, a ``number``
#: (sessions a week for a role) and a plain-text ``detail``.
OPPORTUNITY_COLUMNS = ("what", "on", "who", "status", "number", "detail")


def _row(columns: tuple[str, ...], what: str, **values: Cell) -> Row:
    row: Row = dict.fromkeys(columns)
    row["what"] = what
    row.update(values)
    return row


def member_rows(member: Member) -> list[Row]:
    """A member as rows under :data:`MEMBER_COLUMNS`: sign-up, links, introductions, outcomes."""
    if member.member_id is None or member.profile is None:
        return []
    profile = member.profile
    rows = [
        _row(
            MEMBER_COLUMNS,
            "signed up",
            on=member.signed_up_on,
            who=member.member_id,
            status=profile.intent.value,
            number=profile.sessions_available,
            detail=f"area {profile.home_area}; interests: {', '.join(sorted(profile.interests)) or 'none'}",
        )
    ]
    if member.team_member:
        rows.append(_row(MEMBER_COLUMNS, "team member", who=member.team_member, status="linked"))
    if member.one_to_ones:
        rows.append(
            _row(
                MEMBER_COLUMNS,
                "one-to-ones",
                status="held",
                number=len(member.one_to_ones),
                detail=", ".join(sorted(member.one_to_ones)),
            )
        )
    for introduction_id, introduced in sorted(member.introductions.items()):
        answer = member.answers.get(introduction_id)
        rows.append(
            _row(
                MEMBER_COLUMNS,
                "introduction",
                id=introduction_id,
                on=introduced.introduced_on,
                who=introduced.opportunity_id,
                status=answer.value if answer else "no answer yet",
                number=introduced.score,
                detail="; ".join(introduced.reasons),
            )
        )
    rows.extend(
        _row(MEMBER_COLUMNS, "peer group", who=group_id, status="linked") for group_id in sorted(member.peer_groups)
    )
    rows.extend(
        _row(MEMBER_COLUMNS, "outcome", on=outcome.as_of, status=outcome.outcome.value) for outcome in member.outcomes
    )
    return rows


def opportunity_rows(opportunity: Opportunity) -> list[Row]:
    """An opportunity as rows under :data:`OPPORTUNITY_COLUMNS`: the listing and its dates."""
    listing = opportunity.listing
    if listing is None:
        return []
    status = "withdrawn" if opportunity.withdrawn else "listed"
    rows = [
        _row(
            OPPORTUNITY_COLUMNS,
            "listing",
            who=listing.organisation_id,
            status=listing.kind.value,
            number=listing.sessions_per_week,
            detail=f"{listing.title}; {listing.area}; tags: {', '.join(sorted(listing.tags)) or 'none'}",
        ),
        _row(OPPORTUNITY_COLUMNS, "posted", on=opportunity.posted_on, status=status),
        _row(OPPORTUNITY_COLUMNS, "last reviewed", on=opportunity.reviewed_on, status=status),
        _row(OPPORTUNITY_COLUMNS, "closing", on=listing.closing_on, status=status),
        _row(OPPORTUNITY_COLUMNS, "starts", on=listing.starts_on, status=status),
    ]
    if listing.ends_on is not None:
        rows.append(_row(OPPORTUNITY_COLUMNS, "ends", on=listing.ends_on, status=status))
    if opportunity.withdrawn_on is not None:
        rows.append(_row(OPPORTUNITY_COLUMNS, "withdrawn", on=opportunity.withdrawn_on, status="withdrawn"))
    return rows
