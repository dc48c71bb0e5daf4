"""Prepared files: a large XLSX or an evidence pack is asked for on the exports page, built by the real RQ
worker on a real Redis, and downloaded by the person who asked, and by no one else."""

import io
import socket
import zipfile
from datetime import timedelta

import sqlalchemy as sa
from openpyxl import load_workbook

from elearn import jobs
from elearn.db import Database, utcnow
from elearn.formatting import file_size
from elearn.jobs import worker
from elearn.models import AuditEvent, FileStatus, PageView, PreparedFile, Role, User, organisation_managers

from ..conftest import FormClient, fresh
from ..factories import PASSWORD, enrol, make_user
from .export_helpers import ask_for_file, prepared_download
from .test_manager import _manager_world


def _signed_in(app, user, password=PASSWORD) -> FormClient:
    client = FormClient(app.test_client())
    client.sign_in(user.email, password)
    return client


def _admin(app, session) -> FormClient:
    return _signed_in(app, make_user(session, Role.ADMIN, password=PASSWORD + "-admin"), PASSWORD + "-admin")


def _work(app) -> None:
    worker.run(app, burst=True, worker_class=worker.InProcessAppWorker)


def _sheet_rows(data: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def _file(session, location: str) -> PreparedFile:
    fresh(session)
    return session.get(PreparedFile, int(location.rsplit("/", 1)[1]))


def test_the_worker_builds_the_file_the_streamed_download_would_have_been(queue_app):
    queue_app.config["XLSX_STREAM_MAX_ROWS"] = 0  # every XLSX is prepared
    with Database.sessionmaker_for(queue_app)() as session:
        world = _manager_world(session)
        admin = _admin(queue_app, session)
        page = ask_for_file(admin, "xlsx", organisation=world["elm"].id)
        waiting = admin.get(page).get_data(as_text=True)
        assert "Your file is being prepared" in waiting and "Check again" in waiting and 'role="status"' in waiting
        assert admin.get(page + "/download").status_code == 303  # not ready: back to its page
        with queue_app.app_context():
            assert jobs.queue_depths() == {"waiting": 1, "failed": 0}
            _work(queue_app)
            assert jobs.queue_depths() == {"waiting": 0, "failed": 0}
        ready = admin.get(page).get_data(as_text=True)
        prepared = _file(session, page)
        assert prepared.status is FileStatus.READY and prepared.rows == 2 and prepared.tries == 1
        assert "Your file is ready" in ready and f"Download ({file_size(prepared.size)})" in ready
        download = admin.get(page + "/download")
        assert download.mimetype.endswith("spreadsheetml.sheet") and len(download.data) == prepared.size
        assert download.headers["Cache-Control"] == "no-store"
        assert download.headers["Content-Disposition"].startswith('attachment; filename="completions-Elm-Ward-')
        streamed = admin.get(f"/admin/exports/completions.xlsx?organisation={world['elm'].id}").data
        rows = _sheet_rows(download.data)
        assert rows == _sheet_rows(streamed)  # the same header, rows and trailer
        assert rows[-1][0].startswith("End of export: 2 rows. Covers Organisation: Elm Ward;")
        assert sorted(r[0] for r in rows[1:-1]) == ["Edna Elm", "Ernie Elm"]
        fresh(session)
        requested, *downloads = session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action.in_(["export_requested", "export"])).order_by(AuditEvent.id)
        ).all()
        assert (requested.action, requested.subject, requested.details["file"]) == (
            "export_requested",
            "completions_xlsx",
            prepared.id,
        )
        assert [(e.subject, e.details["rows"], e.details.get("prepared_file")) for e in downloads] == [
            ("xlsx", 2, prepared.id),
            ("xlsx", 2, None),
        ]


def test_the_worker_builds_an_evidence_pack_for_a_manager(queue_app):
    with Database.sessionmaker_for(queue_app)() as session:
        world = _manager_world(session)
        manager = _signed_in(queue_app, world["manager"])
        page = ask_for_file(manager)
        with queue_app.app_context():
            _work(queue_app)
        pack = zipfile.ZipFile(io.BytesIO(manager.get(page + "/download").data))
        assert [n for n in pack.namelist() if n.startswith("certificates/")] == [
            "certificates/certificate-Olive-Oak-OOOO-OOOO-OOOO-OOOO.pdf"
        ]
        recent = manager.get("/admin/exports").get_data(as_text=True)
        assert "Your recent files" in recent and "Evidence pack (ZIP)" in recent and "Ready" in recent


def test_a_failing_build_is_retried_then_shown_as_failed_and_kept_for_admins(queue_app, tmp_path):
    queue_app.config["XLSX_STREAM_MAX_ROWS"] = 0
    with Database.sessionmaker_for(queue_app)() as session:
        _manager_world(session)
        admin = _admin(queue_app, session)
        page = ask_for_file(admin, "xlsx")
        # The worker's host has lost the course files: every try fails for real.
        content_dir = queue_app.config["CONTENT_DIR"]
        queue_app.config["CONTENT_DIR"] = str(tmp_path / "missing")
        queue_app.extensions.pop("elearn.course", None)
        with queue_app.app_context():
            _work(queue_app)
            [failed] = jobs.failed_jobs()
        prepared = _file(session, page)
        assert prepared.status is FileStatus.FAILED and prepared.tries == 3  # the first try and two retries
        assert failed.tries == 3
        assert failed.description == f"prepare file {prepared.id}: completions_xlsx for user {prepared.requester_id}"
        shown = admin.get(page).get_data(as_text=True)
        assert "Your file could not be prepared" in shown and "Try again" in shown
        assert "Traceback" not in shown and str(tmp_path) not in shown  # a plain reason, no internals
        assert f"prepare file {prepared.id}" in admin.get("/admin/jobs").get_data(as_text=True)
        assert admin.get(page + "/download").status_code == 303
        # Put right, then "Try again": the same file is queued once more and built.
        queue_app.config["CONTENT_DIR"] = content_dir
        queue_app.extensions.pop("elearn.course", None)
        assert admin.post(page + "/again", {}, token_from=page).status_code == 303
        assert admin.post(page + "/again", {}, token_from=page).status_code == 303  # a second click: nothing more
        with queue_app.app_context():
            assert jobs.queue_depths()["waiting"] == 1
            _work(queue_app)
        assert _file(session, page).status is FileStatus.READY
        assert admin.get(page + "/download").status_code == 200


def test_inline_the_file_is_ready_at_once_and_only_its_requester_may_have_it(app, session):
    world = _manager_world(session)
    oak_manager = _signed_in(app, world["manager"])
    page = ask_for_file(oak_manager)
    assert "Your file is ready" in oak_manager.get(page).get_data(as_text=True)
    assert oak_manager.get(page + "/download").status_code == 200
    elm_manager = make_user(session, Role.MANAGER, organisation_id=world["elm"].id)
    session.execute(sa.insert(organisation_managers).values(user_id=elm_manager.id, organisation_id=world["elm"].id))
    session.commit()
    strangers = [_signed_in(app, elm_manager), _admin(app, session)]  # even an admin: the file is the requester's
    for other in strangers:
        for url in (page, page + "/download"):
            assert other.get(url).status_code == 404, url
        assert other.post(page + "/again", {}, token_from="/admin/exports").status_code == 404
        assert "Evidence pack (ZIP)" not in other.get("/admin/exports").get_data(as_text=True)
    # No longer managing Oak: what the file covers is out of sight, so is the file.
    session.execute(sa.delete(organisation_managers).where(organisation_managers.c.user_id == world["manager"].id))
    session.commit()
    assert oak_manager.get(page + "/download").status_code == 404


def test_an_admin_who_becomes_a_manager_loses_files_that_covered_everyone(app, session):
    world = _manager_world(session)
    admin_user = make_user(session, Role.ADMIN, password=PASSWORD + "-admin")
    admin = _signed_in(app, admin_user, PASSWORD + "-admin")
    page = ask_for_file(admin, organisation=world["oak"].id)
    assert admin.get(page + "/download").status_code == 200
    session.get(User, admin_user.id).role = Role.MANAGER
    session.execute(sa.insert(organisation_managers).values(user_id=admin_user.id, organisation_id=world["oak"].id))
    session.commit()
    assert admin.get(page + "/download").status_code == 404  # asked for as an admin: no manager scope recorded


def test_expired_files_are_gone_and_deleted(app, session):
    _manager_world(session)
    admin = _admin(app, session)
    page = ask_for_file(admin)
    prepared = _file(session, page)
    prepared.expires_at = utcnow() - timedelta(minutes=1)
    session.commit()
    assert admin.get(page).status_code == 404
    assert "Evidence pack (ZIP)" not in admin.get("/admin/exports").get_data(as_text=True)
    result = app.test_cli_runner().invoke(args=["files", "purge"])
    assert "1 expired file deleted." in result.output
    fresh(session)
    assert session.scalar(sa.select(sa.func.count()).select_from(PreparedFile)) == 0


def test_small_xlsx_is_streamed_and_a_large_one_prepared(app, session):
    world = _manager_world(session)
    admin = _admin(app, session)
    app.config["XLSX_STREAM_MAX_ROWS"] = 3  # three enrolments in the world
    response = admin.post("/admin/exports", [("action", "xlsx")], token_from="/admin/exports")
    assert response.headers["Location"] == "/admin/exports/completions.xlsx"
    app.config["XLSX_STREAM_MAX_ROWS"] = 2
    page = ask_for_file(admin, "xlsx")
    assert _sheet_rows(admin.get(page + "/download").data)[-1][0].startswith("End of export: 3 rows.")
    # A CSV is always streamed, whatever its size.
    response = admin.post("/admin/exports", [("action", "csv"), ("organisation", str(world["oak"].id))])
    assert response.headers["Location"] == f"/admin/exports/completions.csv?organisation={world['oak'].id}"


def test_every_completions_download_costs_the_same_statements_at_any_size(app, session, count_queries):
    """Streamed CSV, streamed XLSX, prepared XLSX: the time on course, the managers and the modules come
    from the one query (and one for the managers), however many trainees there are."""
    world = _manager_world(session)
    admin = _admin(app, session)
    app.config["XLSX_STREAM_MAX_ROWS"] = 0

    def statements(extra: int) -> list[int]:
        for i in range(extra):
            person = make_user(session, full_name=f"Extra {i}", organisation_id=world["oak"].id)
            enrolment = enrol(session, person, world["shared"])
            session.add(PageView(enrolment_id=enrolment.id, module_id="alpha", page_id="01-first"))
            session.commit()
        counts = []
        for download in (
            lambda: admin.get("/admin/exports/completions.csv").get_data(),
            lambda: admin.get("/admin/exports/completions.xlsx").get_data(),
            lambda: prepared_download(admin, "xlsx").get_data(),
        ):
            with count_queries() as counter:
                assert download().startswith((b"\xef\xbb\xbf", b"PK"))
            counts.append(counter.count)
        return counts

    assert statements(1) == statements(8)


def test_an_unreachable_queue_fails_the_file_at_once_instead_of_waiting_for_ever(queue_app):
    with socket.socket() as probe:  # a port with nothing listening: Redis cannot be reached
        probe.bind(("127.0.0.1", 0))
        queue_app.config["REDIS_URL"] = f"redis://127.0.0.1:{probe.getsockname()[1]}/0"
    with Database.sessionmaker_for(queue_app)() as session:
        _manager_world(session)
        admin = _admin(queue_app, session)
        page = ask_for_file(admin)
        assert _file(session, page).status is FileStatus.FAILED
        assert "Your file could not be prepared" in admin.get(page).get_data(as_text=True)
