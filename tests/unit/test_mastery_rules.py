"""Issue 14's pure rules: needs support (one rule for board, panel and email) and the next unread page."""

from elearn.content import load_course
from elearn.domain.cohorts.readiness import ModuleResult, Readiness, readiness_state
from elearn.domain.learning.mastery import needs_support, support_just_reached
from elearn.domain.learning.next_step import next_unread_page

from ..conftest import FIXTURE_CONTENT

ALPHA = load_course(FIXTURE_CONTENT).module("alpha")


def test_needs_support_after_the_configured_failures_until_passed():
    assert not needs_support(2, False, 3)
    assert needs_support(3, False, 3) and needs_support(4, False, 3)
    assert not needs_support(5, True, 3)
    assert [support_just_reached(n, 3) for n in range(1, 6)] == [False, False, True, False, False]


def test_the_board_uses_the_same_rule(monkeypatch):
    from datetime import date

    from elearn.domain.cohorts import readiness

    modules = {"alpha": ModuleResult("alpha", 40, 3, None, 3)}
    state = readiness_state(None, date(2030, 1, 1), date(2029, 1, 1), modules, {"alpha": 3}, True)
    assert state is Readiness.NEEDS_SUPPORT
    monkeypatch.setattr(readiness, "needs_support", lambda *args: False)
    assert readiness_state(None, date(2030, 1, 1), date(2029, 1, 1), modules, {"alpha": 3}, True) is not state


def test_next_unread_page_follows_the_last_page_read():
    first, second = (p.id for p in ALPHA.pages)
    assert next_unread_page(ALPHA, set(), None) == first
    assert next_unread_page(ALPHA, {first}, first) == second
    assert next_unread_page(ALPHA, {second}, second) == first  # wraps round to what was skipped
    assert next_unread_page(ALPHA, {first, second}, second) is None
