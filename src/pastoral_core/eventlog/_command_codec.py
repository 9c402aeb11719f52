"""The commands half of the codec: commands to plain dicts and back, kept copies, fingerprints."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import cattrs

from pastoral_core.eventlog._decoding import Bad, prepare_tagged
from pastoral_core.eventlog._digest import canonical, sha256
from pastoral_core.eventlog._registry import COMMAND_TYPE_KEY, VERSION_KEY, TypeRegistry
from pastoral_core.exceptions import CodecError

T = TypeVar("T")

#: Command fields the fingerprint leaves out: the id it is looked up by, and the time.
_NOT_FINGERPRINTED = frozenset({"command_id", "at"})


class CommandCodec:
    """What :class:`~pastoral_core.eventlog.Codec` does with commands (a base of ``Codec``)."""

    _commands: TypeRegistry

    def _converters(self) -> tuple[cattrs.Converter, cattrs.Converter]:  # pragma: no cover - Codec's
        raise NotImplementedError

    def _structure(self, record: int | None, prepared: Any, cls: type[T]) -> T:  # pragma: no cover - Codec's
        raise NotImplementedError

    def command_to_dict(self, command: Any) -> dict[str, Any]:
        """Unstructure a command: its fields plus ``command_type`` and ``schema_version``.

        Raises:
            UnknownType: If the command's class is not registered.
        """
        entry = self._commands.of_class(type(command))
        fast, _ = self._converters()
        data: dict[str, Any] = fast.unstructure(command, entry.cls)
        data[COMMAND_TYPE_KEY] = entry.name
        data[VERSION_KEY] = entry.version
        return data

    def command_from_dict(self, data: Mapping[str, Any]) -> Any:
        """Structure one command dict (upcasting old versions first); it is validated as built.

        Raises:
            CodecError: If the dict is not a valid command (the reason names the field).
        """
        try:
            prepared = prepare_tagged(self._commands, data, "$", COMMAND_TYPE_KEY)
        except Bad as bad:
            raise CodecError(None, bad.path, bad.reason) from None
        cls = self._commands.of_name(prepared.pop(COMMAND_TYPE_KEY)).cls
        return self._structure(None, prepared, cls)

    def command_type(self, command: Any) -> str:
        """The stable type name of ``command``'s class.

        Raises:
            UnknownType: If the class is not registered.
        """
        return self._commands.of_class(type(command)).name

    def kept_command(self, command: Any) -> str:
        """The command as canonical JSON text for its decision record.

        Fields the command class does not keep (its ``not_kept``, e.g. evaluation answers,
        which are scored and dropped) are left out.
        """
        not_kept: frozenset[str] = getattr(type(command), "not_kept", frozenset())
        return canonical({k: v for k, v in self.command_to_dict(command).items() if k not in not_kept})

    def fingerprint(self, command: Any) -> str:
        """A digest of the command's type and content, leaving out its id and ``at``.

        A repeated command id is the same command only if its fingerprint is the same.
        Fields the command class does not keep are left out too, so the fingerprint can
        never be used to guess them.
        """
        not_kept = _NOT_FINGERPRINTED | getattr(type(command), "not_kept", frozenset())
        return sha256({k: v for k, v in self.command_to_dict(command).items() if k not in not_kept})
