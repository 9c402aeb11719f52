"""The register's GPS and PP rules: "Group Peer Support for GPs" and Nottinghamshire LMC's GP Portfolio Plus.

GPS clauses name the part of the text (vision, concept, offering); the PP article has no
clause numbers, so its citations name the passage. Each citation is the one the rule's
verdicts carry.
"""

from __future__ import annotations

from pastoral_core.rules._register import Domain, rulebook_entry

DENY, FLAG, RECORD = "deny", "flag", "record"
_G, _P = Domain.PEER_GROUPS, Domain.PORTFOLIO

#: The GPS rules (Group Peer Support for GPs).
PEER_GROUPS = (
    rulebook_entry(
        "GPS-REMIT",
        _G,
        "EnglandRemit",
        "GPS",
        "concept (PHP/GPH only have a remit for England)",
        (DENY,),
        "Only groups in England (an NHS England region) are funded, the funder's remit.",
    ),
    rulebook_entry(
        "GPS-CAPACITY",
        _G,
        "ProgrammeCapacity",
        "GPS",
        "concept (around 50 groups); vision (over the next five years)",
        (DENY,),
        "The programme funds about the number of groups it set out to, within the years it runs from its start.",
    ),
    rulebook_entry(
        "GPS-ELIGIBLE",
        _G,
        "EligibleAttendees",
        "GPS",
        "vision (all GPs and GP trainees)",
        (DENY,),
        "Groups are for GPs and GP trainees, and a meeting records only the group's enrolled attendees.",
    ),
    rulebook_entry(
        "GPS-SIZE",
        _G,
        "GroupSize",
        "GPS",
        "offering (circa 12 attendees)",
        (DENY, FLAG),
        "Groups stay small: an attendee above the usual size is flagged, one well above it refused.",
    ),
    rulebook_entry(
        "GPS-LENGTH",
        _G,
        "MeetingLength",
        "GPS",
        "vision (at least 90 minutes); offering (peer support days)",
        (DENY,),
        "Every meeting gives the protected time in full (at least 90 minutes); a peer support day is several "
        "such blocks.",
    ),
    rulebook_entry(
        "GPS-FUNDING-CAP",
        _G,
        "FundingCap",
        "GPS",
        "offering (up to 900 minutes of facilitator support per group)",
        (DENY,),
        "A group's funded facilitator time never passes the cap: minutes beyond it are marked self-funded, and "
        "one approval funds one group.",
    ),
    rulebook_entry(
        "GPS-INDEPENDENT",
        _G,
        "FacilitatorIndependence",
        "GPS",
        "offering (the facilitator will need to be independent of the GPs)",
        (DENY,),
        "The facilitator is independent of the group: never one of its attendees, never a GP in it.",
    ),
    rulebook_entry(
        "GPS-TARIFF",
        _G,
        "FacilitatorTariff",
        "GPS",
        "offering (we will contribute according to our tariff)",
        (RECORD, DENY),
        "Facilitator time is costed at the funder's tariff in force on the day the meeting was held; a meeting "
        "with no tariff in force is refused rather than costed at nothing.",
    ),
    rulebook_entry(
        "GPS-EVALUATION",
        _G,
        "Evaluation",
        "GPS",
        "concept (attendees contribute to an evaluation)",
        (DENY,),
        "Evaluation results can be trusted: one response per enrolled attendee per round, on a declared "
        "instrument the library can score.",
    ),
    rulebook_entry(
        "GPS-SCHEDULE",
        _G,
        "MeetingSchedule",
        "GPS",
        "offering (weekly/monthly, or block amounts for peer support days)",
        (DENY,),
        "A planned series of meetings never promises more funded minutes than the group has left.",
    ),
)

#: The PP rules (GP Portfolio Plus).
PORTFOLIO = (
    rulebook_entry(
        "PP-MEMBER",
        _P,
        "Membership",
        "PP",
        "GPs who are considering leaving ...; retain current GPs and attract the newly qualified",
        (RECORD, DENY),
        "Who joins and why (considering leaving, wanting flexible work, newly qualified) is recorded, with the "
        "sessions a week they can offer within range.",
    ),
    rulebook_entry(
        "PP-TEAM",
        _P,
        "TeamMemberLink",
        "PP",
        "a small team of GPs to work directly with those accessing the support",
        (DENY,),
        "Every member works with an experienced GP team member: a one-to-one needs one linked, and is held by "
        "the member's own team member.",
    ),
    rulebook_entry(
        "PP-OPPORTUNITY",
        _P,
        "OpenOpportunities",
        "PP",
        "details of available roles, training opportunities and events",
        (DENY,),
        "Members are offered only live opportunities: dates that make sense, not withdrawn, not past closing.",
    ),
    rulebook_entry(
        "PP-FRESH",
        _P,
        "Freshness",
        "PP",
        "a regularly-updated online database",
        (FLAG,),
        "The database stays current: an opportunity not reviewed within a set number of days is flagged as "
        "possibly stale when a member is introduced to it.",
    ),
    rulebook_entry(
        "PP-MATCH",
        _P,
        "Matching",
        "PP",
        "connecting those signed up to relevant opportunities",
        (RECORD,),
        "Introductions are explained: each is scored by interests, area, availability, intent and closing date, "
        "and the reasons are recorded.",
    ),
    rulebook_entry(
        "PP-PEER",
        _P,
        "PeerSupportLink",
        "PP",
        "a peer support network for GPs to access",
        (RECORD,),
        "A member may be linked to a peer support group, and the link is recorded.",
    ),
    rulebook_entry(
        "PP-OUTCOME",
        _P,
        "Outcomes",
        "PP",
        "help the area retain current GPs; survey: remain in the profession",
        (RECORD, DENY),
        "What became of each member (stayed in practice, portfolio career, reduced hours, left) is recorded in "
        "time order, so retention can be reported.",
    ),
)
