"""Drawing a timeline as SVG text: lanes of marks over a dated axis, a legend; no plotting package."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence

import attrs
from dateutil.relativedelta import relativedelta

from pastoral_core.values import LONDON

LEFT, RIGHT, TOP, LANE, RADIUS = 130, 24, 34, 28, 6
LEGEND_ITEM, LEGEND_ROW = 200, 18
DAY = 86_400.0
STAGGER = (0, -7, 7)


@attrs.frozen
class Mark:
    """One fact on a timeline.

    Attributes:
        moment: When it happened (aware); a fact known by its date alone sits at midday.
        lane: The row it is drawn in (``"request"``, ``"sessions <recipient>"``, ``"other facts"``,
            ``"closure"``).
        label: What kind of fact it is, as the legend names it (``"session held"``).
        title: What the mark says when pointed at: what, who and when, never free text.
    """

    moment: dt.datetime
    lane: str
    label: str
    title: str


def _lane_order(lane: str) -> tuple[int, str]:
    first = lane.split(" ", 1)[0]
    return ({"request": 0, "sessions": 1, "other": 2, "closure": 3}.get(first, 2), lane)


def _attrs(**values: object) -> str:
    return " ".join(f'{name.rstrip("_").replace("_", "-")}="{html.escape(str(v))}"' for name, v in values.items())


def shape(kind: str, colour: str, x: float, y: float, r: float = RADIUS) -> str:
    """One mark's shape at ``(x, y)``: circle, ring, diamond, square, triangle or bar."""
    x, y = round(x, 1), round(y, 1)
    if kind == "circle":
        return f"<circle {_attrs(cx=x, cy=y, r=r, fill=colour)}/>"
    if kind == "ring":
        return f"<circle {_attrs(cx=x, cy=y, r=r - 1, fill='#ffffff', stroke=colour, stroke_width=2)}/>"
    if kind == "square":
        return f"<rect {_attrs(x=x - r + 1, y=y - r + 1, width=2 * r - 2, height=2 * r - 2, fill=colour)}/>"
    if kind == "triangle":
        points = f"{x},{y - r} {x + r},{y + r - 1} {x - r},{y + r - 1}"
    elif kind == "bar":
        return f"<rect {_attrs(x=x - 1.5, y=y - r - 2, width=3, height=2 * r + 4, fill=colour)}/>"
    else:  # diamond
        points = f"{x},{y - r} {x + r},{y} {x},{y + r} {x - r},{y}"
    return f"<polygon {_attrs(points=points, fill=colour)}/>"


def _ticks(low: float, high: float, most: int) -> tuple[list[dt.datetime], str]:
    """At most ``most`` tick moments (London midnights) between two timestamps, and their label format."""
    span = (high - low) / DAY
    first = dt.datetime.fromtimestamp(low, LONDON).date()
    step: relativedelta
    if span <= 12:
        step, fmt, start = relativedelta(days=1), "%d %b", first
    elif span <= 120:
        step, fmt, start = relativedelta(weeks=1), "%d %b", first + dt.timedelta(days=-first.weekday() % 7)
    elif span <= 600:
        step, fmt, start = relativedelta(months=1), "%b %Y", first.replace(day=1)
    elif span <= 1800:
        step, fmt, start = relativedelta(months=3), "%b %Y", first.replace(day=1, month=(first.month - 1) // 3 * 3 + 1)
    else:
        step, fmt, start = relativedelta(years=1), "%Y", first.replace(month=1, day=1)
    ticks, day = [], start
    while True:
        moment = dt.datetime.combine(day, dt.time(0), tzinfo=LONDON)
        if moment.timestamp() > high:
            break
        if moment.timestamp() >= low:
            ticks.append(moment)
        day = day + step
    thin = max(1, -(-len(ticks) // max(2, most)))
    return ticks[::thin], fmt


def _legend(labels: Sequence[str], styles: Mapping[str, tuple[str, str]], width: int, top: float) -> list[str]:
    per_row = max(1, (width - 20) // LEGEND_ITEM)
    parts = []
    for n, label in enumerate(labels):
        kind, colour = styles.get(label, ("circle", "#455a64"))
        x = 20 + (n % per_row) * LEGEND_ITEM
        y = top + (n // per_row) * LEGEND_ROW
        parts.append(
            f'<g class="legend-item">{shape(kind, colour, x + 6, y - 4, 5)}'
            f"<text {_attrs(x=x + 16, y=y)}>{html.escape(label)}</text></g>"
        )
    return parts


def draw(
    marks: Sequence[Mark], styles: Mapping[str, tuple[str, str]], *, title: str, width: int, footnote: str = ""
) -> str:
    """An SVG of ``marks`` in lanes over a dated axis, with a legend of the labels shown.

    Args:
        marks: The facts to draw; each becomes one ``<g class="mark">`` with its ``<title>``.
        styles: Shape and colour by label (see ``support._timeline.STYLES``).
        title: The drawing's title (first child, and shown at the top).
        width: Width in pixels.
        footnote: A line of text under the legend, if any.

    Returns:
        The ``<svg>`` element as text.
    """
    lanes = sorted({m.lane for m in marks}, key=_lane_order)
    row = {lane: TOP + LANE * n + LANE / 2 for n, lane in enumerate(lanes)}
    axis = TOP + LANE * len(lanes) + 6
    labels = list(dict.fromkeys(m.label for m in marks))
    per_row = max(1, (width - 20) // LEGEND_ITEM)
    legend_top = axis + 42
    height = legend_top + LEGEND_ROW * -(-len(labels) // per_row) + (LEGEND_ROW if footnote else 0) + 4
    size = _attrs(width=width, height=round(height), viewBox=f"0 0 {width} {round(height)}")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" {size} role="img" font-family="sans-serif" font-size="11">',
        f"<title>{html.escape(title)}</title>",
        f"<text {_attrs(x=10, y=18, font_size=13, font_weight='bold')}>{html.escape(title)}</text>",
    ]
    if not marks:
        parts.append(f"<text {_attrs(x=10, y=TOP + 14)}>No facts recorded yet.</text></svg>")
        return "".join(parts)
    stamps = [m.moment.timestamp() for m in marks]
    low, high = min(stamps), max(stamps)
    if high - low < 2 * DAY:
        middle = (low + high) / 2
        low, high = middle - DAY, middle + DAY
    pad = (high - low) * 0.04
    low, high = low - pad, high + pad
    span = width - LEFT - RIGHT

    def x_of(stamp: float) -> float:
        return LEFT + (stamp - low) / (high - low) * span

    for lane in lanes:
        y = row[lane]
        parts.append(f"<line {_attrs(x1=LEFT, y1=y, x2=width - RIGHT, y2=y, stroke='#e0e0e0')}/>")
        parts.append(f"<text {_attrs(x=10, y=y + 4)}>{html.escape(lane)}</text>")
    ticks, fmt = _ticks(low, high, span // 60)
    parts.append(f"<line {_attrs(x1=LEFT, y1=axis, x2=width - RIGHT, y2=axis, stroke='#424242')}/>")
    for tick in ticks:
        x = round(x_of(tick.timestamp()), 1)
        parts.append(f"<line {_attrs(x1=x, y1=TOP, x2=x, y2=axis + 4, stroke='#eeeeee')}/>")
        parts.append(f'<text class="tick" {_attrs(x=x, y=axis + 18, text_anchor="middle")}>{tick.strftime(fmt)}</text>')
    last: dict[str, tuple[float, int]] = {}
    for mark, stamp in zip(marks, stamps, strict=True):
        kind, colour = styles.get(mark.label, ("circle", "#455a64"))
        x = x_of(stamp)
        previous_x, level = last.get(mark.lane, (-LEFT, 0))
        level = (level + 1) % len(STAGGER) if x - previous_x < 2 * RADIUS else 0  # close marks step aside
        last[mark.lane] = (x, level)
        parts.append(
            f'<g class="mark" {_attrs(data_lane=mark.lane, data_label=mark.label)}>'
            f"<title>{html.escape(mark.title)}</title>{shape(kind, colour, x, row[mark.lane] + STAGGER[level])}</g>"
        )
    parts.extend(_legend(labels, styles, width, legend_top))
    if footnote:
        y = legend_top + LEGEND_ROW * -(-len(labels) // per_row)
        parts.append(f"<text {_attrs(x=20, y=y, font_style='italic')}>{html.escape(footnote)}</text>")
    parts.append("</svg>")
    return "".join(parts)
