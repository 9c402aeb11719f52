"""Read models of the evaluation (GPS-EVALUATION): response rates, score distributions, paired change.

Scores only: WEMWBS gives one ``total`` (14-70), the CBI three subscales (0-100). No
answer and no item wording is kept, so every figure here is computed from the scores.
"""

from __future__ import annotations

import decimal
import itertools
from collections.abc import Mapping

import attrs

from pastoral_core.peer_groups._events import EvaluationRoundOpened
from pastoral_core.peer_groups._instruments import INSTRUMENTS, Instrument, Subscale
from pastoral_core.peer_groups._projections import wellbeing_changes
from pastoral_core.peer_groups._read_models import programme_of
from pastoral_core.peer_groups._state import PeerGroup
from pastoral_core.rules import half_up
from pastoral_core.tables import RowsTable, columns_of, percent, states_of

#: How many equal bands a score's range is cut into.
BANDS = 4


_Round = tuple[str, str, PeerGroup, EvaluationRoundOpened]


def _rounds(groups: Mapping[str, PeerGroup]) -> list[_Round]:
    """(programme id, group id, group, round) for every round of every group set up, by programme and group."""
    found: list[_Round] = []
    for group_id, group in groups.items():
        programme_id = programme_of(group)
        if programme_id is not None:
            found.extend((programme_id, group_id, group, r) for r in group.rounds.values())
    return sorted(found, key=lambda f: (f[0], f[1]))  # stable: each group's rounds stay in the order opened


@attrs.frozen
class ResponseRateRow:
    """How many of those who could answer one round did.

    Attributes:
        programme_id: The group's programme.
        group_id: The group.
        round_id: The round.
        kind: ``baseline`` or ``follow_up``.
        instrument: ``WEMWBS`` or ``CBI``.
        eligible: Attendees who could answer: those enrolled now, and those who answered
            and have since left.
        responses: Attendees who answered.
        rate: ``responses / eligible`` as a percentage, half-up to 2 places (``None``
            with no one eligible).
    """

    programme_id: str
    group_id: str
    round_id: str
    kind: str
    instrument: str
    eligible: int
    responses: int
    rate: decimal.Decimal | None


@attrs.frozen
class ResponseRates(RowsTable[ResponseRateRow]):
    """The response rate of every evaluation round, by programme and group, rounds in the order opened.

    A group's state keeps who is enrolled now and who answered each round, not who was
    enrolled on the day a round opened, so a round's eligible attendees are those
    enrolled now plus those who answered it and have since left (only enrolled attendees
    may answer: GPS-EVALUATION). An attendee who joins after a round opened can still
    answer it, so counts them.

    Attributes:
        rows: One :class:`ResponseRateRow` per round.
    """

    columns = columns_of(ResponseRateRow)
    caption = "Evaluation response rates"

    rows: tuple[ResponseRateRow, ...]

    @classmethod
    def of(cls, groups: Mapping[str, PeerGroup]) -> ResponseRates:
        """The table for ``groups`` (peer group states by id).

        Raises:
            InvalidType: If ``groups`` is not a mapping of ids to group states.
        """
        rows = []
        for programme_id, group_id, group, round_ in _rounds(states_of("ResponseRates", "groups", groups, PeerGroup)):
            answered = {attendee for round_id, attendee in group.responses if round_id == round_.round_id}
            eligible = len(answered | set(group.attendees))
            rate = percent(len(answered), eligible)
            row = ResponseRateRow(
                programme_id,
                group_id,
                round_.round_id,
                round_.kind.value,
                round_.instrument,
                eligible,
                len(answered),
                rate,
            )
            rows.append(row)
        return cls(tuple(rows))


def score_range(instrument: Instrument, subscale: Subscale) -> tuple[decimal.Decimal, decimal.Decimal]:
    """The lowest and highest score a subscale can give (WEMWBS ``total``: 14-70; a CBI subscale: 0-100)."""
    lows, highs = [], []
    for item in subscale.items:
        values = [instrument.reverse_from - a if item in subscale.reversed_items else a for a in instrument.allowed]
        lows.append(min(values))
        highs.append(max(values))
    low, high = decimal.Decimal(sum(lows)), decimal.Decimal(sum(highs))
    if instrument.combine != "sum":
        low, high = half_up(low / len(lows)), half_up(high / len(highs))
    return low, high


def _bands(instrument: Instrument, subscale: Subscale) -> list[tuple[decimal.Decimal, decimal.Decimal]]:
    low, high = score_range(instrument, subscale)
    edges = [half_up(low + (high - low) * k / BANDS) for k in range(BANDS + 1)]
    return list(itertools.pairwise(edges))


@attrs.frozen
class ScoreBandRow:
    """How many responses to one round gave one score within one band.

    Attributes:
        programme_id: The group's programme.
        group_id: The group.
        round_id: The round.
        kind: ``baseline`` or ``follow_up``.
        instrument: ``WEMWBS`` or ``CBI``.
        score: ``total`` (WEMWBS); ``personal``, ``work`` or ``client`` (CBI).
        band_from: The band's lowest score.
        band_to: The next band's lowest score (the last band holds its ``band_to`` too).
        responses: Responses whose score falls in the band.
    """

    programme_id: str
    group_id: str
    round_id: str
    kind: str
    instrument: str
    score: str
    band_from: decimal.Decimal
    band_to: decimal.Decimal
    responses: int


@attrs.frozen
class ScoreDistribution(RowsTable[ScoreBandRow]):
    """How the scores of each round are spread: counts per score band.

    Each score's range (WEMWBS ``total`` 14-70, a CBI subscale 0-100) is cut into four
    equal bands: WEMWBS 14-28, 28-42, 42-56 and 56-70; CBI 0-25, 25-50, 50-75 and
    75-100. A score ``s`` is in the band with ``band_from <= s < band_to``, and a top
    score (70, 100) in the last band. Every band of every score of every round has a row,
    so bands no one scored in show 0. Rows are by programme and group, rounds in the order
    opened, scores and bands in order.

    Attributes:
        rows: One :class:`ScoreBandRow` per round, score and band.
    """

    columns = columns_of(ScoreBandRow)
    caption = "Evaluation scores by band"

    rows: tuple[ScoreBandRow, ...]

    @classmethod
    def of(cls, groups: Mapping[str, PeerGroup]) -> ScoreDistribution:
        """The table for ``groups`` (peer group states by id).

        Raises:
            InvalidType: If ``groups`` is not a mapping of ids to group states.
        """
        rows = []
        for programme_id, group_id, group, round_ in _rounds(
            states_of("ScoreDistribution", "groups", groups, PeerGroup)
        ):
            instrument = INSTRUMENTS.get(round_.instrument)
            if instrument is None:
                continue
            answers = [scores for (round_id, _), scores in group.responses.items() if round_id == round_.round_id]
            for subscale in instrument.subscales:
                values = [s.value for scores in answers for s in scores if s.name == subscale.name]
                bands = _bands(instrument, subscale)
                for n, (low, high) in enumerate(bands, start=1):
                    last = n == len(bands)
                    count = sum(1 for v in values if low <= v < high or (last and v == high))
                    rows.append(
                        ScoreBandRow(
                            programme_id,
                            group_id,
                            round_.round_id,
                            round_.kind.value,
                            round_.instrument,
                            subscale.name,
                            low,
                            high,
                            count,
                        )
                    )
        return cls(tuple(rows))


@attrs.frozen
class PairedChangeRow:
    """The change in one mean score from a baseline round to a follow-up round, over the same attendees.

    Attributes:
        programme_id: The group's programme.
        group_id: The group.
        instrument: ``WEMWBS`` or ``CBI``.
        score: ``total`` (WEMWBS); ``personal``, ``work`` or ``client`` (CBI).
        baseline_round: The baseline round.
        follow_up_round: The follow-up round.
        paired: Attendees who answered both.
        baseline_mean: Their mean at baseline, half-up to 2 places.
        follow_up_mean: Their mean at follow-up.
        change: ``follow_up_mean - baseline_mean`` (WEMWBS: higher is better; CBI:
            lower is less burnout).
    """

    programme_id: str
    group_id: str
    instrument: str
    score: str
    baseline_round: str
    follow_up_round: str
    paired: int
    baseline_mean: decimal.Decimal
    follow_up_mean: decimal.Decimal
    change: decimal.Decimal


@attrs.frozen
class PairedChanges(RowsTable[PairedChangeRow]):
    """Paired change from baseline to follow-up for WEMWBS and each CBI subscale, per group.

    Each row is one :class:`~pastoral_core.peer_groups.WellbeingChange` of
    :func:`~pastoral_core.peer_groups.wellbeing_changes`: each instrument's first
    baseline round paired with each of its follow-up rounds, over the attendees who
    answered both; a pair of rounds no attendee answered both of has no row.

    Attributes:
        rows: One :class:`PairedChangeRow` per group, baseline and follow-up, and score.
    """

    columns = columns_of(PairedChangeRow)
    caption = "Paired change, baseline to follow-up"

    rows: tuple[PairedChangeRow, ...]

    @classmethod
    def of(cls, groups: Mapping[str, PeerGroup]) -> PairedChanges:
        """The table for ``groups`` (peer group states by id).

        Raises:
            InvalidType: If ``groups`` is not a mapping of ids to group states.
        """
        rows: list[PairedChangeRow] = []
        for group_id, group in states_of("PairedChanges", "groups", groups, PeerGroup).items():
            programme_id = programme_of(group)
            if programme_id is None:
                continue
            rows.extend(
                PairedChangeRow(
                    programme_id,
                    group_id,
                    c.instrument,
                    c.score,
                    c.baseline_round,
                    c.follow_up_round,
                    c.paired,
                    c.baseline_mean,
                    c.follow_up_mean,
                    c.change,
                )
                for c in wellbeing_changes(group)
            )
        return cls(tuple(sorted(rows, key=lambda r: (r.programme_id, r.group_id))))
