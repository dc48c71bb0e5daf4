"""The command-line tools: demo seed (idempotent, prints working passwords), content check, users create."""

import sqlalchemy as sa

from elearn.models import Attempt, Cohort, Enrolment, User

from ..conftest import PROJECT_ROOT, FormClient


def test_demo_seed_is_idempotent_and_its_passwords_work(app, session):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "seed"])
    second = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0 and first.output == second.output
    assert session.scalar(sa.select(sa.func.count(User.id))) == 3 + 8  # and colleagues part-way through
    assert session.scalar(sa.select(sa.func.count(Cohort.id))) == 1
    assert session.scalar(sa.select(sa.func.count(Enrolment.id))) == 1 + 8
    assert session.scalar(sa.select(sa.func.count(Attempt.id))) > 8
    assert session.scalar(sa.select(Cohort.join_code)) is not None
    for line in first.output.splitlines()[1:]:
        _role, email, _label, password = line.split()
        FormClient(app.test_client()).sign_in(email, password)


def test_content_check_reports_problems_and_exit_code(app, tmp_path):
    ok = app.test_cli_runner().invoke(args=["content", "check", "--no-lint"])
    assert ok.exit_code == 0 and "Content OK: 3 modules (1 draft)" in ok.output
    (tmp_path / "modules").mkdir()
    (tmp_path / "quizzes").mkdir()
    (tmp_path / "quizzes" / "x.yaml").write_text("module: x\nquestions: []\n")
    app.config["CONTENT_DIR"] = str(tmp_path)
    bad = app.test_cli_runner().invoke(args=["content", "check", "--no-lint"])
    assert bad.exit_code == 1 and "quizzes/x.yaml:2: questions: List should have at least 1 item" in bad.output


def test_users_create_enforces_password_rules(app, session):
    runner = app.test_cli_runner()
    weak = runner.invoke(
        args=["users", "create", "--email", "a@example.org", "--name", "A", "--role", "admin"],
        input="short password\nshort password\n",
    )
    assert weak.exit_code == 1 and "15 characters or more" in weak.output
    good = runner.invoke(
        args=["users", "create", "--email", "a@example.org", "--name", "A", "--role", "admin"],
        input="a long admin pass phrase\na long admin pass phrase\n",
    )
    assert good.exit_code == 0 and "Created admin a@example.org" in good.output


def test_db_revision_writes_a_numbered_migration_that_matches_the_models(tmp_path):
    # Against a fresh database at head, the models and migrations agree: the new revision is empty.
    from elearn import create_app

    app = create_app(
        {
            "ENV": "testing",
            "SECRET_KEY": "x",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}",
            "INSTANCE_PATH": str(tmp_path),
        }
    )
    result = app.test_cli_runner().invoke(args=["db", "revision", "-m", "nothing to change"])
    written = sorted((PROJECT_ROOT / "elearn" / "migrations" / "versions").glob("*_nothing_to_change.py"))
    try:
        assert result.exit_code == 0, result.output
        assert len(written) == 1 and written[0].name[:4].isdigit()
        text = written[0].read_text()
        assert "op." not in text and "import elearn" not in text  # no operations: models == migrations
    finally:
        for path in written:
            path.unlink()


def test_content_import_and_export_commands(app, tmp_path):
    runner = app.test_cli_runner()
    gift = tmp_path / "old.gift"
    gift.write_text("::one:: Is it? {T#No, it is.#Yes, it is.}\n\nBroken {\n", encoding="utf-8")
    out = tmp_path / "bank.yaml"
    bad = runner.invoke(
        args=["content", "import", "--format", "gift", "--module", "alpha", "--output", str(out), str(gift)]
    )
    assert bad.exit_code != 0 and f"{gift}:3: no answer block" in bad.output and not out.exists()
    gift.write_text("::one:: Is it? {T#No, it is.#Yes, it is.}\n", encoding="utf-8")
    good = runner.invoke(
        args=["content", "import", "--format", "gift", "--module", "alpha", "--output", str(out), str(gift)]
    )
    assert good.exit_code == 0, good.output
    assert "TO-DO" in out.read_text() and "type: true_false" in out.read_text()
    again = runner.invoke(
        args=["content", "import", "--format", "gift", "--module", "alpha", "--output", str(out), str(gift)]
    )
    assert again.exit_code != 0 and "already exists" in again.output  # never overwrites
    for fmt, name in (("gift", "alpha.gift"), ("qti", "alpha.zip")):
        result = runner.invoke(
            args=["content", "export", "--format", fmt, "--module", "alpha", "--output", str(tmp_path / name)]
        )
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).stat().st_size > 100


def test_demo_trainees_show_every_journey_state_on_a_plausible_clock(app, session):
    from datetime import date

    from elearn.content import load_course
    from elearn.domain.cohorts.readiness import Readiness, readiness_for_cohorts
    from elearn.models import AttemptAnswer, AttemptState, Completion, PageView

    from ..conftest import FIXTURE_CONTENT

    assert app.test_cli_runner().invoke(args=["demo", "seed"]).exit_code == 0
    cohort_id = session.scalar(sa.select(Cohort.id))
    states = {
        r.state
        for r in readiness_for_cohorts(session, load_course(FIXTURE_CONTENT), [cohort_id], date.today()).values()
    }
    assert {Readiness.NOT_STARTED, Readiness.IN_PROGRESS, Readiness.NEEDS_SUPPORT, Readiness.READY} <= states
    assert session.scalar(sa.select(sa.func.count(Completion.id)).where(Completion.withdrawn_at.is_not(None))) == 1
    reading = session.scalar(sa.select(User.id).where(User.full_name == "Owen Price"))
    assert (
        session.scalar(sa.select(sa.func.count(PageView.id)).join(Enrolment).where(Enrolment.user_id == reading)) == 2
    )
    for attempt in session.scalars(sa.select(Attempt).where(Attempt.state == AttemptState.SUBMITTED)):
        answered = [a.answered_at for a in attempt.answers]
        assert attempt.started_at <= min(answered) and max(answered) <= attempt.submitted_at
    for completion in session.scalars(sa.select(Completion)):
        latest = session.scalar(
            sa.select(sa.func.max(AttemptAnswer.answered_at))
            .join(Attempt)
            .where(Attempt.enrolment_id == completion.enrolment_id)
        )
        assert latest <= completion.completed_at
