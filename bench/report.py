"""The benchmark's runs (wrk, interleaved with the bare endpoint) and the one table of ratios it prints."""

import http.client
import random
import re
import statistics
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sqlalchemy as sa

from bench.client import Browser
from elearn.domain.evidence.export_filters import ExportFilters
from elearn.domain.evidence.exports import export_query

RESULT = re.compile(r"RESULT (.*)")
PAGE_TARGETS = {  # ratio of the bare endpoint's throughput that issue 12 asks for
    "content page": 0.15,
    "module overview": 0.15,
    "question page": 0.2,
    "answer save": 0.15,
    "submit": 0.12,
}


class Bench:
    def __init__(self, wrk: str, workdir: Path, app_port: int, bare_port: int, args):
        self.wrk_path, self.workdir, self.app_port, self.bare_port, self.args = wrk, workdir, app_port, bare_port, args
        self.failures: list[str] = []

    # --- one wrk run ---

    def wrk(
        self,
        port: int,
        lines: list[str],
        allowed: str,
        seconds: float,
        connections: int = 8,
        offset: int = 0,
        think: bool = False,
        threads: int = 1,
        timeout: str = "30s",
        warm_up: bool = False,
    ) -> dict:
        plan = self.workdir / f"plan-{time.monotonic_ns()}.tsv"
        plan.write_text("\n".join(lines) + "\n")
        script = "bench/think.lua" if think else "bench/load.lua"
        command = [
            self.wrk_path,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            timeout,
            "-s",
            script,
            f"http://127.0.0.1:{port}",
            "--",
            str(plan),
            str(offset),
            allowed,
        ]
        output = subprocess.run(
            command, capture_output=True, text=True, check=True, cwd=Path(__file__).parent.parent
        ).stdout
        found = RESULT.search(output)
        if found is None or (" requests=0 " in found.group(0) and not warm_up):
            raise SystemExit(f"wrk measured nothing on port {port}:\n{output}")
        fields = dict(item.split("=") for item in found.group(1).split())
        result = {k: float(v) for k, v in fields.items()}
        result["rate"] = max(result["requests"], 1) / result["seconds"]
        result["failed"] = result["wrong"] + result["signed_out"] + result["errors"]
        return result

    def compare(self, name: str, lines: list[str], expect: str, offsets=None) -> dict:
        """Bare, app, bare, app...: the median ratio of throughputs over the repetitions."""
        ratios, app_runs = [], []
        seconds = self.seconds_for(lines[0])
        for rep in range(self.args.reps):
            offset = offsets[rep] if offsets else 0
            bare = self.wrk(self.bare_port, lines, "200", seconds, offset=offset)
            app = self.wrk(self.app_port, lines, expect, seconds, offset=offset)
            self.drain()
            if app["failed"] or bare["failed"]:
                self.failures.append(
                    f"{name}: {app['wrong']:.0f} wrong, {app['signed_out']:.0f} sent to sign-in, "
                    f"{app['errors']:.0f} socket errors"
                )
            ratios.append(app["rate"] / bare["rate"])
            app_runs.append((app, bare))
        return {
            "ratio": statistics.median(ratios),
            "app_rate": statistics.median(a["rate"] for a, _ in app_runs),
            "bare_rate": statistics.median(b["rate"] for _, b in app_runs),
            "p50": statistics.median(a["p50"] for a, _ in app_runs),
            "requests": max(a["requests"] for a, _ in app_runs),
        }

    def seconds_for(self, line: str) -> float:
        """Long enough for about 20 responses of a slow page (the board of 1,000), else the usual run;
        at most --max-seconds (a page of many seconds gets fewer responses, not a run of minutes)."""
        method, path, cookie, body = line.split("\t")
        if method != "GET":
            return self.args.seconds
        browser = Browser(self.app_port)
        browser.cookies.update(part.split("=", 1) for part in cookie.split("; "))
        start = time.perf_counter()
        browser.request(method, path)
        return min(max(self.args.seconds, round(10 * (time.perf_counter() - start), 1)), self.args.max_seconds)

    def drain(self) -> None:
        """Wait until both workers are idle: a sync worker still serves requests whose client (wrk, at
        the end of its run) has gone, and they would count against the next run."""
        for port in (self.app_port, self.bare_port):
            with ThreadPoolExecutor(2) as pool:
                list(pool.map(lambda p: Browser(p).request("GET", "/static/dist/app.css"), [port, port]))

    # --- the whole run ---

    def run_all(self, app, course, data, url: str, password: str, capacity_levels: list[int]) -> None:
        trainee, trainer, admin = (Browser(self.app_port) for _ in range(3))
        trainee.sign_in(data.trainee_email, password)
        trainer.sign_in(data.trainer_email, password)
        admin.sign_in(data.admin_email, password)
        module = course.published_modules[0]
        question = f"/course/attempt/{data.attempt}/question/1"
        token = trainee.csrf_token(question)
        cookie = trainee.cookie_header
        get = lambda who, path: f"GET\t{path}\t{who}\t"  # noqa: E731
        slices = _slices(data.submit_pool, self.args.reps + 1)
        submit_lines = [f"POST\t/course/attempt/{a}/check\t{cookie}\tcsrf_token={token}" for a in data.submit_pool]
        rows = {
            "content page": ([get(cookie, f"/course/{data.enrolment}/{module.id}/{module.pages[0].id}")], "200"),
            "module overview": ([get(cookie, f"/course/{data.enrolment}/{module.id}")], "200"),
            "question page": ([get(cookie, question)], "200"),
            "answer save": ([f"POST\t{question}\t{cookie}\tcsrf_token={token}&answer={data.first_choice}"], "303"),
            "submit": (submit_lines, "303"),
            "board, 30 trainees": ([get(trainer.cookie_header, f"/trainer/cohorts/{data.small_cohort}")], "200"),
            "board, 1,000 trainees": ([get(trainer.cookie_header, f"/trainer/cohorts/{data.big_cohort}")], "200"),
            "analysis, 1,000 trainees": (
                [get(trainer.cookie_header, f"/trainer/cohorts/{data.big_cohort}/analysis")],
                "200",
            ),
        }
        only = {name.strip() for name in self.args.only.split(";") if name.strip()}
        if only:
            rows = {name: row for name, row in rows.items() if name in only}
        for lines, expect in rows.values():  # both workers load the content and compile templates first
            if lines is not submit_lines:
                self.wrk(self.app_port, lines, expect, 3, connections=4, warm_up=True)
                self.drain()
        results = {}
        for name, (lines, expect) in rows.items():
            print(f"  {name} ...", flush=True)
            offsets = [s[0] for s in slices[: self.args.reps]] if lines is submit_lines else None
            results[name] = r = self.compare(name, lines, expect, offsets)
            print(
                f"    ratio {r['ratio']:.3f}: app {r['app_rate']:.1f} req/s, bare {r['bare_rate']:.0f} req/s",
                flush=True,
            )
            if lines is submit_lines and results[name]["requests"] > len(slices[0]):
                print(
                    f"    (a rep made more submits than its slice of {len(slices[0])} open attempts: the rest were replays)"
                )
        exports = self.exports(app, course, admin, url) if not only or "exports" in only else None
        capacity = (
            self.capacity(data, course, password, cookie, token, slices[-1], capacity_levels)
            if not only or "capacity" in only
            else []
        )
        _print_table(results, exports, capacity)
        if self.failures:
            print("\nResponses that were not the page they claim to be:\n  " + "\n  ".join(self.failures))
            raise SystemExit(1)

    def exports(self, app, course, admin: Browser, url: str) -> dict:
        print("  exports ...", flush=True)
        dump = _dump_command(url, course)
        out = {"rows": self.args.export_rows, "dump": [], "csv": [], "xlsx": []}
        for _ in range(self.args.export_reps):
            out["dump"].append(_timed(dump))
            for kind in ("csv", "xlsx"):
                out[kind].append(self._download(admin, f"/admin/exports/completions.{kind}"))
        out["dump"].append(_timed(dump))
        return out

    def _download(self, admin: Browser, path: str) -> dict:
        """A timed download; one cut off (by the worker timeout, say) is a failure to report, not a crash."""
        try:
            timing = admin.download(path)
        except (OSError, http.client.HTTPException) as error:
            self.failures.append(f"{path}: cut off ({type(error).__name__}), Gunicorn --timeout {self.args.timeout} s")
            return {"total": float("inf"), "first_byte": float("inf"), "first_row": None, "cut_off": True}
        print(f"    {path}: {timing['total']:.1f} s, first byte {timing['first_byte']:.2f} s", flush=True)
        return timing

    def capacity(self, data, course, password, cookie, token, pool_slice, levels) -> list[dict]:
        """Simulated trainees (think 1-2 s; read : save : submit = 5 : 3 : 1) against the same load on bare."""
        module = course.published_modules[0]
        lines, submits = [], iter(pool_slice * 10)
        for email, enrolment, attempt, choice in data.capacity:
            person = Browser(self.app_port)
            person.sign_in(email, password)
            their_token = person.csrf_token(f"/course/attempt/{attempt}/question/1")
            mine = person.cookie_header
            reads = [f"/course/{enrolment}/{module.id}/{p.id}" for p in module.pages] + [
                f"/course/{enrolment}/{module.id}"
            ]
            for _ in range(20):
                lines += [f"GET\t{random.choice(reads)}\t{mine}\t" for _ in range(5)]
                lines += [
                    f"POST\t/course/attempt/{attempt}/question/1\t{mine}\tcsrf_token={their_token}&answer={choice}"
                ] * 3
                lines.append(f"POST\t/course/attempt/{next(submits)}/check\t{cookie}\tcsrf_token={token}")
        random.Random(5).shuffle(lines)
        results = []
        for trainees in levels:
            print(f"  capacity, {trainees} simulated trainees ...", flush=True)
            run = dict(connections=trainees, think=True, threads=2, timeout="10s")
            bare = self.wrk(self.bare_port, lines, "200", self.args.capacity_seconds, **run)
            app = self.wrk(self.app_port, lines, "200,303", self.args.capacity_seconds, **run)
            self.drain()
            results.append({"trainees": trainees, "app": app, "bare": bare})
            print(f"    {app['failed']:.0f} failures, p95 {app['p95']:.0f} ms vs bare {bare['p95']:.0f} ms", flush=True)
        return results


def _slices(pool: list[int], parts: int) -> list[list[int]]:
    size = len(pool) // parts
    return [pool[i * size : (i + 1) * size] for i in range(parts)]


def _dump_command(url: str, course) -> list[str]:
    """The export's own query, run by the database's command-line client writing CSV to /dev/null."""
    engine = sa.create_engine(url)
    sql = str(
        export_query(course.published_modules, ExportFilters()).compile(engine, compile_kwargs={"literal_binds": True})
    )
    engine.dispose()
    if url.startswith("sqlite"):
        return ["sqlite3", "-csv", "-header", url.removeprefix("sqlite:///"), sql]
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    return ["psql", plain, "-q", "-c", f"\\copy ({sql}) to '/dev/null' csv header"]


def _timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _print_table(results: dict, exports: dict | None, capacity: list[dict]) -> None:
    """The table of ratios; a part left out with --only is left out here too."""
    if results:
        _print_pages(results)
    if exports:
        _print_exports(exports)
    if capacity:
        _print_capacity(capacity)


def _print_pages(results: dict) -> None:
    content = results.get("content page")
    print("\nelearn vs a bare Flask endpoint, both under gunicorn -w 2 (sync), wrk -c8, medians of interleaved runs")
    print(f"{'':28}{'ratio':>8}{'target':>22}{'app req/s':>11}{'bare req/s':>12}{'app p50 ms':>12}")
    for name, r in results.items():
        target = f">= {PAGE_TARGETS[name]}" if name in PAGE_TARGETS else ""
        if name.startswith("board") and content:
            limit = 2 if "30" in name else 10
            target = f"{content['ratio'] / r['ratio']:.1f}x page (<= {limit}x)"
        print(f"{name:28}{r['ratio']:8.3f}{target:>22}{r['app_rate']:11.1f}{r['bare_rate']:12.0f}{r['p50']:12.1f}")


def _print_exports(exports: dict) -> None:
    dump = statistics.median(exports["dump"])
    csv, xlsx = (min(exports[k], key=lambda d: d["total"]) for k in ("csv", "xlsx"))
    rows = f"{exports['rows'] // 1000}k"
    print(
        f"\nExports of {rows} completion rows; the floor is the same query dumped by the database's CLI: {dump:.1f} s"
    )
    print(
        f"  CSV  {csv['total']:6.1f} s = {csv['total'] / dump:5.1f}x the dump (target <= 4x); "
        f"first byte {csv['first_byte']:.2f} s, first data row {csv['first_row'] or float('inf'):.2f} s"
    )
    print(
        f"  XLSX {xlsx['total']:6.1f} s = {xlsx['total'] / dump:5.1f}x the dump (target <= 15x); "
        f"first byte {xlsx['first_byte']:.2f} s (target <= 1 s)"
    )


def _print_capacity(capacity: list[dict]) -> None:
    print("\nCapacity: simulated trainees (think 1-2 s; read : save : submit = 5 : 3 : 1), wrk timeout 10 s")
    for c in capacity:
        app, bare = c["app"], c["bare"]
        print(
            f"  {c['trainees']:4} trainees: {app['requests']:6.0f} requests, {app['failed']:4.0f} failures "
            f"({app['errors']:.0f} timeouts/socket), p95 {app['p95']:7.1f} ms vs bare {bare['p95']:6.1f} ms "
            f"({app['p95'] / max(bare['p95'], 0.1):.1f}x)"
        )
