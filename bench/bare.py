"""The floor: a bare Flask endpoint, served by the same Gunicorn command as the app (GET and POST)."""

from flask import Flask

app = Flask(__name__)


@app.route("/", defaults={"path": ""}, methods=["GET", "POST"])
@app.route("/<path:path>", methods=["GET", "POST"])
def hello(path):
    return "ok"
