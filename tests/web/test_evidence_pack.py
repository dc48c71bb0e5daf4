"""Exports mean what the page shows: downloads carry the filters on the page, the evidence pack holds only
the chosen organisation, names its filters in words, and its files by organisation, date, person and code."""

import io
import re
import zipfile
from datetime import UTC, date, datetime

from openpyxl import load_workbook
from pypdf import PdfReader

from elearn.models import Completion, Organisation

from ..factories import enrol, make_cohort, make_user
from .export_helpers import export_form, prepared_download
from .test_invitations import _admin_client


def _complete(session, enrolment, code):
    session.add(
        Completion(
            enrolment_id=enrolment.id,
            content_version="v1",
            certificate_code=code,
            completed_at=datetime(2026, 11, 20, 12, tzinfo=UTC),
        )
    )
    session.commit()


def _two_organisations(session):
    oak, ash = Organisation(name="Oak Trust"), Organisation(name="Ash Homes")
    session.add_all([oak, ash])
    session.commit()
    oak_course = make_cohort(session, title="Oak initial", organisation_id=oak.id)
    ash_course = make_cohort(session, title="Ash initial", organisation_id=ash.id)
    for name, org, cohort, code in (
        ("Łucja Wiśniewska-Ștefan", oak, oak_course, "KKKK-KKKK-KKKK-KKKK"),
        ("Oli Oak", oak, oak_course, None),
        ("Asha Ash", ash, ash_course, "AAAA-AAAA-AAAA-AAAA"),
    ):
        enrolment = enrol(session, make_user(session, full_name=name, organisation_id=org.id), cohort)
        if code:
            _complete(session, enrolment, code)
    return oak, ash


def test_the_exports_page_submits_its_filters_to_every_download(app, session):
    """Regression: the download links carried the last *applied* filters, so choosing an organisation and
    clicking 'Evidence pack' sent every organisation's data. Now the filter form itself posts to each one
    (a button's action), and the streamed files follow at GET addresses holding the posted filters."""
    oak, _ash = _two_organisations(session)
    admin = _admin_client(app, session)
    html = admin.get("/admin/exports").get_data(as_text=True)
    start = html.index('<form method="post" action="/admin/exports"')
    form = html[start : html.index("</form>", start)]
    for action in ("apply", "csv", "xlsx", "evidence_pack"):
        [button] = [tag for tag in re.findall(r"<button[^>]*>", form) if f'value="{action}"' in tag]
        assert 'name="action"' in button, action
    assert f'<option value="{oak.id}"' in form and 'name="csrf_token"' in form
    for action, target in (("apply", "/admin/exports?"), ("csv", "/admin/exports/completions.csv?"),
                           ("xlsx", "/admin/exports/completions.xlsx?")):  # fmt: skip
        response = admin.post("/admin/exports", export_form(action, organisation=oak.id, **{"from": date(2020, 1, 2)}),
                              token_from="/admin/exports")  # fmt: skip
        assert response.status_code == 303
        assert response.headers["Location"] == f"{target}organisation={oak.id}&from=2020-01-02", action


def test_filtered_evidence_pack_holds_only_the_chosen_organisation(app, session):
    oak, _ash = _two_organisations(session)
    admin = _admin_client(app, session)
    response = prepared_download(admin, organisation=oak.id, **{"from": date(2020, 1, 1)})
    disposition = response.headers["Content-Disposition"]
    assert re.search(r'filename="evidence-pack-Oak-Trust-from-2020-01-01-\d{4}-\d{2}-\d{2}\.zip"', disposition)
    pack = zipfile.ZipFile(io.BytesIO(response.data))
    names = sorted(pack.namelist())
    assert [n for n in names if n.startswith("certificates/")] == [
        "certificates/certificate-Łucja-Wiśniewska-Ștefan-KKKK-KKKK-KKKK-KKKK.pdf"
    ]
    [xlsx] = [n for n in names if n.endswith(".xlsx")]
    [summary] = [n for n in names if n.endswith(".pdf") and "/" not in n]
    assert xlsx.startswith("completions-Oak-Trust-") and summary.startswith("summary-Oak-Trust-")
    rows = list(load_workbook(io.BytesIO(pack.read(xlsx))).active.iter_rows(values_only=True))
    people = sorted(r[0] for r in rows[1:] if r[0] and r[1])
    assert people == ["Oli Oak", "Łucja Wiśniewska-Ștefan"]
    text = PdfReader(io.BytesIO(pack.read(summary))).pages[0].extract_text()
    assert "Organisation: Oak Trust" in text and "Course dates: From 1 January 2020" in text
    assert "Course type: Initial and refresher" in text and "Rows in the completion list: 2" in text
    assert "Ash" not in text and "organisation_id" not in text
    certificate = PdfReader(io.BytesIO(pack.read(names[0]))).pages[0].extract_text()
    assert "Łucja Wiśniewska-Ștefan" in certificate


def test_evidence_pack_statements_do_not_grow_with_trainees(app, session, count_queries):
    oak = Organisation(name="Count Trust")
    session.add(oak)
    session.commit()
    cohort = make_cohort(session, organisation_id=oak.id)
    admin = _admin_client(app, session)

    def statements(total: int) -> int:
        for _ in range(total - len(cohort_people)):
            enrolment = enrol(session, make_user(session, full_name=f"P {len(cohort_people)}"), cohort)
            _complete(session, enrolment, f"P{len(cohort_people):03d}-AAAA-AAAA-AAAA")
            cohort_people.append(enrolment)
        with count_queries() as counter:
            assert prepared_download(admin, organisation=oak.id).status_code == 200
        return counter.count

    cohort_people: list = []
    assert statements(2) == statements(8)


def test_csv_and_xlsx_downloads_end_with_their_row_count_and_what_they_cover(app, session):
    oak, _ash = _two_organisations(session)
    admin = _admin_client(app, session)
    csv_text = admin.get(f"/admin/exports/completions.csv?organisation={oak.id}").get_data(as_text=True)
    expected = "End of export: 2 rows. Covers Organisation: Oak Trust; Cohort: All cohorts; Course dates: Any date"
    assert csv_text.strip().splitlines()[-1].startswith(expected)
    xlsx = admin.get(f"/admin/exports/completions.xlsx?organisation={oak.id}").data
    rows = list(load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True))
    assert rows[-1][0].startswith(expected) and len(rows) == 1 + 2 + 1  # header, two people, the trailer
