"""House rules a test can see: layers import only downwards; importing is side-effect free."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "elearn"


# Dependencies point one way: web and blueprints -> domain -> models, content. Each layer may not import these.
FORBIDDEN = {
    "domain": {
        "flask",
        "flask_login",
        "flask_wtf",
        "werkzeug",
        "elearn.web",
        "elearn.auth",
        "elearn.learn",
        "elearn.trainer",
        "elearn.admin",
        "elearn.public",
        "elearn.lti",
        "pylti1p3",
        "elearn.mail",
        "elearn.renderers",
        "elearn.demo",
    },
    "content": {"flask", "sqlalchemy", "elearn.models", "elearn.domain", "elearn.web", "elearn.db"},
    "models": {"flask", "elearn.domain", "elearn.web", "elearn.auth", "elearn.learn", "elearn.trainer", "elearn.admin"},
    "renderers": {"flask", "elearn.web", "elearn.auth", "elearn.learn", "elearn.trainer", "elearn.admin"},
    # Told about learning by domain events; never reaches into the web layer or a blueprint.
    "interop/xapi": {"elearn.web", "elearn.auth", "elearn.learn", "elearn.trainer", "elearn.admin", "elearn.public"},
}


def _imports(path: Path) -> list[str]:
    """Absolute module names a file imports (relative imports resolved against its package)."""
    package = ["elearn", *path.relative_to(PACKAGE).parent.parts]
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            found += [module] + [f"{module}.{a.name}" for a in node.names]
    return found


def test_layers_import_only_downwards():
    offenders = []
    for layer, banned in FORBIDDEN.items():
        for path in (PACKAGE / layer).rglob("*.py"):
            offenders += [
                f"{path.relative_to(PACKAGE)} imports {name}"
                for name in _imports(path)
                if any(name == b or name.startswith(b + ".") for b in banned)
            ]
    assert offenders == []


def test_the_layer_check_sees_relative_imports():
    # A guard on the guard: the resolver must map `from ...web import x` in domain/learning to elearn.web.
    probe = PACKAGE / "domain" / "learning" / "quiz.py"
    assert "elearn.models" in _imports(probe) and "elearn.content" in _imports(probe)


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
