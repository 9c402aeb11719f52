"""What a Case holds, folded from its events (how each event changes it: ``_evolve_case``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import attrs

from pastoral_core.eventlog import RecordedEvent
from pastoral_core.kernel import EMPTY, Appended
from pastoral_core.support._events import (
    CaseClosed,
    InterventionDeclined,
    Referred,
    RequestReceived,
    Responded,
)
from pastoral_core.support._model import (
    Recipient,
    ReferralAnswer,
    SessionStatus,
    Tranche,
)
from pastoral_core.support._state_rows import CASE_COLUMNS, case_rows
from pastoral_core.support._timeline import case_timeline
from pastoral_core.tables import Row, Table, html_table
from pastoral_core.values import instant

# -- Case -------------------------------------------------------------------------------


@attrs.frozen
class Engagement:
    """Support for one recipient: officers over time, allowance tranches, sessions used.

    Attributes:
        recipient: Who is supported.
        lead: The current lead officer (``None`` after a switch request until a new one).
        officers: Every officer this recipient has had, in order.
        switched_from: Officers the recipient asked to switch away from.
        used: Sessions counted against the allowance (held, and counted non-attendance).
        tranches: The initial allowance as recorded (the number in force at allocation,
            the window fixed by the first session) and any extensions after review.
        first_session_on: When the first session was held (the allowance window runs from it).
        concluded: The LMC concluded its commitment at review.
    """

    recipient: Recipient
    lead: str | None = None
    officers: tuple[str, ...] = ()
    switched_from: frozenset[str] = frozenset()
    used: int = 0
    tranches: tuple[Tranche, ...] = ()
    first_session_on: dt.date | None = None
    concluded: bool = False

    @property
    def allowance(self) -> Tranche | None:
        """The latest tranche as recorded (the initial one as numbered at allocation).

        Which allowance governs a session depends on the rulebook in force on its date:
        ask :func:`pastoral_core.support.allowance_on` with the host's rulebooks.
        """
        return self.tranches[-1] if self.tranches else None

    @property
    def in_extension(self) -> bool:
        """Whether sessions now fall after the initial allowance (paid as reviewed)."""
        return len(self.tranches) > 1


@attrs.frozen
class Session:
    """A support session with one recipient and one officer."""

    session_id: str
    recipient_id: str
    officer_id: str
    starts_at: dt.datetime
    status: SessionStatus = SessionStatus.SCHEDULED


@attrs.frozen
class Concern:
    """A patient-safety concern's progress."""

    concern_id: str
    guidance_sought: bool = False
    resolved: bool = False


@attrs.frozen
class Case(Table):
    """Everything known about one request for support, folded from its events.

    Names and contact details are never held (rule MINIMAL): people are opaque ids, and
    note texts stay in their events. So does other typed text: ``declined`` holds the
    ``InterventionDeclined`` events, whose reprs hide what was asked for and why.

    As a table (:meth:`to_rows`, and its HTML in a notebook, under its timeline) it shows
    one row per fact under :attr:`columns`, never free text.
    """

    columns = CASE_COLUMNS
    caption = "Case: its facts"

    request: RequestReceived | None = None
    response: Responded | None = None
    mou_sent_at: dt.datetime | None = None
    engagements: Mapping[str, Engagement] = EMPTY
    second_officer: str | None = None
    disputes: frozenset[frozenset[str]] = frozenset()
    sessions: Mapping[str, Session] = EMPTY
    referrals: Mapping[str, Referred] = EMPTY
    answers: Mapping[str, ReferralAnswer] = EMPTY
    meetings: frozenset[str] = frozenset()
    concerns: Mapping[str, Concern] = EMPTY
    disclosures: frozenset[str] = frozenset()
    note_ids: Sequence[str] = Appended()
    notes_destroyed: bool = False
    aggression_reported: bool = False
    ceased: bool = False
    closure: CaseClosed | None = None
    declined: tuple[InterventionDeclined, ...] = ()

    @property
    def mou_sent(self) -> bool:
        """Whether the memorandum of understanding has been sent."""
        return self.mou_sent_at is not None

    def mou_sent_by(self, moment: dt.datetime) -> bool:
        """Whether the MoU had been sent by ``moment`` (PSN-MOU-FIRST: before the first meeting)."""
        return self.mou_sent_at is not None and instant(self.mou_sent_at) <= instant(moment)

    @property
    def received(self) -> bool:
        """Whether the request has been received."""
        return self.request is not None

    @property
    def closed(self) -> bool:
        """Whether the case is closed."""
        return self.closure is not None

    @property
    def recipients(self) -> Mapping[str, Recipient]:
        """The case's recipients by id."""
        if self.request is None:
            return EMPTY
        return {r.recipient_id: r for r in self.request.recipients}

    @property
    def allocated_officers(self) -> frozenset[str]:
        """Officers allocated to the case now: current leads and the second officer."""
        leads = {e.lead for e in self.engagements.values() if e.lead}
        return frozenset(leads | ({self.second_officer} if self.second_officer else set()))

    @property
    def open_concerns(self) -> tuple[str, ...]:
        """Ids of patient-safety concerns not yet resolved."""
        return tuple(c.concern_id for c in self.concerns.values() if not c.resolved)

    def lead_of(self, recipient_id: str) -> str | None:
        """The current lead officer of a recipient, if any."""
        engagement = self.engagements.get(recipient_id)
        return engagement.lead if engagement else None

    def to_rows(self) -> list[Row]:
        """The case's facts, one row each under :attr:`columns`: ids, dates, statuses, counts; no free text."""
        return case_rows(self)

    def timeline_svg(self, records: Iterable[RecordedEvent] = ()) -> str:
        """The case's facts on a time axis, as SVG (see :func:`~pastoral_core.support.case_timeline`)."""
        return case_timeline(self, records)

    def _repr_html_(self) -> str:
        return case_timeline(self) + html_table(self.columns, self.to_rows(), self.caption)
