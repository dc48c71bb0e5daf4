"""axe-core and 320 px reflow on what xAPI adds to pages: the outbox on Admin -> Jobs, the LRS on the
privacy notice."""

import threading
import uuid

from playwright.sync_api import expect
from werkzeug.serving import make_server

from elearn.db import Database, utcnow
from elearn.models import Role, XapiStatement

from ..conftest import _empty_tables, make_test_app
from ..factories import make_user
from .helpers import audit
from .test_other_pages import ADMIN_PASSWORD, _sign_in


def test_the_outbox_on_the_jobs_page_and_the_lrs_on_the_privacy_notice(chromium, database_url, tmp_path):
    app = make_test_app(
        database_url,
        tmp_path,
        XAPI_LRS_URL="http://127.0.0.1:9/xAPI/",  # never contacted: the pages only read the outbox
        XAPI_LRS_USERNAME="key",
        XAPI_LRS_PASSWORD="secret",
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    context = chromium.new_context(base_url=f"http://127.0.0.1:{server.server_port}")
    try:
        with Database.sessionmaker_for(app)() as session:
            admin = make_user(session, Role.ADMIN, password=ADMIN_PASSWORD)
            error = 'LRS answered 503 Service Unavailable: {"detail":"' + "x" * 200 + '"}'
            for tried in (0, 3):
                statement_id = str(uuid.uuid4())
                session.add(
                    XapiStatement(
                        statement_id=statement_id,
                        statement={"id": statement_id},
                        attempts=tried,
                        next_try_at=utcnow(),
                        last_error=error if tried else None,
                    )
                )
            session.commit()
        page = context.new_page()
        page.set_default_timeout(10_000)
        _sign_in(page, admin.email, ADMIN_PASSWORD)
        page.goto("/admin/jobs")
        expect(page.get_by_role("heading", name="Statements for the learning-record store (xAPI)")).to_be_visible()
        expect(page.get_by_test_id("xapi-waiting")).to_have_text("2")
        expect(page.get_by_test_id("xapi-retrying")).to_have_text("1")
        audit(page)
        page.goto("/privacy")
        expect(page.get_by_text("our learning-record store")).to_be_visible()
        audit(page)
    finally:
        context.close()
        server.shutdown()
        thread.join()
        _empty_tables(app)
