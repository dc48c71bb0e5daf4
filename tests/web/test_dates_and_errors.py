"""Dates that cannot be wrong (invitation links end with the course, join codes bring the organisation)
and refusals shown in the GOV.UK error pattern (summary, field message, 'Error:' in the title)."""

from datetime import UTC, datetime, time, timedelta

import pytest

from elearn.db import utcnow
from elearn.domain.cohorts import invitations
from elearn.domain.cohorts.schedule import UK
from elearn.domain.errors import ImportRejected
from elearn.models import Completion, Organisation, User

from ..conftest import FormClient, fresh
from ..factories import PASSWORD, enrol, make_cohort, make_user
from .test_invitations import _admin_client


def _invite(session, cohort, now, days=14):
    [(invitation, _token)] = invitations.invite(
        session, cohort, invitations.parse_typed("Ann Lee, ann@example.org"), None, now, days
    )
    return invitation


def test_invitation_links_never_outlive_the_course_day(session):
    cohort = make_cohort(session, starts_in_days=3, days=2)
    now = utcnow()
    invitation = _invite(session, cohort, now)
    end_of_last_day = datetime.combine(cohort.starts_on + timedelta(days=1), time(23, 59), UK).astimezone(UTC)
    assert invitation.expires_at == end_of_last_day < now + timedelta(days=14)
    far = make_cohort(session, starts_in_days=60)
    assert _invite(session, far, now).expires_at == now + timedelta(days=14)
    over = make_cohort(session, starts_in_days=-2)
    with pytest.raises(ImportRejected) as refused:
        _invite(session, over, now)
    assert "already taken place" in refused.value.errors[0][1]


def test_the_cohort_page_says_when_links_expire(app, session):
    cohort = make_cohort(session)
    page = _admin_client(app, session).get(f"/admin/cohorts/{cohort.id}").get_data(as_text=True)
    assert "for 14 days, and never after the course's last day" in page


def test_a_join_code_account_gets_the_cohorts_organisation(app, session):
    oak = Organisation(name="Oak Trust")
    session.add(oak)
    session.commit()
    make_cohort(session, join_code="K7MQ2XHD", organisation_id=oak.id)
    own = Organisation(name="Own Employer")
    session.add(own)
    session.commit()
    newcomer, employed = make_user(session), make_user(session, organisation_id=own.id)
    for person in (newcomer, employed):
        client = FormClient(app.test_client())
        client.sign_in(person.email, PASSWORD)
        assert client.post("/course/join", {"code": "K7MQ2XHD"}).status_code == 302
    fresh(session)
    assert session.get(User, newcomer.id).organisation_id == oak.id
    assert session.get(User, employed.id).organisation_id == own.id  # an employer already known is kept


def _error_pattern(response, field_id: str, message: str) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<title>Error: " in html and 'class="govuk-error-summary"' in html
    assert f'href="#{field_id}">{message}</a>' in html  # the summary links to the box
    assert f'id="{field_id}-error"' in html and message in html.split(f'id="{field_id}-error"')[1][:200]
    assert f'aria-describedby="{field_id}-hint {field_id}-error"' in html


def test_withdraw_and_anonymise_refusals_follow_the_error_pattern(app, session):
    user = make_user(session, full_name="Wyn Jones")
    enrolment = enrol(session, user, make_cohort(session))
    session.add(
        Completion(
            enrolment_id=enrolment.id,
            content_version="v1",
            certificate_code="WWWW-WWWW-WWWW-WWWW",
            completed_at=utcnow(),
        )
    )
    session.commit()
    admin = _admin_client(app, session)
    page = f"/admin/users/{user.id}"
    withdraw = admin.post("/admin/completions/WWWW-WWWW-WWWW-WWWW", {"withdraw": "1", "reason": ""}, token_from=page)
    _error_pattern(withdraw, "reason-WWWW-WWWW-WWWW-WWWW", "Give a reason")
    assert 'value="Wyn Jones"' in withdraw.get_data(as_text=True)  # the rest of the page is as it was
    anonymise = admin.post(f"{page}/anonymise", {"reason": "  "}, token_from=page)
    _error_pattern(anonymise, "reason", "Give a reason")
    fresh(session)
    assert session.get(User, user.id).anonymised_at is None
