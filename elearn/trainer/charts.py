"""Chart view models for trainer pages: readiness per cohort, quiz scores and facility per outcome."""

from ..domain.cohorts.readiness import Readiness
from ..domain.evidence.analysis import SCORE_BANDS
from ..formatting import uk_date
from ..models import Cohort
from ..renderers.charts import bar_chart


def analysis_charts(module, title: str, outcomes, bands: list[int] | None) -> list:
    """Facility per outcome and the spread of quiz scores, for one module (none before anyone answers)."""
    charts = []
    answered = [o for o in outcomes if o.facility is not None]
    if answered:
        charts.append(
            bar_chart(
                f"facility-{module.position}",
                f"Facility per learning outcome: {title}",
                "The share of answers that were right for each learning outcome.",
                [("Facility", "#1d70b8")],
                [(o.text, [round(100 * o.facility)]) for o in answered],
                scale_max=100,
                unit="%",
            )
        )
    if bands and sum(bands):
        charts.append(
            bar_chart(
                f"scores-{module.position}",
                f"Quiz scores: {title}",
                f"How many submitted attempts scored in each band; the pass mark is {module.quiz.pass_mark}%.",
                [("Attempts", "#00703c")],
                [(f"{low}% to {high}%", [n]) for (low, high), n in zip(SCORE_BANDS, bands, strict=True)],
            )
        )
    return charts


READINESS_COLOURS = {
    Readiness.READY: "#00703c",
    Readiness.LATE: "#5694ca",
    Readiness.IN_PROGRESS: "#1d70b8",
    Readiness.NOT_STARTED: "#505a5f",
    Readiness.OVERDUE: "#d4351c",
    Readiness.NEEDS_SUPPORT: "#f47738",
}


def readiness_chart(cohorts: list[Cohort], counts: dict[int, dict[Readiness, int]]):
    """Readiness per upcoming cohort: one stacked bar each, a segment per state."""
    if not any(sum(counts.get(c.id, {}).values()) for c in cohorts):
        return None
    return bar_chart(
        "readiness",
        "Readiness per cohort",
        "For each cohort coming up, how many trainees are in each readiness state.",
        [(state.label, colour) for state, colour in READINESS_COLOURS.items()],
        [
            (f"{c.title}, {uk_date(c.starts_on)}", [counts.get(c.id, {}).get(s, 0) for s in READINESS_COLOURS])
            for c in cohorts
        ],
    )
