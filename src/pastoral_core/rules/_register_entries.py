"""REGISTER: every rule of the library, written from the sources (MOU, GPS, PP) and cited as the code cites it.

Sources: ``MOU`` is the Devon LMC Pastoral Support Network Memorandum of Understanding
(clauses ``LMC n``, ``CLIENT n``, ``NOTE n``); ``GPS`` is "Group Peer Support for GPs"
(its vision, concept and offering); ``PP`` is the article on Nottinghamshire LMC's GP
Portfolio Plus (no clause numbers, so the passage is named). ``DERIVED`` marks what no
source writes but the people running such a service expect. Each citation is exactly
the one the rule's verdicts carry; :func:`register_mismatches` holds the two together.
The domains' entries are in ``_register_psn`` and ``_register_gps_pp``; the checks every
command goes through are here.
"""

from __future__ import annotations

from pastoral_core.rules._register import CheckedBy, Domain, Register, RegisterEntry
from pastoral_core.rules._register_gps_pp import PEER_GROUPS, PORTFOLIO
from pastoral_core.rules._register_psn import SUPPORT

DENY = "deny"
_E = Domain.EVERYWHERE


def _kernel(rule_id: str, clause: str, protects: str, *, refuses_only: bool = False) -> RegisterEntry:
    return RegisterEntry(rule_id, "DERIVED", clause, protects, (DENY,), _E, CheckedBy.KERNEL, refuses_only=refuses_only)


def _store(rule_id: str, clause: str, protects: str) -> RegisterEntry:
    return RegisterEntry(rule_id, "DERIVED", clause, protects, (), _E, CheckedBy.STORE)


_EVERYWHERE = (
    _kernel(
        "AUTH",
        "AUTH: each command names its actor and role; a table says who may issue it",
        "Every command names who issues it and in what role, and only the roles its aggregate's command table "
        "allows may issue it.",
    ),
    RegisterEntry(
        "TIME",
        "DERIVED",
        "TIME",
        "The record tells the truth about time: recorded times never go backwards, a fact is never dated "
        "after it was entered nor before what it depends on, and one older than the rulebook allows needs "
        "a coordinator's override with a reason.",
        (DENY,),
        _E,
        CheckedBy.KERNEL,
        "LateEntry",
        overridable=True,
    ),
    _store(
        "IDEMPOTENT",
        "IDEMPOTENT: a command id already applied writes nothing again",
        "A command sent twice is recorded once: the second time nothing is written and the original records come back.",
    ),
    _store(
        "CONCURRENCY",
        "CONCURRENCY: an append with a stale expected version is refused",
        "Two people acting on one record at once cannot overwrite each other: an append made on a stale "
        "version is refused and nothing is written.",
    ),
    _kernel(
        "MINIMAL",
        "MINIMAL: the library stores opaque ids and roles, never names or contact details",
        "The record keeps no more personal data than it needs: free text holding contact details or "
        "identifiers is refused.",
        refuses_only=True,
    ),
    _kernel(
        "SCOPE",
        "SCOPE: a role acts only where it is held",
        "A role counts only where it is held: an officer on the cases they are allocated to, a facilitator on "
        "their group, a team member on their members, everyone within their own organisation.",
    ),
    _kernel(
        "INPUT",
        "the command's content must be complete and valid",
        "A command whose own content is incomplete or inconsistent is refused, saying what is wrong, before "
        "any rule relies on it.",
        refuses_only=True,
    ),
    _kernel(
        "STATE",
        "the command must fit the record as it stands",
        "A command must fit the record as it stands (no second first response, no session that does not "
        "exist), or it is refused.",
        refuses_only=True,
    ),
)

#: The rules register: every rule the library enforces, by ID (``REGISTER["PSN-RESPONSE"]``).
#: Rendered as the documentation page ``docs/rules-register.md`` by :func:`register_markdown`.
REGISTER = Register((*SUPPORT, *PEER_GROUPS, *PORTFOLIO, *_EVERYWHERE))
