"""Pure rules behind the trainer views: discrimination, hardest outcomes, refresher dates, safe cells."""

from datetime import UTC, date, datetime

from elearn.domain.evidence.analysis import Analysis, OutcomeStats, QuestionStats, discrimination
from elearn.domain.evidence.briefing import hardest_outcomes
from elearn.domain.evidence.refreshers import add_months, competent_on, refresher_due
from elearn.models import Competence
from elearn.renderers.spreadsheets import csv_lines, safe_cell


def test_discrimination_needs_ten_and_compares_top_and_bottom_groups():
    assert discrimination([(score, True) for score in range(9)]) is None
    perfect = [(score, score >= 50) for score in range(0, 100, 10)]  # top scorers right, bottom wrong
    assert discrimination(perfect) == 1.0
    reversed_ = [(score, score < 50) for score in range(0, 100, 10)]
    assert discrimination(reversed_) == -1.0
    assert discrimination([(s, True) for s in range(0, 100, 10)]) == 0.0


def _outcome(oid: str, facility: float | None, seen: int = 10) -> OutcomeStats:
    return OutcomeStats(
        "m", oid, f"Outcome {oid}", seen if facility is not None else 0, round((facility or 0) * seen), facility, 80
    )


def _question(qid: str, oid: str, facility: float) -> QuestionStats:
    return QuestionStats("m", qid, oid, f"Q {qid}", 10, round(facility * 10), facility, None, None, "01-p", None)


def test_hardest_outcomes_between_minimum_and_limit():
    outcomes = [_outcome("a", 0.9), _outcome("b", 0.5), _outcome("c", 0.95), _outcome("d", 0.7), _outcome("e", None)]
    analysis = Analysis([_question("q1", "b", 0.4), _question("q2", "b", 0.6), _question("q3", "d", 0.7)], outcomes, 10)
    hard = hardest_outcomes(analysis)
    assert [h.outcome.outcome_id for h in hard] == ["b", "d", "a"]  # 2 below 80%, topped up to the minimum of 3
    assert [q.question_id for q in hard[0].questions] == ["q1", "q2"]
    many = Analysis([], [_outcome(str(i), i / 100) for i in range(10)], 10)
    assert len(hardest_outcomes(many)) == 5
    assert hardest_outcomes(Analysis([], [_outcome("x", None)], 0)) == []


def test_refresher_due_counts_from_the_course_day_of_a_competent_outcome_or_else_the_completion():
    completed = datetime(2026, 2, 1, tzinfo=UTC)
    assert refresher_due(date(2026, 3, 4), completed, 12) == date(2027, 3, 4)
    assert refresher_due(None, completed, 12) == date(2027, 2, 1)
    assert refresher_due(None, completed, 24) == date(2028, 2, 1)  # the setting, not a constant
    assert refresher_due(None, None, 12) is None
    # 23:30 UTC on 31 July is 1 August in the UK: the UK calendar day counts.
    assert refresher_due(None, datetime(2026, 7, 31, 23, 30, tzinfo=UTC), 12) == date(2027, 8, 1)
    # A two-day course's competence belongs to its last day; not assessed -> no course-day date.
    assert competent_on(Competence.COMPETENT, date(2026, 3, 4), 2) == date(2026, 3, 5)
    assert competent_on(Competence.NOT_YET_COMPETENT, date(2026, 3, 4), 2) is None
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)


def test_cells_a_spreadsheet_would_run_are_neutralised():
    for risky in ("=1+1", "+44 7700", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(risky) == "'" + risky
    assert safe_cell("Plain text") == "Plain text" and safe_cell(5) == 5
    text = "".join(csv_lines(["Name"], [["=cmd"], ["Ann"]]))
    assert text == "\ufeffName\r\n'=cmd\r\nAnn\r\n"


def test_csv_starts_with_a_real_row_then_goes_in_batches():
    """The download's first piece holds the header and the first row (not just the BOM); then whole
    batches, one socket write each rather than one per row."""
    pieces = list(csv_lines(["N", "Day"], ([str(i), date(2026, 3, 4)] for i in range(7)), batch=3))
    assert pieces[0] == "\ufeffN,Day\r\n0,04/03/2026\r\n"
    assert [p.count("\r\n") for p in pieces] == [2, 3, 3]
    assert "".join(pieces).count("04/03/2026") == 7
