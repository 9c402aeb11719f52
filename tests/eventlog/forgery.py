"""What a forger can do with a stored log: edit rows, then re-seal them with whatever key they hold."""

import json

from pastoral_core.eventlog._decision_lines import with_decisions
from pastoral_core.eventlog._digest import UNKEYED, Seal
from pastoral_core.eventlog._integrity import GENESIS, decision_digest, payload_digest, record_digest


def rows_of(text: str) -> list[dict]:
    """Each stored record's plain data, its decision (on the line before it) put back in it."""
    values = ((n, json.loads(line)) for n, line in enumerate(text.splitlines(), start=1) if line)
    return [row for _, row in with_decisions(values)]


def text_of(rows: list[dict]) -> str:
    """Rows written as the codec writes them: a decision on its own line before its record."""
    out = []
    for row in rows:
        row = dict(row)
        decision = row.pop("decision", None)
        if decision is not None:
            belongs = {"stream_id": row["stream_id"], "stream_version": row["stream_version"]}
            out.append(json.dumps({"decision_of": belongs, "decision": decision}, ensure_ascii=False) + "\n")
        out.append(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    return "".join(out)


def resealed(rows: list[dict], seal: Seal = UNKEYED) -> list[dict]:
    """Every row re-sealed as a per-stream chain under ``seal`` (a forger without the key uses none)."""
    heads: dict[str, str] = {}
    out = []
    for row in rows:
        row = dict(row)
        row.pop("key_id", None)
        if seal.key_id is not None:
            row["key_id"] = seal.key_id
        row["chain"] = 2
        row["payload_digest"] = payload_digest(row["event"], seal)
        row["digest"] = record_digest(
            heads.get(row["stream_id"], GENESIS),
            row["stream_id"],
            row["stream_version"],
            row["position"],
            row["metadata"],
            row["payload_digest"],
            decision_digest(row.get("decision"), seal),
            seal=seal,
        )
        heads[row["stream_id"]] = row["digest"]
        out.append(row)
    return out
