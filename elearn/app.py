"""Assemble the app: config, extensions, blueprints, CLI. Called only by create_app."""

from pathlib import Path

from flask import Flask

from . import cli, jobs, lti, mail, prepared_files_cli
from .config import PROJECT_ROOT, load_config
from .db import db
from .interop import xapi
from .web import (
    access,
    assets,
    auth_session,
    content_store,
    errors,
    health,
    logs,
    metrics,
    pages,
    request_input,
    security,
    templating,
    unit_of_work,
)


def build_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(
            Path(config.get("INSTANCE_PATH")) if config and config.get("INSTANCE_PATH") else PROJECT_ROOT / "instance"
        ),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    load_config(app, config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    logs.init_app(app)  # first: every later hook, and every log line, has the request id
    request_input.init_app(app)  # then:  bounded ids for every route, control characters refused
    db.init_app(app)
    mail.init_app(app)
    jobs.init_app(app)
    content_store.init_app(app)
    security.init_app(app)
    auth_session.init_app(app)
    access.init_app(app)  # after the session check, so an expired session is signed out first
    templating.init_app(app)
    assets.init_app(app)
    errors.init_app(app)
    unit_of_work.init_app(app)

    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .auth.account import bp as account_bp
    from .auth.views import bp as auth_bp
    from .learn.views import bp as learn_bp
    from .public.views import bp as public_bp
    from .trainer import bp as trainer_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(learn_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(trainer_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(health.bp)
    metrics.init_app(app)
    pages.init_app(app)
    cli.init_app(app)
    xapi.init_app(app, content_store.get_course)
    lti.init_app(app)  # its blueprint and `flask lti` commands
    prepared_files_cli.init_app(app)
    return app
