"""Who may issue which command (rule AUTH), naming the specific rule where a source does."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from pastoral_core.rules._verdicts import Citation, Outcome, Refused, Verdict

AUTH_CITATION = Citation("DERIVED", "AUTH: each command names its actor and role")


@attrs.frozen
class Permission:
    """The roles allowed to issue one command, and the rule that says so.

    Attributes:
        roles: Role names allowed.
        rule_id: ``"AUTH"`` by default, or a source rule such as ``"PSN-REVIEW"``.
        citation: The clause behind it.
    """

    roles: frozenset[str]
    rule_id: str = "AUTH"
    citation: Citation = AUTH_CITATION

    @classmethod
    def of(cls, *roles: str) -> Permission:
        """Permission for ``roles`` under rule AUTH."""
        return cls(frozenset(roles))


@attrs.frozen
class Permissions:
    """A table: command name -> :class:`Permission`. Anyone not listed is refused.

    Attributes:
        table: Command class name to permission.
    """

    table: Mapping[str, Permission]

    @classmethod
    def of(cls, entries: Iterable[tuple[str, Permission]]) -> Permissions:
        """Build a table from ``(command name, permission)`` pairs."""
        return cls(dict(entries))

    def verdict(self, command_name: str, role: str) -> Verdict:
        """The AUTH verdict for ``role`` issuing ``command_name``."""
        permission = self.table.get(command_name)
        if permission is None:
            return Verdict("AUTH", Outcome.DENY, f"{command_name} is not a known command", AUTH_CITATION)
        allowed = ", ".join(sorted(permission.roles))
        if role in permission.roles:
            return Verdict(permission.rule_id, Outcome.PASS, f"{role} may {command_name}", permission.citation)
        return Verdict(
            permission.rule_id,
            Outcome.DENY,
            f"a {role} may not {command_name}; allowed: {allowed}",
            permission.citation,
        )

    def check(self, command_name: str, role: str) -> Verdict:
        """Return the passing verdict, or raise ``Refused`` with the denying one."""
        result = self.verdict(command_name, role)
        if result.denied:
            raise Refused([result])
        return result
