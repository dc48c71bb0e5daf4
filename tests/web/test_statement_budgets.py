"""Statements per request on the hot pages, as budgets (issue 12): they stay the same at 1, 10 and 1,000
trainees on the cohort. A page read again (no write when it changes nothing), a question page, an answer save and a
submit each have a fixed cost; the trainer's board reads the whole cohort in a fixed number of queries."""

from elearn.db import utcnow
from elearn.models import Attempt, AttemptState, Enrolment, Role, User

from ..conftest import FormClient, fresh
from ..factories import PASSWORD, enrol, make_cohort, make_user
from .quiz_helpers import COURSE, answer_all, right_answer, start_quiz

BUDGETS = {"content page": 3, "module overview": 4, "question page": 3, "answer save": 3, "submit": 6, "board": 5}


def _cohort_of(session, n: int):
    """A cohort with the trainee under test and n - 1 others, and its trainer."""
    cohort = make_cohort(session)
    trainer = make_user(session, Role.TRAINER)
    cohort.trainers.append(trainer)
    others = [
        User(email=f"other-{cohort.id}-{i}@example.org", full_name=f"Other {i}", role=Role.TRAINEE)
        for i in range(n - 1)
    ]
    session.add_all(others)
    session.flush()
    session.add_all([Enrolment(user_id=u.id, cohort_id=cohort.id) for u in others])
    session.commit()
    learner = make_user(session)
    return cohort, trainer, learner, enrol(session, learner, cohort)


def _signed_in(app, email: str) -> FormClient:
    client = FormClient(app.test_client())
    client.sign_in(email, PASSWORD)
    return client


def _statements(app, session, count_queries, n: int) -> dict[str, int]:
    cohort, trainer, learner, enrolment = _cohort_of(session, n)
    cohort_id, enrolment_id = cohort.id, enrolment.id
    client = _signed_in(app, learner.email)
    module = COURSE.published_modules[0]
    page_url = f"/course/{enrolment_id}/{module.id}/{module.pages[0].id}"
    assert client.get(page_url).status_code == 200  # the first visit records the page view
    attempt_id = start_quiz(client, enrolment_id, module.id)
    question_url = f"/course/attempt/{attempt_id}/question/1"
    token = client.csrf_token(question_url)
    fresh(session)
    draw = session.get(Attempt, attempt_id).draw
    session.rollback()
    counts = {}

    def measure(name, call, status):
        with count_queries() as counter:
            response = call()
        assert response.status_code == status, (name, response.status_code)
        counts[name] = counter.count
        return response

    measure("content page", lambda: client.get(page_url), 200)
    measure("module overview", lambda: client.get(f"/course/{enrolment_id}/{module.id}"), 200)
    measure("question page", lambda: client.get(question_url), 200)
    answer = [("answer", c) for c in right_answer(draw[0]["question"])] + [("csrf_token", token)]
    measure("answer save", lambda: client.post(question_url, answer), 303)
    answer_all(client, session, attempt_id, True)
    measure("submit", lambda: client.post(f"/course/attempt/{attempt_id}/check", [("csrf_token", token)]), 303)
    staff = _signed_in(app, trainer.email)
    session.rollback()  # end the read that loaded trainer.email: the next cohort is written from here
    board = measure("board", lambda: staff.get(f"/trainer/cohorts/{cohort_id}"), 200)
    assert board.get_data(as_text=True).count('class="govuk-tag govuk-tag--') == n  # one tag per trainee
    return counts


def test_hot_pages_stay_within_their_statement_budgets_at_any_cohort_size(app, session, count_queries):
    by_size = {n: _statements(app, session, count_queries, n) for n in (1, 10, 1000)}
    assert by_size[1] == by_size[10] == by_size[1000]
    over = {name: count for name, count in by_size[1000].items() if count > BUDGETS[name]}
    assert over == {}, by_size[1000]


def test_a_page_read_again_costs_one_small_write_or_none(app, session, count_queries):
    # Before the module is passed, a re-read that moves the reading position on (or counts as a revisit
    # after a failed quiz) is one UPDATE, no read-then-write; reading the page already last read costs no
    # write. Once the module is passed, reading costs no write.
    _cohort, _trainer, learner, enrolment = _cohort_of(session, 1)
    client = _signed_in(app, learner.email)
    module = COURSE.published_modules[0]
    page_url = f"/course/{enrolment.id}/{module.id}/{module.pages[0].id}"
    assert client.get(page_url).status_code == 200
    with count_queries() as counter:
        assert client.get(page_url).status_code == 200
    assert [s for s in counter.statements if not s.lstrip().upper().startswith("SELECT")] == []
    assert client.get(f"/course/{enrolment.id}/{module.id}/{module.pages[1].id}").status_code == 200
    with count_queries() as counter:
        assert client.get(page_url).status_code == 200  # back to the first page: the position moves
    writes = [s for s in counter.statements if not s.lstrip().upper().startswith("SELECT")]
    assert len(writes) == 1 and writes[0].lstrip().upper().startswith("UPDATE PAGE_VIEWS SET LAST_VIEWED_AT")
    session.add(
        Attempt(
            enrolment_id=enrolment.id,
            module_id=module.id,
            number=1,
            state=AttemptState.SUBMITTED,
            content_version="v",
            pass_mark=80,
            draw=[],
            submitted_at=utcnow(),
            correct_count=0,
            score_percent=100,
            is_passed=True,
        )
    )
    session.commit()
    with count_queries() as counter:
        assert client.get(page_url).status_code == 200
    assert [s for s in counter.statements if not s.lstrip().upper().startswith("SELECT")] == []
