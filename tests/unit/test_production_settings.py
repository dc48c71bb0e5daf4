"""Production settings that protect the deployment: shared limiter storage, the proxy, the cookie."""

import gc

import pytest
from werkzeug.middleware.proxy_fix import ProxyFix

from elearn import create_app
from elearn.config import ConfigError
from elearn.domain.errors import WeakPassword
from elearn.domain.people.passwords import check_password_rules


def _production(tmp_path, **settings):
    base = {"ENV": "production", "SECRET_KEY": "x" * 40, "PUBLIC_URL": "https://learn.example.org"}
    return create_app({**base, "INSTANCE_PATH": str(tmp_path), **settings})


def test_several_workers_refuse_per_process_limiter_storage(tmp_path, monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    with pytest.raises(ConfigError, match="ELEARN_RATELIMIT_STORAGE_URI.*2 workers"):
        _production(tmp_path, WORKERS=2)
    monkeypatch.setattr("sys.argv", ["/srv/venv/bin/gunicorn", "-w", "3", "elearn:create_app()"])
    with pytest.raises(ConfigError, match="3 workers"):
        _production(tmp_path)
    monkeypatch.setattr("sys.argv", ["/srv/venv/bin/gunicorn", "--workers=1", "elearn:create_app()"])
    _production(tmp_path)  # one worker: its own memory is the whole count
    _production(tmp_path, WORKERS=4, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/2")


def test_production_session_cookie_is_host_prefixed(tmp_path):
    app = _production(tmp_path)
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session" and app.config["SESSION_COOKIE_SECURE"]
    response = app.test_client().get("/sign-in", base_url="https://learn.example.org")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=") and "Secure" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie


def test_proxy_hops_trusts_exactly_that_many_proxies(tmp_path):
    assert not isinstance(_production(tmp_path).wsgi_app, ProxyFix)  # default: not behind a proxy
    fixed = _production(tmp_path, PROXY_HOPS=1).wsgi_app
    assert isinstance(fixed, ProxyFix) and (fixed.x_for, fixed.x_proto, fixed.x_host) == (1, 1, 1)


@pytest.mark.parametrize("password", ["aaaaaaaa", "abababab", "abcabcabcabc", "abcdefghij", "98765432", "ZZZZzzzz1"])
def test_trivially_repetitive_passwords_are_refused(password):
    with pytest.raises(WeakPassword, match="too easy to guess"):
        check_password_rules(password, 8)


def test_ordinary_pass_phrases_are_accepted():
    for password in ("correct horse battery staple", "Tea at 4 with Nan", "b7#kQ9!x"):
        check_password_rules(password, 8)


def test_the_redis_client_ships_with_the_app():
    """The README's redis:// storage needs the client installed, or no worker boots."""
    import tomllib

    from ..conftest import PROJECT_ROOT

    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    assert any(d.startswith("redis") for d in project["dependencies"])
    assert "\nredis==" in (PROJECT_ROOT / "requirements.lock").read_text()


def test_a_production_app_moves_its_start_up_objects_out_of_the_collectors_sight(tmp_path):
    gc.unfreeze()
    _production(tmp_path)
    assert gc.get_freeze_count() > 0
    gc.unfreeze()
    create_app({"ENV": "testing", "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path / 't.db'}"})
    assert gc.get_freeze_count() == 0  # tests build many apps in one process: nothing frozen for ever
