"""The register's PSN rules: the Devon LMC Pastoral Support Network Memorandum of Understanding (MOU).

Clauses: ``LMC n`` (Expectations of the LMC), ``CLIENT n`` (Expectations of the Practice
or Individual), ``NOTE n`` (Additional Notes: the first list 1-2, the second continuing
as 3-6). Each citation is the one the rule's verdicts carry.
"""

from __future__ import annotations

from pastoral_core.rules._register import Domain, rulebook_entry

DENY, FLAG, RECORD = "deny", "flag", "record"
_S = Domain.SUPPORT

#: The PSN rules (MOU), in the order of the specification.
SUPPORT = (
    rulebook_entry(
        "PSN-RESPONSE",
        _S,
        "ResponseTime",
        "MOU",
        "LMC 4",
        (FLAG,),
        "Someone who asks the network for help hears back quickly: the first response is due within a set "
        "number of working days of the request (by the client's UK nation's bank holidays), and a late one "
        "is flagged.",
    ),
    rulebook_entry(
        "PSN-MOU-FIRST",
        _S,
        "MouFirst",
        "MOU",
        "intro",
        (DENY,),
        "Nobody meets an officer before they have the terms of engagement: the memorandum of understanding "
        "is sent before the first session or facilitated meeting.",
    ),
    rulebook_entry(
        "PSN-ROSTER",
        _S,
        "Roster",
        "MOU",
        "LMC 2, 6",
        (DENY,),
        "Support comes only from the LMC's own officers: an officer is allocated only while enrolled in the "
        "network and active.",
    ),
    rulebook_entry(
        "PSN-SKILLS",
        _S,
        "SkillsMatch",
        "MOU",
        "LMC 6",
        (DENY,),
        "The person supported gets an officer with suitable experience (a GP for a GP; a practice manager or "
        "lay officer for a practice manager); only a coordinator may allocate otherwise, with a recorded reason.",
        overridable=True,
    ),
    rulebook_entry(
        "PSN-CONFLICT",
        _S,
        "OwnPracticeConflict",
        "DERIVED",
        "from MOU LMC 5-6 (confidentiality, suitability)",
        (DENY,),
        "Confidentiality and impartiality: an officer never supports someone from the officer's own practice.",
    ),
    rulebook_entry(
        "PSN-SWITCH",
        _S,
        "OfficerSwitch",
        "MOU",
        "LMC 6",
        (DENY,),
        "A person whose rapport with their officer fails may change officer: no further session with the old "
        "one, never back to one they had before, and the sessions used so far still count.",
    ),
    rulebook_entry(
        "PSN-SEPARATE",
        _S,
        "SeparateOfficers",
        "MOU",
        "LMC 8",
        (DENY,),
        "In a practice case, people recorded as in dispute with each other never share an officer.",
    ),
    rulebook_entry(
        "PSN-SECOND",
        _S,
        "SecondOfficer",
        "MOU",
        "NOTE 2",
        (DENY, FLAG),
        "A second officer may be consulted but is never the lead; a partnership or complex case still without "
        "one after a set number of working days is flagged.",
    ),
    rulebook_entry(
        "PSN-ALLOWANCE",
        _S,
        "SessionAllowance",
        "MOU",
        "LMC 4, CLIENT 4",
        (DENY,),
        "The LMC's resources are limited: the first offer is a set number of sessions within a set number of "
        "months of the first session held, and more needs a review first; a missed session counts, one "
        "cancelled with notice does not.",
    ),
    rulebook_entry(
        "PSN-REVIEW",
        _S,
        "CommitmentReview",
        "MOU",
        "LMC 4",
        (RECORD, DENY),
        "The LMC decides deliberately whether to go on: only a coordinator reviews its commitment, only once "
        "the allowance is used or its window has passed, and the extension or conclusion is recorded.",
    ),
    rulebook_entry(
        "PSN-COST-SHARE",
        _S,
        "CostShare",
        "MOU",
        "LMC 4",
        (RECORD, DENY),
        "Sessions after the first offer are paid as the review decided (the LMC, shared, or the person, or a "
        "practice manager's practice), to the penny; none is costed before the host has set a session rate.",
    ),
    rulebook_entry(
        "PSN-REFERRAL",
        _S,
        "WiderNetworkReferral",
        "MOU",
        "LMC 7, CLIENT 6",
        (RECORD, DENY),
        "Introductions to the wider network (legal, occupational health, career counselling, mediation) go "
        "only to services the rulebook lists, and the person's answer is kept.",
    ),
    rulebook_entry(
        "PSN-CHARGE",
        _S,
        "ChargeableServices",
        "MOU",
        "NOTE 4",
        (RECORD,),
        "A service that costs money is charged to the individual who sought it, recorded with the referral.",
    ),
    rulebook_entry(
        "PSN-TOOLS",
        _S,
        "FacilitatedTools",
        "MOU",
        "LMC 10",
        (DENY,),
        "Facilitated partner or practice meetings and mediation involve only members of the case's practice "
        "and are run by an officer allocated to the case.",
    ),
    rulebook_entry(
        "PSN-BOUNDARY",
        _S,
        "InterventionBoundary",
        "MOU",
        "NOTE 5",
        (RECORD, DENY),
        "The LMC sets the limits of what it does: only a coordinator declines a requested intervention, and "
        "the decision is recorded.",
    ),
    rulebook_entry(
        "PSN-NOTE-AUTHOR",
        _S,
        "NoteAuthor",
        "MOU",
        "NOTE 1",
        (DENY,),
        "Summary notes are written only by an officer allocated to the case (its lead or second officer).",
    ),
    rulebook_entry(
        "PSN-NOTE-LIMITED",
        _S,
        "NoteLength",
        "MOU",
        "NOTE 1",
        (DENY,),
        "Summary notes stay short: a note longer than the limit is refused.",
    ),
    rulebook_entry(
        "PSN-NOTE-SENSITIVE",
        _S,
        "NoteScreen",
        "MOU",
        "NOTE 1",
        (DENY,),
        "Notes hold nothing sensitive: NHS numbers, e-mail addresses, phone numbers, postcodes, National "
        "Insurance numbers and the host's own terms are refused, and the refusal never repeats the text.",
    ),
    rulebook_entry(
        "PSN-RETENTION",
        _S,
        "NoteRetention",
        "MOU",
        "NOTE 1 (period DERIVED: UK GDPR storage limitation; six-year civil claims period)",
        (DENY,),
        "Notes are kept for continuity, then destroyed by the Caldicott Guardian once the retention period "
        "from closure is over; destroying them sooner needs a recorded reason.",
    ),
    rulebook_entry(
        "PSN-SAFETY",
        _S,
        "PatientSafety",
        "MOU",
        "NOTE 3",
        (DENY,),
        "Serious evidence about patient safety is acted on: an allocated officer raises it, guidance is sought "
        "before an outcome is recorded, and the case cannot close while a concern is open.",
    ),
    rulebook_entry(
        "PSN-CONDUCT",
        _S,
        "ZeroTolerance",
        "MOU",
        "NOTE 6",
        (DENY,),
        "Zero tolerance of aggression: support is ceased only by a coordinator once aggressive behaviour is "
        "recorded, and after that only notes, safety, closure and retention go on.",
    ),
    rulebook_entry(
        "PSN-CLOSE",
        _S,
        "Closure",
        "MOU",
        "CLIENT 3",
        (RECORD, DENY),
        "Every case ends with an outcome the rulebook allows (resolution, compromise, separation and the "
        "like), which ends its open engagements and starts the notes' retention.",
    ),
    rulebook_entry(
        "PSN-CONFIDENTIAL",
        _S,
        "Confidentiality",
        "MOU",
        "LMC 5, NOTE 3",
        (DENY,),
        "Support stays confidential: a disclosure outside the network is recorded only with its basis "
        "(consent, patient safety or a legal duty), patient safety only with a concern on record.",
    ),
)
