"""Drive a quiz through the web client, answering right or wrong from the fixture course's key."""

import re

import sqlalchemy as sa

from elearn.content import load_course
from elearn.models import Attempt

from ..conftest import FIXTURE_CONTENT, fresh

COURSE = load_course(FIXTURE_CONTENT)


def right_answer(question_id: str) -> list[str]:
    module = next(m for m in COURSE.modules if m.quiz.question(question_id))
    return sorted(module.quiz.question(question_id).correct_option_ids)


def wrong_answer(question_id: str) -> list[str]:
    module = next(m for m in COURSE.modules if m.quiz.question(question_id))
    question = module.quiz.question(question_id)
    return [next(o.id for o in question.options if not o.is_correct)]


def start_quiz(client, enrolment_id: int, module_id: str) -> int:
    module_url = f"/course/{enrolment_id}/{module_id}"
    response = client.post(f"{module_url}/quiz", token_from=module_url)
    assert response.status_code == 303, response.status_code
    match = re.search(r"/course/attempt/(\d+)/", response.headers["Location"])
    return int(match.group(1))


def answer_all(client, session, attempt_id: int, correct: bool | list[bool] = True) -> None:
    fresh(session)
    draw = session.scalar(sa.select(Attempt).where(Attempt.id == attempt_id)).draw
    session.rollback()  # release the read snapshot: the test may write after the app has committed
    pattern = correct if isinstance(correct, list) else [correct] * len(draw)
    for number, (item, is_right) in enumerate(zip(draw, pattern, strict=True), start=1):
        choice = right_answer(item["question"]) if is_right else wrong_answer(item["question"])
        url = f"/course/attempt/{attempt_id}/question/{number}"
        response = client.post(url, [("answer", c) for c in choice])
        assert response.status_code == 303, response.get_data(as_text=True)[:2000]


def submit(client, attempt_id: int):
    url = f"/course/attempt/{attempt_id}/check"
    return client.post(url)


def pass_module(client, session, enrolment_id: int, module_id: str) -> int:
    attempt_id = start_quiz(client, enrolment_id, module_id)
    answer_all(client, session, attempt_id, True)
    assert submit(client, attempt_id).status_code == 303
    return attempt_id


def read_module_again(client, enrolment_id: int, module_id: str) -> None:
    """Open every page of a module: what unlocks a retake after a failed attempt."""
    module = COURSE.module(module_id)
    for page in module.pages:
        assert client.get(f"/course/{enrolment_id}/{module_id}/{page.id}").status_code == 200


def fail_module(client, session, enrolment_id: int, module_id: str, revisit: bool = True) -> int:
    """Start, answer every question wrongly and submit; then (by default) read the module again."""
    attempt_id = start_quiz(client, enrolment_id, module_id)
    answer_all(client, session, attempt_id, False)
    assert submit(client, attempt_id).status_code == 303
    if revisit:
        read_module_again(client, enrolment_id, module_id)
    return attempt_id
