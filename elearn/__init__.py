"""elearn: pre-course e-learning for restraint reduction training."""


def create_app(config: dict | None = None):
    """Build the Flask app. Opens no database connection and reads no content until needed."""
    from .app import build_app

    app = build_app(config)
    if app.config["ENV"] == "production":
        _freeze_startup_objects()
    return app


def _freeze_startup_objects() -> None:
    """Move what was built at start (the app, its modules, compiled statements) out of the garbage
    collector's sight: each full collection walked all of it, and on a board of 1,000 trainees that cost
    about a sixth of the request (in-process, side by side). A web worker builds its app once, so these
    objects live as long as the process anyway; not in tests, which build many apps in one process."""
    import gc

    gc.collect()
    gc.freeze()
