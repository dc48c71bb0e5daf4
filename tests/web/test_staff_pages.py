"""Navigation and copy on staff pages: the current page marked everywhere, board filters with counts, the audit
log filtered by person, action and date with details in words, and XLSX exports ready to use."""

import io
from datetime import UTC, datetime

import sqlalchemy as sa
from openpyxl import load_workbook

from elearn.models import AuditEvent, Organisation, Role, organisation_managers

from ..factories import enrol, make_cohort, make_user
from .test_invitations import _admin_client


def test_current_page_is_marked_in_every_navigation(app, session):
    cohort = make_cohort(session, title="Marked course")
    enrol(session, make_user(session), cohort)
    admin = _admin_client(app, session)
    board = admin.get(f"/trainer/cohorts/{cohort.id}?state=not_started").get_data(as_text=True)
    assert 'app-nav-current" aria-current="true">Readiness</a>' in board  # the section, in the header
    assert f'href="/trainer/cohorts/{cohort.id}" aria-current="page">Readiness board</a>' in board  # cohort nav
    assert 'aria-current="page">Not started (1)</a>' in board and "Everyone (1)</a>" in board  # the filter
    analysis = admin.get(f"/trainer/cohorts/{cohort.id}/analysis").get_data(as_text=True)
    assert 'aria-current="page">Quiz analysis</a>' in analysis
    exports = admin.get("/admin/exports").get_data(as_text=True)
    assert 'app-nav-current" aria-current="page">Exports</a>' in exports


def test_audit_log_filters_by_person_action_and_date_with_details_in_words(app, session):
    admin = _admin_client(app, session)
    session.add_all(
        [
            AuditEvent(
                action="export",
                subject="csv",
                details={"filters": {}, "rows": 3},
                at=datetime(2026, 11, 3, 10, tzinfo=UTC),
            ),
            AuditEvent(
                action="user_updated",
                subject="pat@example.org",
                details={"changes": {"role": "trainer"}},
                at=datetime(2026, 11, 20, 10, tzinfo=UTC),
            ),
        ]
    )
    session.commit()
    everything = admin.get("/admin/audit").get_data(as_text=True)
    assert "Filters: none. Rows: 3." in everything and "{}" not in everything
    by_person = admin.get("/admin/audit?person=PAT").get_data(as_text=True)
    assert "pat@example.org" in by_person and "Rows: 3" not in by_person
    by_action = admin.get("/admin/audit?action=export").get_data(as_text=True)
    assert "Rows: 3" in by_action and "pat@example.org" not in by_action
    by_date = admin.get("/admin/audit?since=10&since=11&since=2026&until=30&until=11&until=2026").get_data(as_text=True)
    assert "pat@example.org" in by_date and "Rows: 3" not in by_date
    wrong = admin.get("/admin/audit?since=40&since=13&since=2026")
    assert "Error:" in wrong.get_data(as_text=True)


def test_xlsx_has_widths_a_filter_and_enrolment_and_manager_columns(app, session):
    oak = Organisation(name="Oak House")
    session.add(oak)
    session.commit()
    boss = make_user(session, Role.MANAGER, full_name="Bea Boss")
    session.execute(sa.insert(organisation_managers).values(user_id=boss.id, organisation_id=oak.id))
    session.commit()
    enrol(session, make_user(session, full_name="Ola Staff", organisation_id=oak.id), make_cohort(session))
    admin = _admin_client(app, session)
    sheet = load_workbook(io.BytesIO(admin.get("/admin/exports/completions.xlsx").data)).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}2"
    assert sheet.column_dimensions["A"].width >= 14
    assert row["Managers"] == "Bea Boss" and row["Enrolled on"] is not None


def test_charts_are_svg_with_a_text_alternative_and_the_data_beneath(app, session):
    from ..conftest import FormClient
    from ..factories import PASSWORD
    from .quiz_helpers import pass_module

    cohort = make_cohort(session, title="Charted course")
    trainee = make_user(session)
    enrolment = enrol(session, trainee, cohort)
    learner = FormClient(app.test_client())
    learner.sign_in(trainee.email, PASSWORD)
    pass_module(learner, session, enrolment.id, "alpha")
    admin = _admin_client(app, session)

    cohorts = admin.get("/trainer/").get_data(as_text=True)
    assert 'role="img" focusable="false" aria-labelledby="readiness-title readiness-desc"' in cohorts
    assert '<title id="readiness-title">Readiness per cohort</title>' in cohorts
    assert '<th scope="row" class="govuk-table__header">Charted course' in cohorts  # the data table beneath

    analysis = admin.get(f"/trainer/cohorts/{cohort.id}/analysis").get_data(as_text=True)
    assert 'href="#module-1"' in analysis and 'id="module-1"' in analysis  # jump links
    assert "Facility per learning outcome: 1." in analysis and "Quiz scores: 1." in analysis
    assert '<details class="govuk-details">' in analysis  # the long tables fold away
    assert "style=" not in analysis and "<script>" not in analysis  # CSP stays strict


def test_score_bands_take_one_statement_whatever_the_number_of_attempts(session, count_queries):
    from elearn.domain.evidence.analysis import score_bands
    from elearn.models import Attempt, AttemptState

    cohort = make_cohort(session)

    def add(n):
        for i in range(n):
            enrolment = enrol(session, make_user(session), cohort)
            session.add(
                Attempt(
                    enrolment_id=enrolment.id,
                    module_id="alpha",
                    number=1,
                    state=AttemptState.SUBMITTED,
                    content_version="v",
                    pass_mark=80,
                    draw=[],
                    started_at=datetime(2026, 11, 1, tzinfo=UTC),
                    submitted_at=datetime(2026, 11, 1, tzinfo=UTC),
                    score_percent=(i * 37) % 101,
                    is_passed=False,
                )
            )
        session.commit()
        with count_queries() as counter:
            bands = score_bands(session, [cohort.id])
        return counter.count, sum(bands["alpha"])

    assert add(3) == (1, 3)
    assert add(40) == (1, 43)
