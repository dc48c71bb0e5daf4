"""Staff can act: a trainer emails a reminder from the board (previewed, audited, at most once a day per
person, through real SMTP); refresher notices 90, 30 and 0 days before expiry, each once; the verify page
shows when training expires."""

from datetime import timedelta

import sqlalchemy as sa

from elearn.db import Database, utcnow
from elearn.models import AuditEvent, Competence, Enrolment, Organisation, RefresherNotice, Role, organisation_managers

from ..conftest import FormClient, fresh
from ..factories import PASSWORD, enrol, make_cohort, make_user
from .test_evidence import _complete


def _trainer_on(app, session, cohort):
    trainer = make_user(session, Role.TRAINER)
    cohort = session.merge(cohort)
    cohort.trainers.append(trainer)
    session.commit()
    client = FormClient(app.test_client())
    client.sign_in(trainer.email, PASSWORD)
    return client


def test_board_reminder_previewed_sent_once_a_day_and_audited(mail_app, smtp):
    with Database.sessionmaker_for(mail_app)() as session:
        cohort = make_cohort(session, title="Spring course")
        slow, also_slow, done = (make_user(session, full_name=n) for n in ("Sam Slow", "Sid Slow", "Dee Done"))
        slow_enrolment = enrol(session, slow, cohort)
        also_enrolment = enrol(session, also_slow, cohort)
        _complete(session, enrol(session, done, cohort), "DONE-DONE-DONE-DONE", when=utcnow())
        trainer = _trainer_on(mail_app, session, cohort)
        url = f"/trainer/cohorts/{cohort.id}/reminders"

        board = trainer.get(f"/trainer/cohorts/{cohort.id}").get_data(as_text=True)
        assert url in board and slow.email in board  # contact details on the board, and the action
        page = trainer.get(url).get_data(as_text=True)
        assert "Sam Slow" in page and "Dee Done" not in page  # only the not-ready are offered
        assert "Dear Sam Slow" in page and "Please finish your pre-course learning" in page  # the preview
        assert smtp.messages == []

        empty = trainer.post(url, data={})
        assert empty.status_code == 200 and "Choose at least one trainee to remind" in empty.get_data(as_text=True)

        sent = trainer.post(url, data={"enrolment": [str(slow_enrolment.id)]})
        assert sent.status_code == 303
        [message] = smtp.messages
        assert message["To"] == slow.email and "Dear Sam Slow" in message.get_body(("plain",)).get_content()
        assert "/" not in message["Subject"].split("by ")[1]  # dates in words: "by 10 December 2026"

        # Everyone not ready, later the same day: Sam is not emailed twice.
        both = trainer.post(url, data={"enrolment": [str(slow_enrolment.id), str(also_enrolment.id)]})
        assert both.status_code == 303
        assert sorted(m["To"] for m in smtp.messages) == sorted([slow.email, also_slow.email])
        again = trainer.get(url).get_data(as_text=True)
        assert again.count(": already reminded today") == 2
        fresh(session)
        events = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "reminders_sent")).all()
        assert [(e.details["sent"], e.details["already_reminded_today"]) for e in events] == [(1, 0), (1, 1)]


def test_trainer_cannot_remind_another_cohorts_trainees(app, session):
    mine, other = make_cohort(session), make_cohort(session)
    stranger = enrol(session, make_user(session), other)
    trainer = _trainer_on(app, session, mine)
    assert trainer.get(f"/trainer/cohorts/{other.id}/reminders").status_code == 404
    response = trainer.post(
        f"/trainer/cohorts/{mine.id}/reminders",
        data={"enrolment": [str(stranger.id)]},
        token_from=f"/trainer/cohorts/{mine.id}/reminders",
    )
    assert response.status_code == 200  # not on this cohort: nobody chosen, nothing sent
    assert session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "reminders_sent")) == 0


def _expiring(session, days_left: int, name: str, organisation_id=None):
    """Someone assessed competent on a course whose refresher falls due in days_left days."""
    from elearn.domain.evidence.refreshers import add_months

    due = (utcnow() + timedelta(days=days_left)).date()
    course_day = add_months(due, -12)
    cohort = make_cohort(session, starts_in_days=(course_day - utcnow().date()).days)
    enrolment = enrol(session, make_user(session, full_name=name, organisation_id=organisation_id), cohort)
    row = session.get(Enrolment, enrolment.id)
    row.competence = Competence.COMPETENT
    session.commit()
    return enrolment


def test_refresher_notices_go_once_each_and_copy_the_manager(mail_app, smtp):
    runner = mail_app.test_cli_runner()
    with Database.sessionmaker_for(mail_app)() as session:
        oak = Organisation(name="Oak House")
        session.add(oak)
        session.commit()
        boss = make_user(session, Role.MANAGER, email="boss@example.org", organisation_id=oak.id)
        session.execute(sa.insert(organisation_managers).values(user_id=boss.id, organisation_id=oak.id))
        session.commit()
        _expiring(session, 80, "Nia Ninety", oak.id)
        _expiring(session, 20, "Tom Thirty")  # the 90-day run was missed: only the 30-day one goes
        _expiring(session, 0, "Zed Zero")
        _expiring(session, 200, "Fay Far")

        first = runner.invoke(args=["refreshers", "notify"])
        assert first.exit_code == 0, first.output
        assert "3 refresher notices sent." in first.output
        by_name = {m.get_body(("plain",)).get_content().split(",")[0]: m for m in smtp.messages}
        assert set(by_name) == {"Dear Nia Ninety", "Dear Tom Thirty", "Dear Zed Zero"}
        assert by_name["Dear Nia Ninety"]["Cc"] == "boss@example.org"
        assert "expired on" in by_name["Dear Zed Zero"]["Subject"]
        assert "expires on" in by_name["Dear Tom Thirty"]["Subject"]
        assert sorted(session.scalars(sa.select(RefresherNotice.days_before))) == [0, 30, 90]

        second = runner.invoke(args=["refreshers", "notify"])
        assert "0 refresher notices sent." in second.output and len(smtp.messages) == 3


def test_verify_page_shows_the_expiry_date_and_expired_after_it(app, client, session):
    valid = _expiring(session, 100, "Val Id")
    _complete(session, valid, "VVVV-VVVV-VVVV-VVVV")
    lapsed = _expiring(session, -1, "Lap Sed")
    _complete(session, lapsed, "LLLL-LLLL-LLLL-LLLL")
    from elearn.formatting import uk_date

    page = client.get("/verify/VVVV-VVVV-VVVV-VVVV").get_data(as_text=True)
    assert "Valid certificate" in page and "Valid until" in page
    assert uk_date((utcnow() + timedelta(days=100)).date()) in page
    expired = client.get("/verify/LLLL-LLLL-LLLL-LLLL").get_data(as_text=True)
    assert "This certificate has expired" in expired and "Valid certificate" not in expired


def test_admin_invites_everyone_due_to_a_refresher_cohort_after_confirming(app, session):
    from elearn.models import CourseType, Invitation

    from .test_invitations import _admin_client

    _expiring(session, 20, "Dot Due")
    _expiring(session, -5, "Ova Due")
    _expiring(session, 200, "Not Yet")
    refresher = make_cohort(session, title="Refresher May", course_type=CourseType.REFRESHER, starts_in_days=30)
    admin = _admin_client(app, session)
    page = admin.get("/admin/refreshers").get_data(as_text=True)
    assert "Refresher May" in page and "Choose who to invite" in page
    confirm = admin.get(f"/admin/refreshers/invite?cohort={refresher.id}").get_data(as_text=True)
    assert "Dot Due" in confirm and "Ova Due" in confirm and "Not Yet" not in confirm and "Invite 2 people" in confirm
    assert session.scalar(sa.select(sa.func.count(Invitation.id))) == 0  # nothing until confirmed
    done = admin.post(
        "/admin/refreshers/invite",
        data={"cohort": str(refresher.id)},
        token_from=f"/admin/refreshers/invite?cohort={refresher.id}",
    )
    assert done.status_code == 303
    fresh(session)
    assert sorted(session.scalars(sa.select(Invitation.full_name))) == ["Dot Due", "Ova Due"]
    again = admin.get(f"/admin/refreshers/invite?cohort={refresher.id}").get_data(as_text=True)
    assert "already enrolled on or invited" in again  # never twice
    initial = make_cohort(session)
    assert admin.get(f"/admin/refreshers/invite?cohort={initial.id}").status_code == 404


def test_admin_resends_every_pending_invitation_of_a_cohort_after_confirming(app, session):
    from elearn.models import Invitation

    from .test_invitations import _admin_client

    cohort = make_cohort(session)
    admin = _admin_client(app, session)
    admin.post(
        f"/admin/cohorts/{cohort.id}/invite", data={"people": "Ann One, ann@example.org\nBen Two, ben@example.org"}
    )
    fresh(session)
    before = dict(session.execute(sa.select(Invitation.email, Invitation.token_hash)).all())
    url = f"/admin/cohorts/{cohort.id}/invitations/resend"
    confirm = admin.get(url).get_data(as_text=True)
    assert "Send 2 invitations again" in confirm and "stops working" in confirm
    assert admin.post(url).status_code == 303
    fresh(session)
    after = dict(session.execute(sa.select(Invitation.email, Invitation.token_hash)).all())
    assert set(after) == set(before) and all(after[e] != before[e] for e in after)
    events = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "invitations_resent")).all()
    assert [e.details["count"] for e in events] == [2]
