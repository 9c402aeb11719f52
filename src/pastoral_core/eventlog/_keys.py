"""Host-supplied keys for the integrity chain: which key seals new records, which verify old ones."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs

from pastoral_core.eventlog._digest import UNKEYED, Seal
from pastoral_core.exceptions import InvalidType, InvalidValue

#: The fewest bytes a key may have (the size of an HMAC-SHA256 output).
MIN_KEY_BYTES = 32
_KEY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


def _frozen_keys(keys: Mapping[str, bytes]) -> Mapping[str, bytes]:
    if not isinstance(keys, Mapping) or not keys:
        raise InvalidValue("Keyring", "keys", "must map at least one key id to its secret bytes")
    for key_id, secret in keys.items():
        if not isinstance(key_id, str) or not _KEY_ID.fullmatch(key_id):
            raise InvalidValue("Keyring", "keys", "a key id is 1-64 letters, digits or . _ : - (starting alphanumeric)")
        if not isinstance(secret, bytes) or len(secret) < MIN_KEY_BYTES:
            raise InvalidValue("Keyring", "keys", f"key {key_id!r} must be at least {MIN_KEY_BYTES} bytes")
    return MappingProxyType(dict(keys))


@attrs.frozen
class Keyring:
    """The keys a host gives the log: one seals new records, every one verifies its own.

    Each keyed record stores the id of the key that sealed it (never the key), so
    verification picks the right key per record. To rotate, add a new key and make it
    ``active``: new records are sealed with it, older records keep their key id and still
    verify, and nothing already written changes. Keep a retired key in the keyring for as
    long as records sealed with it exist (a log's first record sealed with the new key
    also anchors every record before it in its stream). A keyring without ``active``
    only verifies.

    Args:
        keys: Key id -> secret (at least 32 bytes, from a secrets manager; never from
            this library, which makes no randomness).
        active: The id of the key that seals new records, or ``None`` (verify only).
        unkeyed_before: Records at positions below this may be unkeyed (a log written
            before the host adopted keys); from it on, an unkeyed record fails
            verification, so nobody can replace keyed records by records sealed without
            a key. Default 1: every record must be keyed.

    """

    keys: Mapping[str, bytes] = attrs.field(converter=_frozen_keys, repr=lambda keys: f"<{len(keys)} key(s)>")
    active: str | None = None
    unkeyed_before: int = 1

    def __attrs_post_init__(self) -> None:
        if self.active is not None and self.active not in self.keys:
            raise InvalidValue("Keyring", "active", "must be the id of one of the keys")
        value = self.unkeyed_before
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidValue("Keyring", "unkeyed_before", "must be a whole number >= 1")

    def seal(self, key_id: str | None) -> Seal | None:
        """The seal for records stored with ``key_id`` (``None``: unkeyed), or ``None`` if not held."""
        if key_id is None:
            return UNKEYED
        secret = self.keys.get(key_id)
        return Seal(key_id, secret) if secret is not None else None

    @property
    def sealing(self) -> Seal:
        """The seal for new records.

        Raises:
            InvalidValue: If the keyring has no active key.
        """
        if self.active is None:
            raise InvalidValue("Keyring", "active", "a keyring that seals new records needs an active key")
        return Seal(self.active, self.keys[self.active])


def check_store_keys(keys: object, used: Iterable[str | None] = (), *, owner: str = "EventStore") -> Keyring | None:
    """The keyring a store is given, checked: ``None``, or a :class:`Keyring` that can seal.

    Args:
        keys: What the host passed.
        used: The key ids of the records the store already holds (``None`` for unkeyed
            ones): the keyring must keep every key still needed to verify and redact them.
        owner: The store's name, for the error.

    Raises:
        InvalidType: If ``keys`` is neither ``None`` nor a :class:`Keyring`.
        InvalidValue: If it has no active key, or lacks a key some record was sealed with.
    """
    if keys is None and all(key_id is None for key_id in used):
        return None
    if keys is not None and not isinstance(keys, Keyring):
        raise InvalidType(owner, "keys", "must be a Keyring or None")
    if keys is None or any(key_id is not None and keys.seal(key_id) is None for key_id in used):
        raise InvalidValue(owner, "keys", "the keyring must keep every key a record was sealed with")
    if keys.active is None:
        raise InvalidValue(owner, "keys", "a store's keyring needs an active key to seal new records")
    return keys
