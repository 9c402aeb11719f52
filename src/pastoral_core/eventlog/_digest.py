"""Canonical JSON and the digests made from it: SHA-256, or HMAC-SHA256 under a host key."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import attrs


def canonical(value: Any) -> str:
    """``value`` as canonical JSON text: sorted keys, no spaces, UTF-8 characters kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256(value: Any) -> str:
    """SHA-256 (hex) of ``value``'s canonical JSON."""
    return hashlib.sha256(canonical(value).encode()).hexdigest()


@attrs.frozen
class Seal:
    """How one record's digests are made: plain SHA-256, or HMAC-SHA256 under a host key.

    A keyed seal's digests cannot be recomputed (so a rewritten record cannot be
    re-sealed, and a tombstone cannot be matched against a guessed note) without the
    secret. The secret never appears in a repr.

    Attributes:
        key_id: The id stored with each record it seals (``None``: unkeyed).
        secret: The key itself (``None``: unkeyed).
    """

    key_id: str | None = None
    secret: bytes | None = attrs.field(default=None, repr=False)

    @property
    def keyed(self) -> bool:
        """Whether digests are HMACs under a key."""
        return self.secret is not None

    def digest(self, value: Any) -> str:
        """The digest (hex) of ``value``'s canonical JSON under this seal."""
        data = canonical(value).encode()
        if self.secret is None:
            return hashlib.sha256(data).hexdigest()
        return hmac.new(self.secret, data, hashlib.sha256).hexdigest()


#: Plain SHA-256: what an unkeyed log (and every record of pastoral_core 0.1) uses.
UNKEYED = Seal()
