"""Inviting people: typed and CSV lists, all-or-nothing with row errors; accepting the emailed link."""

from datetime import timedelta
from html import unescape

import sqlalchemy as sa

from elearn.db import Database, utcnow
from elearn.models import Enrolment, Invitation, Organisation, Role, User

from ..conftest import FormClient, fresh, link_in
from ..factories import PASSWORD, enrol, make_cohort, make_user

ADMIN_PASSWORD = "a long admin pass phrase"


def _admin_client(app, session):
    admin = make_user(session, Role.ADMIN, password=ADMIN_PASSWORD)
    client = FormClient(app.test_client())
    client.sign_in(admin.email, ADMIN_PASSWORD)
    return client


def _upload(client, cohort_id, text: str):
    from io import BytesIO

    url = f"/admin/cohorts/{cohort_id}"
    return client.post(
        f"{url}/upload",
        token_from=url,
        content_type="multipart/form-data",
        data={"file": (BytesIO(text.encode()), "people.csv")},
    )


def test_typed_invitations_are_emailed_and_accepted(mail_app, smtp):
    with Database.sessionmaker_for(mail_app)() as session:
        cohort = make_cohort(session, capacity=5)
        admin = _admin_client(mail_app, session)
        response = admin.post(
            f"/admin/cohorts/{cohort.id}/invite",
            {"people": "Sam Okafor, Sam@Example.org\nJo Bloggs, jo@example.org"},
            token_from=f"/admin/cohorts/{cohort.id}",
        )
        assert response.status_code == 303
        assert len(smtp.messages) == 2
        message = smtp.to("sam@example.org")[0]
        assert message["Subject"].startswith("Your pre-course learning for")
        assert message.get_body(("html",)) is not None and message.get_body(("plain",)) is not None
        link = link_in(message, "/invitation/")
        token = link.rsplit("/", 1)[1]
        stored = session.scalars(sa.select(Invitation.token_hash)).all()
        assert token not in stored and all(len(h) == 64 for h in stored)  # only hashes are stored

        invitee = FormClient(mail_app.test_client())
        opened = invitee.get(link)  # the token moves into the session: the form's address holds none
        assert opened.status_code == 303 and opened.headers["Location"] == "/invitation"
        page = invitee.get("/invitation").get_data(as_text=True)
        assert "sam@example.org" in page and "Choose a password" in page or "Create a password" in page
        weak = invitee.post("/invitation", {"password": "password1", "confirm": "password1"})
        assert "too common" in weak.get_data(as_text=True)
        accepted = invitee.post("/invitation", {"password": PASSWORD, "confirm": PASSWORD})
        assert accepted.status_code == 302 and accepted.headers["Location"] == "/course/"
        assert "/course/" in invitee.get("/course/").headers["Location"]  # signed in, sent to their course
        fresh(session)
        user = session.scalar(sa.select(User).where(User.email == "sam@example.org"))
        assert user.role is Role.TRAINEE and user.full_name == "Sam Okafor"
        assert session.scalar(sa.select(Enrolment).where(Enrolment.user_id == user.id)).cohort_id == cohort.id

        # The link works once.
        again = FormClient(mail_app.test_client()).get(link)
        assert again.status_code == 404 and "already been used" in again.get_data(as_text=True)


def test_expired_and_unknown_invitation_links(app, session):
    from elearn.domain.cohorts import invitations

    cohort = make_cohort(session)
    [(invitation, token)] = invitations.invite(
        session,
        cohort,
        invitations.parse_typed("Al Ex, al@example.org"),
        None,
        utcnow() - timedelta(days=15),
        valid_days=14,
    )
    session.commit()
    client = FormClient(app.test_client())
    response = client.get(f"/invitation/{token}")
    assert response.status_code == 404 and "expired" in response.get_data(as_text=True)
    assert client.get("/invitation/not-a-real-token").status_code == 404


def test_existing_account_accepting_keeps_its_password(app, session):
    from elearn.domain.cohorts import invitations

    user = make_user(session, email="kim@example.org")
    cohort = make_cohort(session)
    [(_inv, token)] = invitations.invite(
        session, cohort, invitations.parse_typed("Kim, kim@example.org"), None, utcnow(), 14
    )
    session.commit()
    client = FormClient(app.test_client())
    client.get(f"/invitation/{token}")
    response = client.post("/invitation", {})
    assert response.status_code == 302 and response.headers["Location"] == "/sign-in"
    client.sign_in("kim@example.org", PASSWORD)
    fresh(session)
    assert session.scalar(sa.select(sa.func.count(Enrolment.id)).where(Enrolment.user_id == user.id)) == 1


def test_csv_with_every_kind_of_bad_row_imports_nothing(app, session):
    session.add(Organisation(name="Riverside Care"))
    cohort = make_cohort(session, capacity=6)
    enrolled = make_user(session, email="already@example.org")
    enrol(session, enrolled, cohort)
    admin = _admin_client(app, session)
    csv_text = (
        "Full name,Email,Job title,Organisation\n"
        "Good Person,good@example.org,Nurse,Riverside Care\n"
        "Bad Email,not-an-email,Nurse,\n"
        "Dup One,dup@example.org,,\n"
        "Dup Two,DUP@example.org,,\n"
        "Already,already@example.org,,\n"
        "Unknown Org,u@example.org,,Nowhere Trust\n"
        ",noname@example.org,,\n"
    )
    response = _upload(admin, cohort.id, csv_text)
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 400 and "Nothing was imported" in html
    for _row, reason in (
        (3, "Enter an email address in the correct format"),
        (5, "is also on row 4"),
        (6, "already enrolled"),
        (7, "Unknown organisation"),
        (8, "Enter the person's full name"),
        (0, "5 places left"),
    ):
        assert reason in html, reason
    assert '<td class="govuk-table__cell">5</td>' in html
    fresh(session)
    assert session.scalar(sa.select(sa.func.count(Invitation.id))) == 0


def test_csv_header_and_encoding_problems(app, session):
    cohort = make_cohort(session)
    admin = _admin_client(app, session)
    assert "missing: full name, email" in _upload(admin, cohort.id, "name,mail\nA,a@example.org\n").get_data(
        as_text=True
    )
    from io import BytesIO

    url = f"/admin/cohorts/{cohort.id}"
    latin1 = admin.post(
        f"{url}/upload",
        token_from=url,
        content_type="multipart/form-data",
        data={"file": (BytesIO("full name,email\nJosé,j@example.org\n".encode("latin-1")), "p.csv")},
    )
    assert "not UTF-8" in latin1.get_data(as_text=True)


def test_good_1000_row_csv_imports_in_one_go(app, session):
    session.add(Organisation(name="Big Trust"))
    cohort = make_cohort(session, capacity=1000)
    admin = _admin_client(app, session)
    rows = "".join(f"Person {i},p{i}@example.org,Support worker,Big Trust\n" for i in range(1000))
    response = _upload(admin, cohort.id, "full name,email,job title,organisation\n" + rows)
    assert response.status_code == 303
    fresh(session)
    assert session.scalar(sa.select(sa.func.count(Invitation.id))) == 1000
    page = admin.get(f"/admin/cohorts/{cohort.id}").get_data(as_text=True)
    assert "1000 of 1000 taken" in page
    # Full now: one more is refused with a reason, and nothing is added.
    assert "0 places left" in _upload(admin, cohort.id, "full name,email\nOne More,more@example.org\n").get_data(
        as_text=True
    )


def test_join_code_and_direct_enrolment(app, session):
    from elearn.models import CohortState

    cohort = make_cohort(session, join_code="K7MQ2XHD")
    trainee = make_user(session)
    client = FormClient(app.test_client())
    client.sign_in(trainee.email, PASSWORD)
    wrong = client.post("/course/join", {"code": "NOPE1234"})
    assert "That join code is not right" in wrong.get_data(as_text=True)
    joined = client.post("/course/join", {"code": "k7mq-2xhd"})
    assert joined.status_code == 302
    again = client.post("/course/join", {"code": "K7MQ2XHD"})
    assert "already enrolled" in again.get_data(as_text=True)

    other = make_user(session, email="direct@example.org")
    admin = _admin_client(app, session)
    url = f"/admin/cohorts/{cohort.id}"
    assert admin.post(f"{url}/enrol", {"email": "direct@example.org"}, token_from=url).status_code == 303
    repeat = admin.post(f"{url}/enrol", {"email": "direct@example.org"}, token_from=url)
    assert "already enrolled" in repeat.get_data(as_text=True)
    assert "no account" in admin.post(f"{url}/enrol", {"email": "ghost@example.org"}, token_from=url).get_data(
        as_text=True
    )
    fresh(session)
    assert session.scalar(sa.select(sa.func.count(Enrolment.id)).where(Enrolment.cohort_id == cohort.id)) == 2
    assert other.id in session.scalars(sa.select(Enrolment.user_id)).all()
    session.get(type(cohort), cohort.id).state = CohortState.CLOSED
    session.commit()
    late = make_user(session)
    late_client = FormClient(app.test_client())
    late_client.sign_in(late.email, PASSWORD)
    assert "not open" in late_client.post("/course/join", {"code": "K7MQ2XHD"}).get_data(as_text=True)
