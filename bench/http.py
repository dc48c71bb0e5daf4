"""HTTP benchmark: elearn under Gunicorn (sync, -w 2) against a bare Flask endpoint served the same way,
driven by wrk, runs interleaved (bare, app, bare, app, ...), medians of the repetitions. Prints RATIOS,
because this kind of machine is shared and noisy; absolute numbers are shown only for context.

    make bench                      # (python -m bench.http) SQLite, the full run (about 10 minutes)
    make bench BENCH_ARGS=--quick   # a short smoke run (a minute or two)
    ELEARN_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/elearn_bench make bench

On PostgreSQL the database must exist; the benchmark empties its public schema first. The app runs with
production settings, so its rate limits and job queue need Redis: ELEARN_BENCH_REDIS_URL (default
redis://127.0.0.1:6379/0).
It is a benchmark, not a test: it fails only when a response is not the page it should be.
"""

import argparse
import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench import report  # noqa: E402
from bench.seed import seed  # noqa: E402
from elearn import create_app  # noqa: E402
from elearn.db import Database  # noqa: E402
from elearn.migrate import upgrade_to_head  # noqa: E402
from elearn.web.content_store import get_course  # noqa: E402
from tests.factories import PASSWORD  # noqa: E402

BIN = Path(sys.executable).parent


def options():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="short smoke run: 1 rep, 2 s, 10k export rows")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--export-rows", type=int, default=100_000)
    parser.add_argument("--export-reps", type=int, default=1, help="the 100k exports are long: 1 rep by default")
    parser.add_argument("--capacity", default="100,250,500", help="simulated trainees per capacity run")
    parser.add_argument("--capacity-seconds", type=float, default=15)
    parser.add_argument("--timeout", type=int, default=120, help="Gunicorn worker timeout for the run")
    parser.add_argument("--max-seconds", type=float, default=30, help="longest wrk run, for the slowest pages")
    parser.add_argument(
        "--only",
        default="",
        help="rows to run, separated by semicolons (row names have commas), e.g. "
        '"answer save;board, 1,000 trainees;exports;capacity" (default: all of them)',
    )
    args = parser.parse_args()
    if args.quick:
        args.reps, args.seconds, args.export_rows, args.capacity, args.capacity_seconds = 1, 2, 10_000, "50", 6
    return args


def need_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing wrk from Debian (apt-get install wrk)...", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
        return shutil.which("wrk")
    sys.exit("make bench needs the wrk load generator: install it with  sudo apt-get install wrk  (Debian/Ubuntu)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(app_spec: str, env: dict, timeout: int, log: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", str(timeout), app_spec],
        cwd=ROOT,
        env={**os.environ, **env},
        stderr=log.open("w"),
        start_new_session=True,
    )
    for _ in range(300):  # until a worker answers: the master accepts connections before workers boot
        if process.poll() is not None:
            sys.exit(f"{app_spec} did not start:\n" + "\n".join(log.read_text().splitlines()[-5:]))
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            connection.close()
            return process, port
        except OSError:
            time.sleep(0.2)
    sys.exit(f"{app_spec} did not start")


def database(workdir: Path) -> str:
    url = os.environ.get("ELEARN_BENCH_DATABASE_URL")
    if url:
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
        engine.dispose()
    else:
        url = f"sqlite:///{workdir / 'bench.db'}"
    upgrade_to_head(url)
    return url


def main() -> None:
    args = options()
    wrk = need_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="elearn-bench-"))
    url = database(workdir)
    redis = os.environ.get("ELEARN_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    env = {
        "ELEARN_ENV": "production",
        "ELEARN_SECRET_KEY": "bench-" + os.urandom(8).hex(),
        "ELEARN_DATABASE_URL": url,
        "ELEARN_CONTENT_DIR": str(ROOT),
        "ELEARN_MAIL_BACKEND": "outbox",
        "ELEARN_MAIL_OUTBOX_DIR": str(workdir / "outbox"),
        "ELEARN_SIGN_IN_RATE_LIMIT": "1000 per minute",
        "ELEARN_SIGN_IN_RATE_LIMIT_PER_ADDRESS": "1000 per minute",
        # Production refuses per-process limits with two workers: Redis, as in the README's command.
        "ELEARN_RATELIMIT_STORAGE_URI": redis,
        "ELEARN_REDIS_URL": redis,
        "ELEARN_PUBLIC_URL": "https://bench.example.org",  # production wants https links; the bench speaks http
    }
    app = create_app({"ENV": "testing", "SECRET_KEY": "seed", "DATABASE_URL": url, "INSTANCE_PATH": str(workdir)})
    print(f"Seeding {url.split('@')[-1]} ...", flush=True)
    started = time.perf_counter()
    with app.app_context():
        course = get_course()
    capacity_levels = [int(n) for n in args.capacity.split(",") if n]
    with Database.sessionmaker_for(app)() as session:
        data = seed(
            session,
            course,
            big=1000,
            completions=args.export_rows,
            pool=8000 if not args.quick else 800,
            capacity=50 if not args.quick else 10,
        )
    print(f"  seeded in {time.perf_counter() - started:.0f} s", flush=True)
    app_server, app_port = serve("elearn:create_app()", env, args.timeout, workdir / "app.log")
    bare_server, bare_port = serve("bench.bare:app", {}, args.timeout, workdir / "bare.log")
    try:
        bench = report.Bench(wrk, workdir, app_port, bare_port, args)
        bench.run_all(app, course, data, url, PASSWORD, capacity_levels)
    finally:
        for process in (app_server, bare_server):
            process.terminate()
            process.wait()
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
