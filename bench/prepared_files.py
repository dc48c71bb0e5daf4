"""The completions XLSX of 100k rows as a prepared file: how long the web request takes (it only records
the request and queues the job), how long the real RQ worker's job takes to build and store the file, and
the download, against the database's own CSV dump of the same query (bench.report's baseline).

    python -m bench.prepared_files [--rows 100000] [--database-url URL] --redis-url redis://127.0.0.1:6379/N

The Redis database given is emptied first. A benchmark, not a test: it prints seconds and ratios."""

import argparse
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from redis import Redis

from bench.report import _dump_command, _timed
from bench.seed import _completed
from elearn import create_app
from elearn.db import Database
from elearn.jobs import worker
from elearn.migrate import upgrade_to_head
from elearn.models import PreparedFile, Role
from elearn.web.content_store import get_course
from tests.conftest import FormClient
from tests.factories import make_user

PROJECT = Path(__file__).resolve().parents[1]
PASSWORD = "a long bench pass phrase"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", help="default: a new SQLite file in a temporary folder")
    parser.add_argument("--redis-url", required=True, help="a Redis database this run may empty")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        url = args.database_url or f"sqlite:///{workdir}/bench.db"
        if not url.startswith("sqlite"):
            with sa.create_engine(url).begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        upgrade_to_head(url)
        with Redis.from_url(args.redis_url) as redis:
            redis.flushdb()
        app = create_app(
            {
                "ENV": "testing",
                "SECRET_KEY": "bench-secret-key",
                "DATABASE_URL": url,
                "CONTENT_DIR": str(PROJECT),
                "INSTANCE_PATH": f"{workdir}/instance",
                "JOBS": "rq",
                "REDIS_URL": args.redis_url,
                "XLSX_STREAM_MAX_ROWS": 0,  # the choice the page makes for any XLSX over the limit
            }
        )
        with app.app_context(), Database.sessionmaker_for(app)() as session:
            print(f"seeding {args.rows:,} completed enrolments ...", flush=True)
            admin = make_user(session, Role.ADMIN, email="bench-admin@example.org", password=PASSWORD)
            _completed(session, get_course(), args.rows)
            session.commit()
            course = get_course()
        client = FormClient(app.test_client())
        client.sign_in(admin.email, PASSWORD)
        token = client.csrf_token("/admin/exports")

        start = time.perf_counter()
        response = client.client.post("/admin/exports", data={"csrf_token": token, "action": "xlsx"})
        request_seconds = time.perf_counter() - start
        assert response.status_code == 303 and response.headers["Location"].startswith("/admin/files/")
        page = response.headers["Location"]

        start = time.perf_counter()
        worker.run(app, burst=True)  # the production worker class: a forked work horse per job
        job_seconds = time.perf_counter() - start

        start = time.perf_counter()
        download = client.get(page + "/download")
        download_seconds = time.perf_counter() - start
        assert download.status_code == 200, download.status_code
        with Database.sessionmaker_for(app)() as session:
            prepared = session.get(PreparedFile, int(page.rsplit("/", 1)[1]))
            built = (prepared.finished_at - prepared.started_at).total_seconds()
            rows, size = prepared.rows, prepared.size
        dump_seconds = _timed(_dump_command(url, course))
        print(f"\n{url.split(':', 1)[0]}, {rows:,} rows, {size / 1e6:.1f} MB XLSX")
        print(f"  web request (records it, queues the job): {request_seconds * 1000:.0f} ms")
        print(f"  worker, job start to end (burst run):     {job_seconds:.1f} s")
        print(f"    of which building and storing the file: {built:.1f} s ({built / dump_seconds:.1f}x the dump)")
        print(f"  download of the stored file:              {download_seconds * 1000:.0f} ms")
        print(f"  database's own CSV dump of the query:     {dump_seconds:.1f} s")


if __name__ == "__main__":
    main()
