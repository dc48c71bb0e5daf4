"""The manager role: a care-home or ward manager sees readiness, completions, refreshers and exports for
their own organisations' staff only, on every route and download, and changes no results (404 otherwise)."""

import io
import zipfile
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from elearn.db import utcnow
from elearn.models import AuditEvent, Organisation, Role, organisation_managers

from ..conftest import FormClient
from ..factories import PASSWORD, enrol, make_cohort, make_user
from .export_helpers import prepared_download
from .test_evidence import _complete
from .test_invitations import _admin_client


def _manager_world(session):
    """Oak's manager; Oak and Elm staff side by side on an open course; a cohort for Elm alone."""
    oak, elm = Organisation(name="Oak House"), Organisation(name="Elm Ward")
    session.add_all([oak, elm])
    session.commit()
    shared = make_cohort(session, title="Open course", starts_in_days=-300)
    elm_only = make_cohort(session, title="Elm in-house", starts_in_days=-300, organisation_id=elm.id)
    ours = enrol(session, make_user(session, full_name="Olive Oak", organisation_id=oak.id), shared)
    theirs = enrol(session, make_user(session, full_name="Ernie Elm", organisation_id=elm.id), shared)
    elm_alone = enrol(session, make_user(session, full_name="Edna Elm", organisation_id=elm.id), elm_only)
    when = utcnow() - timedelta(days=300)
    _complete(session, ours, "OOOO-OOOO-OOOO-OOOO", when=when)
    _complete(session, theirs, "EEEE-EEEE-EEEE-EEEE", when=when)
    _complete(session, elm_alone, "DDDD-DDDD-DDDD-DDDD", when=when)
    manager = make_user(session, Role.MANAGER, organisation_id=oak.id)
    session.execute(sa.insert(organisation_managers).values(user_id=manager.id, organisation_id=oak.id))
    session.commit()
    return {
        "oak": oak,
        "elm": elm,
        "shared": shared,
        "elm_only": elm_only,
        "ours": ours,
        "theirs": theirs,
        "manager": manager,
    }


@pytest.fixture
def world(session):
    return _manager_world(session)


@pytest.fixture
def manager(app, world):
    client = FormClient(app.test_client())
    client.sign_in(world["manager"].email, PASSWORD)
    return client


def test_manager_sees_only_their_staff_on_the_readiness_pages(manager, world):
    cohorts = manager.get("/trainer/").get_data(as_text=True)
    assert "Open course" in cohorts and "Elm in-house" not in cohorts
    board = manager.get(f"/trainer/cohorts/{world['shared'].id}").get_data(as_text=True)
    assert "Olive Oak" in board and "Ernie Elm" not in board
    assert "Everyone (1)" in board  # the counts are of their own staff too
    assert "/day" not in board and "reminders" not in board  # read only: no outcomes, no emails
    csv = manager.get(f"/trainer/cohorts/{world['shared'].id}/board.csv").get_data(as_text=True)
    assert "Olive Oak" in csv and "Ernie Elm" not in csv
    assert manager.get(f"/trainer/cohorts/{world['shared'].id}/trainees/{world['ours'].id}").status_code == 200
    for url in (
        f"/trainer/cohorts/{world['shared'].id}/trainees/{world['theirs'].id}",
        f"/trainer/cohorts/{world['elm_only'].id}",
        f"/trainer/cohorts/{world['elm_only'].id}/board.csv",
        f"/trainer/cohorts/{world['shared'].id}/analysis",
        f"/trainer/cohorts/{world['shared'].id}/briefing",
        f"/trainer/cohorts/{world['shared'].id}/reminders",
        f"/trainer/cohorts/{world['shared'].id}/trainees/{world['ours'].id}/day",
        "/admin/certificates/EEEE-EEEE-EEEE-EEEE.pdf",
        "/admin/users",
    ):
        assert manager.get(url).status_code == 404, url


def test_manager_cannot_change_an_outcome_or_a_completion(manager, world):
    day = f"/trainer/cohorts/{world['shared'].id}/trainees/{world['ours'].id}/day"
    token = manager.csrf_token("/trainer/")
    assert manager.client.post(day, data={"csrf_token": token, "attendance": "absent"}).status_code == 404
    change = "/admin/completions/OOOO-OOOO-OOOO-OOOO"
    assert manager.client.post(change, data={"csrf_token": token, "reason": "x"}).status_code == 404


def test_manager_exports_hold_only_their_staff(manager, world):
    page = manager.get("/admin/exports").get_data(as_text=True)
    assert "Oak House" in page and "Elm Ward" not in page and "Elm in-house" not in page
    csv = manager.get("/admin/exports/completions.csv").get_data(as_text=True)
    assert "Olive Oak" in csv and "Elm" not in csv.split("\n", 1)[1]
    # Asking for another organisation or its cohort gives nothing, not their staff.
    for query in (f"organisation={world['elm'].id}", f"cohort={world['elm_only'].id}"):
        rows = manager.get(f"/admin/exports/completions.csv?{query}").get_data(as_text=True).strip().splitlines()
        assert len(rows) == 2 and rows[1].startswith("End of export: 0 rows."), query  # header and trailer only
        assert "Elm" not in rows[1], query  # the trailer names no other organisation either
    sheet = load_workbook(io.BytesIO(manager.get("/admin/exports/completions.xlsx").data)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if not row[0].startswith("End of export")]
    assert names == ["Olive Oak"]
    pack = zipfile.ZipFile(io.BytesIO(prepared_download(manager).data))
    assert [n for n in pack.namelist() if n.startswith("certificates/")] == [
        "certificates/certificate-Olive-Oak-OOOO-OOOO-OOOO-OOOO.pdf"
    ]


def test_manager_refreshers_hold_only_their_staff(manager, world):
    page = manager.get("/admin/refreshers").get_data(as_text=True)
    assert "Olive Oak" in page and "Ernie Elm" not in page and "Edna Elm" not in page
    csv = manager.get("/admin/refreshers.csv").get_data(as_text=True)
    assert "Olive Oak" in csv and "Elm" not in csv


def test_admin_makes_a_manager_of_organisations(app, session, world):
    admin = _admin_client(app, session)
    person = make_user(session, full_name="Mo Manager")
    response = admin.post(
        f"/admin/users/{person.id}",
        data={"full_name": "Mo Manager", "email": person.email, "role": "manager", "manages": [str(world["elm"].id)]},
        token_from=f"/admin/users/{person.id}",
    )
    assert response.status_code == 303
    managed = session.scalars(
        sa.select(organisation_managers.c.organisation_id).where(organisation_managers.c.user_id == person.id)
    ).all()
    assert managed == [world["elm"].id]
    event = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "user_updated")).all()[-1]
    assert event.details["changes"]["manages"] == "Elm Ward"
