"""Tamper evidence that survives redaction: per-field digests, each record chained to its stream.

A record's digest seals its stream, version, global position, metadata, the digest of
its payload (made field by field, so a tombstone keeps the chain whole) and its
decision, and links to the digest of the record before it **in its stream**: appends to
different streams never wait on one another, and a store needs no global lock to seal.
Records written by pastoral_core 0.1 link to the record before them in the whole log;
they keep verifying as written (their ``chain`` is 1).

A host may supply a key (:class:`~pastoral_core.eventlog.Keyring`): every digest of a
keyed record is then an HMAC, so a rewritten record cannot be re-sealed and a tombstone
cannot be matched against a guessed note without the key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from pastoral_core.eventlog._digest import UNKEYED, Seal
from pastoral_core.eventlog._registry import TYPE_KEY, VERSION_KEY

#: The "previous digest" of the first record of a stream (or of a 0.1 log).
GENESIS = "0" * 64
#: ``RecordedEvent.chain`` of a record linked to the record before it in the whole log (0.1).
LOG_CHAIN = 1
#: ``RecordedEvent.chain`` of a record linked to the record before it in its stream.
STREAM_CHAIN = 2

# The shape of values.TOMBSTONE: an unkeyed record's tombstone keeps a SHA-256, a keyed
# record's an HMAC-SHA256 (which nobody without the key can match against a guess).
_TOMBSTONE = re.compile(r"^<redacted (?:hmac-)?sha256=([0-9a-f]{64})>$")


def tombstone(field_digest: str, *, keyed: bool = False) -> str:
    """The text that replaces a redacted field: it keeps only the field's digest."""
    return f"<redacted {'hmac-' if keyed else ''}sha256={field_digest}>"


def is_tombstone(value: object) -> bool:
    """Whether ``value`` is a redaction tombstone."""
    return isinstance(value, str) and _TOMBSTONE.match(value) is not None


def field_digest(value: Any, seal: Seal = UNKEYED) -> str:
    """The digest of one unstructured field value; a tombstone yields the digest it keeps."""
    if isinstance(value, str):
        match = _TOMBSTONE.match(value)
        if match:
            return match.group(1)
    return seal.digest(value)


def payload_digest(event_data: Mapping[str, Any], seal: Seal = UNKEYED) -> str:
    """Digest of an unstructured event: its type, version and the digest of each field.

    Because each field is digested on its own, replacing a field by its tombstone leaves
    this digest unchanged.
    """
    fields = {k: field_digest(v, seal) for k, v in event_data.items() if k not in (TYPE_KEY, VERSION_KEY)}
    return seal.digest([event_data.get(TYPE_KEY), event_data.get(VERSION_KEY), fields])


def decision_digest(decision: Mapping[str, Any] | None, seal: Seal = UNKEYED) -> str | None:
    """Digest of a decision record: its verdicts and every text value of its kept command.

    The fingerprint is left out (redaction destroys it), and each text value of the
    command, at any depth, is digested on its own, so replacing free text by its
    tombstone leaves this digest unchanged.
    """
    if decision is None:
        return None
    command = decision.get("command")
    content: Any = command
    if isinstance(command, str):
        try:
            content = _leaf_digests(json.loads(command), seal)
        except ValueError:
            content = command
    return seal.digest([decision.get("verdicts"), content])


def _leaf_digests(value: Any, seal: Seal) -> Any:
    if isinstance(value, str):
        return field_digest(value, seal)
    if isinstance(value, dict):
        return {k: _leaf_digests(v, seal) for k, v in value.items()}
    if isinstance(value, list):
        return [_leaf_digests(v, seal) for v in value]
    return value


def record_digest(
    previous: str,
    stream_id: str,
    stream_version: int,
    position: int,
    metadata: Mapping[str, Any],
    payload: str,
    decision: str | None = None,
    *,
    chain: int = STREAM_CHAIN,
    seal: Seal = UNKEYED,
) -> str:
    """Digest sealing one record (and its decision digest, if any) to the one before it.

    ``previous`` is the digest of the record before it in its stream (``chain`` 2), or in
    the whole log for a 0.1 record (``chain`` 1, always unkeyed).
    """
    parts: list[Any] = [previous, stream_id, stream_version, position, metadata, payload]
    if decision is not None:
        parts.append(decision)
    if chain != LOG_CHAIN:
        parts = ["stream-chain", chain, seal.key_id, *parts]
    return seal.digest(parts)
