"""House rules a test can see: domain/ and content/ never import Flask; importing is side-effect free."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "elearn"


def test_domain_and_content_do_not_import_flask():
    offenders = []
    for folder in ("domain", "content"):
        for path in (PACKAGE / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                )
                offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0].startswith("flask")]
    assert offenders == []


def test_importing_the_package_opens_nothing(tmp_path):
    code = "import elearn, sys; print('elearn.app' in sys.modules, 'sqlalchemy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert out.stdout.split() == ["False", "False"]


def test_production_refuses_a_missing_or_default_secret_key_or_a_plain_http_public_url(tmp_path):
    import pytest

    from elearn import create_app
    from elearn.config import DEV_SECRET_KEY, ConfigError

    for key in (None, DEV_SECRET_KEY):
        with pytest.raises(ConfigError, match="SECRET_KEY"):
            create_app({"ENV": "production", "SECRET_KEY": key, "INSTANCE_PATH": str(tmp_path)})
    production = {"ENV": "production", "SECRET_KEY": "x" * 40, "INSTANCE_PATH": str(tmp_path)}
    for url in (None, "http://127.0.0.1:5000", "http://learn.example.org"):
        with pytest.raises(ConfigError, match="PUBLIC_URL"):
            create_app({**production, **({"PUBLIC_URL": url} if url else {})})
    app = create_app({**production, "PUBLIC_URL": "https://learn.example.org"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
