"""The store contract's checks of reads and integrity: positions, catch-up, verify, keys, a real case."""

from __future__ import annotations

import datetime as dt

from pastoral_core.eventlog import DEFAULT_CODEC, EventLog, RecordedEvent, verify
from pastoral_core.exceptions import InvalidValue, PastoralCoreError
from pastoral_core.kernel import execute
from pastoral_core.support import (
    CASE,
    DEVON_PSN,
    AllocateOfficer,
    Background,
    Directory,
    OfficerEnrolled,
    ReceiveRequest,
    Recipient,
    RecipientKind,
    RecordNote,
    SendMou,
    SupportContext,
    SupportRole,
)
from pastoral_core.testing._store_contract_kit import (
    FORGED,
    KEYS,
    ROTATED,
    ContractHooks,
    append_notes,
    check,
    expect,
    verified,
)


class ReadChecks(ContractHooks):
    """Reads: by stream, and from a global position, as a catch-up reader uses them."""

    def test_read_all_returns_every_record_from_a_position_in_order(self) -> None:
        """Positions are unique and increase; ``read_all(p)`` is exactly the records at ``p`` and after."""
        store = self.new_store()
        for n, (stream, size) in enumerate([("a", 2), ("b", 1), ("a", 1), ("c", 3), ("b", 2), ("a", 1)]):
            append_notes(store, f"case-{stream}", f"w-{n}", [f"note {n}.{i}" for i in range(size)])
        records = tuple(store.read_all())
        positions = [r.position for r in records]
        check(len(records) == 10, f"read_all returns {len(records)} records, not the 10 written")
        check(positions[0] >= 1 and positions == sorted(set(positions)), f"positions must increase: {positions}")
        check(tuple(store.read_all(1)) == records, "read_all(1) is not read_all()")
        for index, record in enumerate(records):
            check(tuple(store.read_all(record.position)) == records[index:], f"read_all({record.position}) is wrong")
            check(tuple(store.read_all(record.position + 1)) == records[index + 1 :], "read_all(p + 1) is wrong")
            by_stream = store.read_stream(record.stream_id)
            check(
                by_stream[record.stream_version - 1] == record, "a record reads differently by stream and by position"
            )
        for stream in ("case-a", "case-b", "case-c"):
            in_order = [r.stream_version for r in records if r.stream_id == stream]
            check(in_order == list(range(1, len(in_order) + 1)), f"{stream}'s versions in position order: {in_order}")

    def test_a_catch_up_reader_sees_every_record_once(self) -> None:
        """A reader asking ``read_all(last + 1)`` between appends sees each record once, in order."""
        store = self.new_store()
        reader = self.second_writer(store)
        seen: list[RecordedEvent] = []

        def catch_up() -> None:
            seen.extend(reader.read_all((seen[-1].position if seen else 0) + 1))

        catch_up()
        for n in range(8):
            append_notes(store, f"case-{n % 3}", f"w-{n}", [f"note {n}"] * (n % 3 + 1))
            catch_up()
            if n % 2:
                catch_up()
        check(tuple(seen) == tuple(store.read_all()), "a catch-up reader missed a record, or saw one twice")


class IntegrityChecks(ContractHooks):
    """What a store persists: ``verify`` passes on it, it round-trips, and keyed stores seal with the key."""

    def test_what_the_store_keeps_verifies_and_round_trips(self) -> None:
        """``verify`` passes, the JSON lines load back equal, and a checkpoint taken earlier still holds."""
        store = self.new_store()
        for n in range(4):
            append_notes(store, f"case-{n % 2}", f"w-{n}", ["written", "here"])
        early = verify(store.read_all())
        check(early.ok and early.checkpoint is not None, f"a new store does not verify: {early.reason}")
        for n in range(4, 7):
            append_notes(store, f"case-{n % 3}", f"w-{n}", ["more"])
        records = tuple(store.read_all())
        verified(records, "an unkeyed store")
        check(verify(records, since=early.checkpoint).ok, "the log no longer holds what an earlier checkpoint saw")
        check(all(r.key_id is None for r in records), "an unkeyed store sealed a record with a key")
        check(all(DEFAULT_CODEC.from_dict(DEFAULT_CODEC.to_dict(r)) == r for r in records), "a record round-trips")
        check(tuple(self.reopened(store).read_all()) == records, "the store reads back other records when reopened")

    def test_a_keyed_store_seals_every_record_with_the_active_key(self) -> None:
        """Every record names the active key; it verifies with the keyring, not without it nor with a forged one."""
        store = self.new_store(keys=KEYS)
        for n in range(3):
            append_notes(store, f"case-{n % 2}", f"w-{n}", ["keyed"])
        records = tuple(store.read_all())
        check(all(r.key_id == KEYS.active for r in records), "a keyed store must seal every record with the active key")
        verified(records, "a keyed store", keys=KEYS)
        check(not verify(records).ok, "a keyed store's records verify without the key")
        check(not verify(records, keys=FORGED).ok, "a keyed store's records verify with a forged key")
        check(tuple(self.reopened(store, KEYS).read_all()) == records, "the keyed records change on reopening")

    def test_rotating_keys_seals_new_records_with_the_new_key_and_keeps_the_old(self) -> None:
        """After rotation new records name the new key, old ones keep theirs; a keyring losing one is refused."""
        store = self.new_store(keys=KEYS)
        append_notes(store, "case-a", "w-1", ["sealed with a"])
        store = self.opened(self.rotate_keys(store, ROTATED))
        append_notes(store, "case-a", "w-2", ["sealed with b"])
        append_notes(store, "case-b", "w-3", ["sealed with b"])
        records = tuple(store.read_all())
        check([r.key_id for r in records] == ["contract-a", "contract-b", "contract-b"], "rotation sealed wrongly")
        verified(records, "a store after key rotation", keys=ROTATED)
        old = store.redact(records[0].position, ["text"])
        check(str(getattr(old.event, "text", "")).startswith("<redacted hmac-"), "an old record redacts under its key")
        verified(store.read_all(), "a store after redacting a record sealed with a retired key", keys=ROTATED)
        with expect(InvalidValue, "rotating to a keyring without a key some record was sealed with"):
            self.opened(self.rotate_keys(store, FORGED))

    def test_a_real_case_through_execute_verifies_and_replays(self) -> None:
        """A pastoral support case run by ``execute`` on a keyed store: every command replays, the log verifies."""
        store = self.new_store(keys=KEYS)
        reference = EventLog(keys=KEYS)
        context = SupportContext(DEVON_PSN, _DIRECTORY)
        for command in _case_commands():
            accepted = execute(store, CASE, "contract-1", command, context)
            expected = execute(reference, CASE, "contract-1", command, context)
            check(not accepted.replayed, f"{type(command).__name__} was taken for a replay the first time")
            check(accepted.events == expected.events, f"{type(command).__name__} recorded other events than EventLog")
        records = tuple(store.read_stream("case-contract-1"))
        check(len(records) == len(reference.read_all()), "the case stream lost or duplicated events")
        for command in _case_commands():
            try:
                again = execute(store, CASE, "contract-1", command, context)
            except PastoralCoreError as exc:
                raise AssertionError(f"{type(command).__name__} sent again was not replayed: {exc}") from exc
            check(again.replayed, f"{type(command).__name__} sent again was not replayed")
            check(tuple(again.records) == tuple(store.recorded_for(command.command_id) or ()), "a replay differs")
        check(tuple(store.read_stream("case-contract-1")) == records, "replaying the commands wrote something")
        verified(store.read_all(), "a real case", keys=KEYS)


_AT = dt.datetime(2027, 1, 11, 10, tzinfo=dt.UTC)
_COORDINATOR = SupportRole.COORDINATOR
_DIRECTORY = Directory.from_events([OfficerEnrolled("off-1", Background.GP, "P-OTHER-1", frozenset())])


def _case_commands() -> list[ReceiveRequest | SendMou | AllocateOfficer | RecordNote]:
    gp = (Recipient("gp-a", RecipientKind.GP),)
    return [
        ReceiveRequest(
            command_id="case-1", actor="coord-1", role=_COORDINATOR, at=_AT, kind=RecipientKind.GP, recipients=gp
        ),
        SendMou(command_id="case-2", actor="coord-1", role=_COORDINATOR, at=_AT, terms_version="PSN-MOU-2019"),
        AllocateOfficer(
            command_id="case-3", actor="coord-1", role=_COORDINATOR, at=_AT, recipient_id="gp-a", officer_id="off-1"
        ),
        RecordNote(
            command_id="case-4",
            actor="off-1",
            role=SupportRole.OFFICER,
            at=_AT + dt.timedelta(days=1),
            note_id="n-1",
            text="First talk went well; a follow-up is planned",
        ),
    ]
