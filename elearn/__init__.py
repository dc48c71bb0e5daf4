"""elearn: pre-course e-learning for restraint reduction training."""


def create_app(config: dict | None = None):
    """Build the Flask app. Opens no database connection and reads no content until needed."""
    from .app import build_app

    return build_app(config)
