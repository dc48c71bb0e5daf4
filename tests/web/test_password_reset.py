"""Password reset by email: same answer for unknown emails, time-limited, single use."""

from datetime import timedelta

import sqlalchemy as sa

from elearn.db import Database
from elearn.mail import wait_for_background_mail
from elearn.models import PasswordReset

from ..conftest import FormClient, fresh, link_in
from ..factories import PASSWORD, make_user

SAME_ANSWER = "If there is an account for that email address, we have sent a link"


def test_reset_flow_over_real_smtp(mail_app, smtp):
    with Database.sessionmaker_for(mail_app)() as session:
        user = make_user(session)
        client = FormClient(mail_app.test_client())
        signed_in_elsewhere = FormClient(mail_app.test_client())
        signed_in_elsewhere.sign_in(user.email, PASSWORD)

        known = client.post("/reset-password", {"email": user.email}, follow_redirects=True)
        unknown = client.post("/reset-password", {"email": "nobody@example.org"}, follow_redirects=True)
        assert SAME_ANSWER in known.get_data(as_text=True) and SAME_ANSWER in unknown.get_data(as_text=True)
        wait_for_background_mail()
        assert [m["To"] for m in smtp.messages] == [user.email]

        link = link_in(smtp.messages[0], "/reset-password/")
        opened = client.get(link)  # the token moves into the session: the form's address holds none
        assert opened.status_code == 303 and opened.headers["Location"] == "/new-password"
        assert (
            client.post("/new-password", {"password": "new pass phrase here", "confirm": "different"}).status_code
            == 200
        )
        done = client.post("/new-password", {"password": "new pass phrase here", "confirm": "new pass phrase here"})
        assert done.status_code == 302
        client.sign_in(user.email, "new pass phrase here")
        # Used once only, and the old session elsewhere has ended.
        assert FormClient(mail_app.test_client()).get(link).status_code == 404
        assert client.get("/new-password").status_code == 404
        assert "/sign-in" in signed_in_elsewhere.get("/course/").headers["Location"]


def test_expired_reset_link_is_refused(app, session):
    from elearn.db import utcnow
    from elearn.domain.people import password_resets

    user = make_user(session)
    _user, token = password_resets.request_reset(session, user.email, utcnow() - timedelta(minutes=61), 60)
    session.commit()
    response = FormClient(app.test_client()).get(f"/reset-password/{token}")
    assert response.status_code == 404 and "expired" in response.get_data(as_text=True)
    fresh(session)
    assert session.scalar(sa.select(PasswordReset.used_at)) is None


def test_development_outbox_gets_both_parts(app, session):
    user = make_user(session)
    FormClient(app.test_client()).post("/reset-password", {"email": user.email})
    wait_for_background_mail()
    outbox = list((app.instance_path and __import__("pathlib").Path(app.instance_path) / "outbox").glob("*.eml"))
    assert len(outbox) == 1
    raw = outbox[0].read_text()
    assert "Content-Type: text/plain" in raw and "Content-Type: text/html" in raw
