"""The container image installs requirements-runtime.lock; CI tests with requirements.lock. Both must pin
the same version of every package they share, or the image would run code CI never tested."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([a-z0-9][a-z0-9._-]*)==([^\s\\;]+)", re.MULTILINE)


def _pins(name: str) -> dict[str, str]:
    return dict(PIN.findall((ROOT / name).read_text(encoding="utf-8")))


def test_the_image_runs_the_versions_ci_tested():
    everything, runtime = _pins("requirements.lock"), _pins("requirements-runtime.lock")
    assert {"flask", "sqlalchemy", "gunicorn", "rq"} <= runtime.keys()
    assert {name: version for name, version in runtime.items() if everything.get(name) != version} == {}
    assert "pytest" not in runtime and "playwright" not in runtime  # test tools stay out of the image
