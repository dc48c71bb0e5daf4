"""The production smoke journey over real HTTP (run by .ci/production-smoke against Gunicorn).

invite by CSV -> email arrives -> accept -> read -> fail -> pass -> certificate -> trainer board ->
admin export. On the way it kills the job worker (a queued email waits, then goes when a worker is
back) and one Gunicorn worker (every answer it acknowledged is still there: the quiz passes).
Usage: smoke_journey.py BASE_URL SMTP_PORT GUNICORN_PID ADMIN_EMAIL TRAINER_EMAIL PASSWORD
"""

import html
import http.client
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from email import message_from_bytes
from email.policy import default
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from aiosmtpd.controller import Controller

from elearn.content import load_course

ROOT = Path(__file__).resolve().parent.parent
COURSE = load_course(ROOT)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def step(text: str) -> None:
    print(f"-- {text}", flush=True)


class Sink:
    """A local SMTP server: the worker delivers here."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 OK"

    def wait_for(self, to: str, subject_start: str, seconds: float = 120):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for message in self.messages:
                if to in message["To"] and message["Subject"].startswith(subject_start):
                    return message
            time.sleep(0.2)
        raise AssertionError(f"no email {subject_start!r} to {to} within {seconds}s")


class Browser:
    """http.client with a cookie jar that ignores Secure (the proxy terminates TLS; we talk plain HTTP
    and say X-Forwarded-Proto: https, as nginx does)."""

    def __init__(self, base: str):
        self.netloc = urlsplit(base).netloc
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str | None = None):
        connection = http.client.HTTPConnection(self.netloc, timeout=60)
        headers = {
            "Host": self.netloc,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "203.0.113.7",
            "X-Request-ID": f"smoke-{uuid.uuid4().hex[:12]}",
            "Referer": f"https://{self.netloc}{path}",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, dict(response.getheaders()), data

    def get(self, path: str, expect: int = 200) -> str:
        status, headers, data = self.request("GET", path)
        assert status == expect, f"GET {path}: {status}"
        return data.decode() if headers.get("Content-Type", "").startswith("text/") else data

    def post(self, path: str, fields: list[tuple[str, str]], token_from: str | None = None, expect=(302, 303)):
        token = CSRF.search(self.get(token_from or path)).group(1)
        body = urlencode([("csrf_token", token), *fields]).encode()
        status, headers, data = self.request("POST", path, body, "application/x-www-form-urlencoded")
        assert status in expect, f"POST {path}: {status}\n{data.decode()[:3000]}"
        return headers.get("Location", "")

    def upload(self, path: str, token_from: str, filename: str, content: bytes) -> str:
        token = CSRF.search(self.get(token_from)).group(1)
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                "Content-Type: text/csv\r\n\r\n"
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        status, headers, data = self.request("POST", path, body, f"multipart/form-data; boundary={boundary}")
        assert status == 303, f"upload {path}: {status}\n{data.decode()[:3000]}"
        return headers["Location"]

    def sign_in(self, email: str, password: str) -> None:
        self.post("/sign-in", [("email", email), ("password", password)])


def start_job_worker() -> subprocess.Popen:
    """`flask --app elearn jobs worker`, as the elearn-worker service runs it; its log goes to SMOKE_WORKER_LOG."""
    flask = str(Path(sys.executable).with_name("flask"))
    log = open(os.environ.get("SMOKE_WORKER_LOG", os.devnull), "ab")  # noqa: SIM115 - the child keeps it
    # Its own process group, like a systemd unit's cgroup: RQ forks a scheduler that shares its Redis
    # connection, so killing only the main process would leave a dead worker holding a blocked dequeue.
    return subprocess.Popen(
        [flask, "--app", "elearn", "jobs", "worker"], cwd=ROOT, stdout=log, stderr=log, start_new_session=True
    )


def stop(worker: subprocess.Popen, sig=signal.SIGTERM) -> None:
    """Signal the worker's whole process group, as systemd does when it stops or kills a unit."""
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
        worker.wait(60)


def answer_quiz(trainee: Browser, start: str, right: bool) -> tuple[int, int]:
    """Answer every question from the quiz's first page; returns (attempt id, acknowledged saves)."""
    attempt_id = int(re.search(r"/attempt/(\d+)/", start).group(1))
    path, saved = urlsplit(start).path, 0
    while "/question/" in path:
        page = html.unescape(trainee.get(path))
        question = next(q for m in COURSE.modules for q in m.quiz.questions if q.prompt in page)
        correct = sorted(question.correct_option_ids)
        wrong = [next(o.id for o in question.options if not o.is_correct)]
        path = urlsplit(trainee.post(path, [("answer", c) for c in (correct if right else wrong)])).path
        saved += 1
    return attempt_id, saved


def main(base, smtp_port, gunicorn_pid, admin_email, trainer_email, password) -> None:
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=int(smtp_port))
    controller.start()
    job_worker = start_job_worker()
    try:
        journey(base, sink, int(gunicorn_pid), admin_email, trainer_email, password, job_worker)
    finally:
        controller.stop()
        stop(job_worker)


def journey(base, sink, gunicorn_pid, admin_email, trainer_email, password, job_worker) -> None:
    step("readiness: database and Redis")
    admin = Browser(base)
    status, headers, data = admin.request("GET", "/health/ready")
    assert status == 200, data
    hsts = headers.get("Strict-Transport-Security")
    print(f"   HSTS behind the proxy: {hsts or 'absent'}")
    if os.environ.get("SMOKE_REQUIRE_HSTS") == "1":
        assert hsts, "X-Forwarded-Proto: https did not make the app see HTTPS (ProxyFix)"

    step("admin signs in, creates a cohort, names its trainer, opens it")
    admin.sign_in(admin_email, password)
    starts = date.today() + timedelta(days=12)
    cohort_url = admin.post(
        "/admin/cohorts/new",
        [
            ("title", "Smoke ward course"),
            ("course_type", "initial"),
            ("organisation_id", ""),
            ("venue", "Room 1"),
            ("address", "1 High St"),
            *[("starts_on", str(v)) for v in (starts.day, starts.month, starts.year)],
            ("days", "1"),
            ("start_time", "09:30"),
            ("end_time", "16:30"),
            ("capacity", "20"),
            *[("deadline_on", "") for _ in range(3)],
        ],
    )
    cohort_path = urlsplit(cohort_url).path
    cohort_id = int(cohort_path.rsplit("/", 1)[1])
    trainer_id = re.search(r'name="trainers"[^>]*value="(\d+)"', admin.get(cohort_path)).group(1)
    admin.post(f"{cohort_path}/trainers", [("trainers", trainer_id)], token_from=cohort_path)
    admin.post(f"{cohort_path}/state", [("state", "open")], token_from=cohort_path)
    assert "nothing waits in a queue" not in admin.get("/admin/jobs")  # the queue is real, not inline

    step("the job worker dies; an invitation is queued meanwhile, and waits")
    stop(job_worker, signal.SIGKILL)
    trainee_email = f"smoke-{uuid.uuid4().hex[:8]}@example.org"
    csv = f"full name,email,job title,organisation\nSam Smoke,{trainee_email},Support worker,\n".encode()
    admin.upload(f"{cohort_path}/upload", cohort_path, "people.csv", csv)
    time.sleep(3)
    assert not sink.messages, "an email was sent with no worker running"
    step("a new job worker sends it")
    replacement = start_job_worker()
    try:
        invitation = sink.wait_for(trainee_email, "Your pre-course learning")
        link = re.search(r"https://\S+(/invitation/\S+)", invitation.get_body(("plain",)).get_content()).group(1)

        step("the trainee accepts and reads")
        trainee = Browser(base)
        status, headers, _ = trainee.request("GET", link)  # the token moves into the session, off the URL
        assert status == 303, f"GET {link}: {status}"
        link = urlsplit(headers["Location"]).path
        trainee.post(link, [("password", password), ("confirm", password)])
        course_path = urlsplit(trainee.request("GET", "/course/")[1]["Location"]).path
        enrolment_id = int(course_path.rstrip("/").rsplit("/", 1)[1])
        for module in COURSE.modules:
            if module.is_draft:
                continue
            trainee.get(f"{course_path}/{module.id}/{module.pages[0].id}")
            start = trainee.post(f"{course_path}/{module.id}/quiz", [], token_from=f"{course_path}/{module.id}")
            if module is COURSE.modules[0]:
                step(f"{module.id}: fails first")
                attempt_id, _ = answer_quiz(trainee, start, right=False)
                trainee.post(f"/course/attempt/{attempt_id}/check", [])
                assert "You did not pass" in trainee.get(f"/course/attempt/{attempt_id}/result")
                for page in module.pages:  # the retake opens once the missed sections are read again
                    trainee.get(f"{course_path}/{module.id}/{page.id}")
                start = trainee.post(f"{course_path}/{module.id}/quiz", [], token_from=f"{course_path}/{module.id}")
                attempt_id, saved = answer_quiz(trainee, start, right=True)
                step(f"{module.id}: {saved} answers acknowledged; a Gunicorn worker is killed (SIGKILL)")
                kill_one_gunicorn_worker(gunicorn_pid)
            else:
                attempt_id, saved = answer_quiz(trainee, start, right=True)
            trainee.post(f"/course/attempt/{attempt_id}/check", [])
            assert "You passed" in trainee.get(f"/course/attempt/{attempt_id}/result"), module.id
            print(f"   {module.id}: passed ({saved} answers)")

        step("certificate and completion email")
        pdf = trainee.get(f"/course/{enrolment_id}/certificate.pdf")
        assert pdf[:4] == b"%PDF"
        sink.wait_for(trainee_email, "You have finished")
    finally:
        stop(replacement)

    step("trainer board")
    trainer = Browser(base)
    trainer.sign_in(trainer_email, password)
    assert "Sam Smoke" in trainer.get(f"/trainer/cohorts/{cohort_id}")

    step("admin export")
    export = admin.get("/admin/exports/completions.csv")
    assert trainee_email in export, export[:500]
    status, _, metrics = admin.request("GET", "/metrics")
    assert status == 200 and b'endpoint="learn.question"' in metrics

    step("each email sent once")  # a job retried after it had sent (e.g. a worker unsure it finished) sends twice
    sent = [(message["To"], message["Subject"]) for message in sink.messages]
    assert len(sent) == len(set(sent)), f"an email went more than once: {sorted(sent)}"
    print(f"   {len(sent)} emails, each once")
    print("Smoke journey passed.")


def kill_one_gunicorn_worker(master_pid: int) -> None:
    children = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True).stdout.split()
    assert len(children) >= 2, f"expected several Gunicorn workers, found {children}"
    os.kill(int(children[0]), signal.SIGKILL)


if __name__ == "__main__":
    main(*sys.argv[1:])
