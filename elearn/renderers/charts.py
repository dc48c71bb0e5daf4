"""Server-rendered bar charts: the geometry is worked out here and drawn as SVG by templates/_macros/charts.html,
with the same numbers in a table beneath (the text alternative, and for anyone who would rather read)."""

from dataclasses import dataclass

WIDTH, LABEL_WIDTH, BAR_WIDTH, ROW_HEIGHT, BAR_HEIGHT = 640, 250, 300, 34, 22
MAX_LABEL = 34  # characters drawn beside a bar; the table beneath has the full text


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    colour: str


@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str
    value_text: str
    y: float
    segments: list[Segment]
    text_x: float


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    summary: str  # one sentence: what the chart shows (its SVG description)
    bars: list[Bar]
    height: int
    width: int
    legend: list[tuple[str, str]]  # (series name, colour); empty for a single series
    table_head: list[str]
    table_rows: list[list[str]]


def bar_chart(
    chart_id: str,
    title: str,
    summary: str,
    series: list[tuple[str, str]],
    rows: list[tuple[str, list[float]]],
    scale_max: float | None = None,
    unit: str = "",
) -> Chart:
    """Horizontal bars, one per row, stacked when there is more than one series ((name, colour) pairs)."""
    biggest = scale_max or max((sum(values) for _label, values in rows), default=0) or 1
    bars = []
    for index, (label, values) in enumerate(rows):
        x, segments = float(LABEL_WIDTH), []
        for (_name, colour), value in zip(series, values, strict=True):
            width = BAR_WIDTH * value / biggest
            if width > 0:
                segments.append(Segment(round(x, 1), round(width, 1), colour))
            x += width
        total = sum(values)
        bars.append(
            Bar(
                label,
                label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…",
                f"{total:g}{unit}",
                index * ROW_HEIGHT,
                segments,
                round(x + 6, 1),
            )
        )
    head = ["", *(name for name, _colour in series)] + (["Total"] if len(series) > 1 else [])
    table = [
        [label, *(f"{v:g}{unit}" for v in values)] + ([f"{sum(values):g}{unit}"] if len(series) > 1 else [])
        for label, values in rows
    ]
    return Chart(
        chart_id,
        title,
        summary,
        bars,
        max(len(rows), 1) * ROW_HEIGHT,
        WIDTH,
        series if len(series) > 1 else [],
        head,
        table,
    )
