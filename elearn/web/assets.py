"""Built front-end assets (npm run build): fail loudly in development if they are missing."""

from pathlib import Path


def init_app(app) -> None:
    built = Path(app.static_folder, "dist", "app.css")
    if not built.is_file() and app.config["ENV"] == "development":
        app.logger.warning("Front-end assets are missing: run `make assets` (npm ci && npm run build)")
