"""seen_at moves at most once a minute, and the idle timeout still holds."""

from ..factories import PASSWORD, trainee_with_enrolment


def _signed_in(client, session):
    user, enrolment = trainee_with_enrolment(session)
    client.sign_in(user.email, PASSWORD)
    return enrolment.id


def test_a_session_idle_too_long_is_still_signed_out(app, client, session):
    enrolment_id = _signed_in(client, session)
    idle = app.config["SESSION_IDLE_MINUTES"] * 60
    with client.client.session_transaction() as cookie:
        cookie["seen_at"] -= idle + 1
    response = client.get(f"/course/{enrolment_id}")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_activity_after_a_minute_moves_the_idle_clock(app, client, session):
    enrolment_id = _signed_in(client, session)
    with client.client.session_transaction() as cookie:
        cookie["seen_at"] -= 61
        before = cookie["seen_at"]
    assert "Set-Cookie" in client.get(f"/course/{enrolment_id}").headers
    with client.client.session_transaction() as cookie:
        assert cookie["seen_at"] > before


def test_a_request_within_the_minute_sends_no_new_cookie(app, client, session):
    """The session is not signed and sent again on every request: nothing in it changed."""
    enrolment_id = _signed_in(client, session)
    assert client.get(f"/course/{enrolment_id}").status_code == 200  # the first page adds its CSRF secret
    response = client.get(f"/course/{enrolment_id}")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
