"""Trainer views: only assigned cohorts (404 otherwise), the board, trainee detail, analysis,
briefing and the day's outcomes; constant query counts for 5 and 500 trainees."""

import re
from datetime import UTC, datetime, timedelta
from html import unescape

from elearn.models import (
    Attempt,
    AttemptAnswer,
    AttemptState,
    Attendance,
    Competence,
    Enrolment,
    Reflection,
    Role,
    User,
)

from ..conftest import FormClient, fresh
from ..factories import PASSWORD, enrol, make_cohort, make_user
from .quiz_helpers import COURSE, answer_all, read_module_again, start_quiz, submit

ADMIN_PASSWORD = "a long admin pass phrase"


def _trainer_for(app, session, cohort):
    fresh(session)
    trainer = make_user(session, Role.TRAINER)
    session.get(type(cohort), cohort.id).trainers.append(session.get(User, trainer.id))
    session.commit()
    client = FormClient(app.test_client())
    client.sign_in(trainer.email, PASSWORD)
    return client


def _cohort_urls(cohort_id, enrolment_id):
    base = f"/trainer/cohorts/{cohort_id}"
    return [
        base,
        f"{base}/board.csv",
        f"{base}/analysis",
        f"{base}/briefing",
        f"{base}/briefing.pdf",
        f"{base}/trainees/{enrolment_id}",
        f"{base}/trainees/{enrolment_id}/day",
    ]


def test_trainers_see_only_their_cohorts(app, session):
    mine, theirs = make_cohort(session, title="Mine"), make_cohort(session, title="Theirs")
    mine_person, their_person = enrol(session, make_user(session), mine), enrol(session, make_user(session), theirs)
    trainer = _trainer_for(app, session, mine)
    home = trainer.get("/trainer/").get_data(as_text=True)
    assert "Mine" in home and "Theirs" not in home
    for url in _cohort_urls(mine.id, mine_person.id):
        assert trainer.get(url).status_code == 200, url
    for url in _cohort_urls(theirs.id, their_person.id) + [f"/trainer/cohorts/{mine.id}/trainees/{their_person.id}"]:
        assert trainer.get(url).status_code == 404, url
    assert trainer.get("/trainer/analysis").status_code == 404  # all-cohort analysis is for admins


def test_admin_sees_every_cohort_and_trainee_sees_none(app, session):
    cohort = make_cohort(session, title="Any")
    person = enrol(session, make_user(session), cohort)
    admin = make_user(session, Role.ADMIN, password=ADMIN_PASSWORD)
    client = FormClient(app.test_client())
    client.sign_in(admin.email, ADMIN_PASSWORD)
    for url in _cohort_urls(cohort.id, person.id) + ["/trainer/analysis"]:
        assert client.get(url).status_code == 200, url
    trainee = FormClient(app.test_client())
    trainee.sign_in(session.get(User, person.user_id).email, PASSWORD)
    for url in _cohort_urls(cohort.id, person.id):
        assert trainee.get(url).status_code == 404, url


def test_board_detail_and_csv_follow_real_progress(app, session):
    cohort = make_cohort(session)
    sam = make_user(session, full_name="Sam Struggle")
    pat = make_user(session, full_name="Pat Pass", job_title='=HYPERLINK("x")')
    sam_e, pat_e = enrol(session, sam, cohort), enrol(session, pat, cohort)
    for person, enrolment, right in ((sam, sam_e, False), (pat, pat_e, True)):
        learner = FormClient(app.test_client())
        learner.sign_in(person.email, PASSWORD)
        attempts = 3 if not right else 1
        for _ in range(attempts):
            attempt_id = start_quiz(learner, enrolment.id, "alpha")
            answer_all(learner, session, attempt_id, right)
            submit(learner, attempt_id)
            read_module_again(learner, enrolment.id, "alpha")
    trainer = _trainer_for(app, session, cohort)
    board = unescape(trainer.get(f"/trainer/cohorts/{cohort.id}").get_data(as_text=True))
    assert "Needs support" in board and "In progress" in board
    assert "0% (3 tries)" in board and "100% (1 try) ✓" in board
    assert board.index("Sam Struggle") < board.index("Pat Pass")  # most urgent first
    only_support = trainer.get(f"/trainer/cohorts/{cohort.id}?state=needs_support").get_data(as_text=True)
    assert "Sam Struggle" in only_support and "Pat Pass" not in only_support
    by_name = unescape(trainer.get(f"/trainer/cohorts/{cohort.id}?sort=name&dir=asc").get_data(as_text=True))
    assert by_name.index("Pat Pass") < by_name.index("Sam Struggle")

    detail = unescape(trainer.get(f"/trainer/cohorts/{cohort.id}/trainees/{sam_e.id}").get_data(as_text=True))
    assert detail.count("Not passed") == 3 and "Wrong" in detail and "Content version" in detail

    csv_text = trainer.get(f"/trainer/cohorts/{cohort.id}/board.csv").get_data(as_text=True)
    assert csv_text.startswith("\ufeffName,Email,Organisation,Job title,Readiness")
    assert "'=HYPERLINK" in csv_text  # a formula is neutralised


def test_analysis_and_briefing_show_what_the_group_found_hard(app, session):
    cohort = make_cohort(session)
    for _ in range(3):
        person = make_user(session)
        enrolment = enrol(session, person, cohort)
        learner = FormClient(app.test_client())
        learner.sign_in(person.email, PASSWORD)
        attempt_id = start_quiz(learner, enrolment.id, "alpha")
        answer_all(learner, session, attempt_id, False)
        submit(learner, attempt_id)
    trainer = _trainer_for(app, session, cohort)
    analysis = unescape(trainer.get(f"/trainer/cohorts/{cohort.id}/analysis").get_data(as_text=True))
    assert "Too few answers" in analysis and "0%" in analysis
    briefing = unescape(trainer.get(f"/trainer/cohorts/{cohort.id}/briefing").get_data(as_text=True))
    assert (
        "Know the first thing" in briefing
        and "Most common wrong answer" in briefing
        and "Revisit: Module 1" in briefing
    )
    pdf = trainer.get(f"/trainer/cohorts/{cohort.id}/briefing.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")


def test_recording_the_day(app, session):
    cohort = make_cohort(session, days=1, starts_in_days=0)
    enrolment = enrol(session, make_user(session), cohort)
    trainer = _trainer_for(app, session, cohort)
    url = f"/trainer/cohorts/{cohort.id}/trainees/{enrolment.id}/day"
    cases = [
        ({}, "Choose the attendance"),  # the configured message, not WTForms' "Not a valid choice."
        ({"attendance": "day_2_only", "competence": "not_assessed"}, "Choose the attendance"),
        ({"attendance": "absent", "competence": "competent"}, "someone absent cannot be assessed"),
        ({"attendance": "attended", "competence": "not_yet_competent", "note": ""}, "say what the person needs"),
        ({"attendance": "attended", "competence": "bogus"}, "Choose the competence outcome"),
    ]
    for data, message in cases:
        response = trainer.post(url, data)
        page = unescape(response.get_data(as_text=True))
        assert response.status_code == 200 and message in page, message
        assert "Not a valid choice" not in page and "<title>Error: " in page
    assert trainer.post(url, {"attendance": "attended", "competence": "competent", "note": "Good"}).status_code == 303
    fresh(session)
    saved = session.get(Enrolment, enrolment.id)
    assert (saved.attendance, saved.competence, saved.competence_note) == (
        Attendance.ATTENDED,
        Competence.COMPETENT,
        "Good",
    )
    assert saved.outcome_recorded_at is not None


def test_the_day_cannot_be_recorded_before_it_comes(app, session):
    cohort = make_cohort(session, days=1, starts_in_days=1)
    enrolment = enrol(session, make_user(session), cohort)
    trainer = _trainer_for(app, session, cohort)
    url = f"/trainer/cohorts/{cohort.id}/trainees/{enrolment.id}/day"
    response = trainer.post(url, {"attendance": "attended", "competence": "competent"})
    assert "can be recorded from the course day" in unescape(response.get_data(as_text=True))
    fresh(session)
    assert session.get(Enrolment, enrolment.id).competence is Competence.NOT_ASSESSED


def test_the_days_radio_groups_are_named_by_their_legends(app, session):
    cohort = make_cohort(session, days=2, starts_in_days=0)
    enrolment = enrol(session, make_user(session), cohort)
    page = _trainer_for(app, session, cohort).get(f"/trainer/cohorts/{cohort.id}/trainees/{enrolment.id}/day")
    legends = re.findall(r"<legend[^>]*>\s*(.*?)\s*</legend>", page.get_data(as_text=True), re.S)
    assert legends == ["Attendance", "Practical competence outcome"]


def _bulk_cohort(session, n: int):
    """n trainees, each with a submitted alpha attempt and its answers, written in bulk (fast)."""
    cohort = make_cohort(session)
    users = [User(email=f"bulk{cohort.id}-{i}@example.org", full_name=f"Bulk {i}", role=Role.TRAINEE) for i in range(n)]
    session.add_all(users)
    session.flush()
    enrolments = [Enrolment(user_id=u.id, cohort_id=cohort.id) for u in users]
    session.add_all(enrolments)
    session.flush()
    module = COURSE.module("alpha")
    questions = module.quiz.questions[:4]
    when = datetime(2026, 11, 20, tzinfo=UTC)
    attempts = [
        Attempt(
            enrolment_id=e.id,
            module_id="alpha",
            number=1,
            state=AttemptState.SUBMITTED,
            content_version="v",
            pass_mark=75,
            draw=[{"question": q.id, "options": [o.id for o in q.options]} for q in questions],
            started_at=when,
            submitted_at=when + timedelta(minutes=5),
            correct_count=i % 5,
            score_percent=(i % 5) * 25,
            is_passed=i % 5 >= 3,
        )
        for i, e in enumerate(enrolments)
    ]
    session.add_all(attempts)
    session.flush()
    session.add_all(
        [
            AttemptAnswer(
                attempt_id=a.id,
                position=p,
                question_id=q.id,
                selected=["b"],
                is_correct=p < a.correct_count,
                correct_options=sorted(q.correct_option_ids),
                confident=p % 2 == 0,  # the briefing's "confident but wrong" must not cost a query per trainee
            )
            for a in attempts
            for p, q in enumerate(questions)
        ]
    )
    session.add_all(
        Reflection(enrolment_id=e.id, module_id="alpha", page_id="02-second", reflection_id="al-ref-second", text="x")
        for e in enrolments
    )
    session.commit()
    return cohort, enrolments[0]


def test_query_counts_do_not_grow_with_trainees(app, session, count_queries):
    admin = make_user(session, Role.ADMIN, password=ADMIN_PASSWORD)
    client = FormClient(app.test_client())
    client.sign_in(admin.email, ADMIN_PASSWORD)

    def counts(n: int) -> dict:
        cohort, first = _bulk_cohort(session, n)
        result = {}
        for name, url in (
            ("board", f"/trainer/cohorts/{cohort.id}"),
            ("detail", f"/trainer/cohorts/{cohort.id}/trainees/{first.id}"),
            ("analysis", f"/trainer/cohorts/{cohort.id}/analysis"),
            ("briefing", f"/trainer/cohorts/{cohort.id}/briefing"),
        ):
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            result[name] = counter.count
        return result

    assert counts(5) == counts(500)
