"""A real learning-record store for the xAPI tests: Ralph (ralph-malph) serving its LRS API with the
file-system backend, started as a separate process on a free port, stopped and started at will."""

import copy
import os
import socket
import subprocess  # nosec B404 - starts the test LRS
import sys
import time
from pathlib import Path

import pytest
import requests

USERNAME, PASSWORD = "elearn-test", "a long LRS test secret"
RALPH = Path(sys.executable).parent / "ralph"
# Ralph 5.0.1's file-system LRS backend writes every POST with operation "create", so once its one file
# exists each later write fails (500 "bulk indexation failed"). The test LRS appends instead; that is
# the only change to it. (Our sender treats that 500 as "try again later", as it should.)
SERVE = """
import sys, uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend
FSLRSBackend.default_operation_type = BaseOperationType.APPEND
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="info")
"""


def ralph_or_skip(in_ci: bool) -> None:
    """Under CI=true a missing Ralph fails the run; elsewhere the xAPI tests are skipped."""
    from importlib.util import find_spec

    if not (RALPH.exists() and all(find_spec(name) for name in ("ralph", "uvicorn", "fastapi", "bcrypt"))):
        if in_ci:
            pytest.fail("CI=true needs ralph-malph[backend-fs,cli,lrs] (the xAPI tests use a real LRS)")
        pytest.skip("install ralph-malph[backend-fs,cli,lrs] to test xAPI against a real LRS")


def make_auth_file(path: Path) -> Path:
    """Credentials written by Ralph's own CLI (`ralph auth ... -w`), as an LRS operator would."""
    env = {
        **os.environ,
        "RALPH_AUTH_FILE": str(path),
        "RALPH_APP_DIR": str(path.parent),
        "RALPH_RUNSERVER_BACKEND": "fs",
    }
    subprocess.run(  # nosec B603 - fixed arguments
        [str(RALPH), "auth", "-u", USERNAME, "-p", PASSWORD, "-s", "statements/write", "-s", "statements/read",
         "-A", USERNAME, "https://learn.example.org", "-w"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    return path


class RalphLRS:
    def __init__(self, root: Path, auth_file: Path):
        self.root, self.auth_file = root, auth_file
        (root / "data").mkdir(parents=True, exist_ok=True)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI/"

    def start(self) -> None:
        env = {
            **os.environ,
            "RALPH_APP_DIR": str(self.root),
            "RALPH_AUTH_FILE": str(self.auth_file),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.root / "data"),
        }
        with (self.root / "ralph.log").open("ab") as log:  # the child keeps its own copy of the file
            self.process = subprocess.Popen(  # nosec B603 - fixed arguments
                [sys.executable, "-c", SERVE, str(self.port)],
                env=env, stdout=log, stderr=subprocess.STDOUT, cwd=self.root,
            )  # fmt: skip
        for _ in range(300):  # until it answers (or 30 s: it failed to start)
            if self.process.poll() is not None:
                break
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=1).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"Ralph did not start: {(self.root / 'ralph.log').read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None

    def forget_statements(self) -> None:
        """Empty the store (the file-system backend opens its files for each write and each query)."""
        for stored in (self.root / "data").iterdir():
            stored.unlink()

    def statements(self, **params) -> list[dict]:
        """Every statement the LRS holds (following its `more` links), oldest first."""
        found, url = [], f"{self.endpoint}statements"
        headers = {"X-Experience-API-Version": "1.0.3"}
        while url:
            response = requests.get(url, params=params, auth=(USERNAME, PASSWORD), headers=headers, timeout=10)
            response.raise_for_status()
            body = response.json()
            found += body["statements"]
            more = body.get("more")
            url, params = (f"http://127.0.0.1:{self.port}{more}", None) if more else (None, None)
        return sorted(found, key=lambda s: s["stored"])


def assert_valid_xapi(statement: dict) -> None:
    """Valid by Ralph's strict xAPI 1.0.3 model. Ralph types result.score.scaled as an integer, but the
    specification makes it a decimal from -1 to 1 (0.75 for 3 of 4): that one field is checked here."""
    from ralph.models.xapi.base.statements import BaseXapiStatement

    checked = copy.deepcopy(statement)
    score = checked.get("result", {}).get("score", {})
    if "scaled" in score:
        assert -1 <= score.pop("scaled") <= 1
    BaseXapiStatement.model_validate(checked)
