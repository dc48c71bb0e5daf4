"""Gunicorn settings for elearn (docs/deploy.md): `gunicorn -c deploy/gunicorn.conf.py 'elearn:create_app()'`.

Sync workers, one per core unless WEB_CONCURRENCY says otherwise (Gunicorn reads it itself).
Requests are logged by the app (JSON, with the request id), so Gunicorn's access log is off and its
own messages are JSON too. Prometheus counts from every worker are added up through
PROMETHEUS_MULTIPROC_DIR (set here); a dead worker's files are marked so its gauges drop out.
"""

import multiprocessing
import os

# Web processes only (not cron or the job worker): where every worker's Prometheus counts are added up.
# systemd's RuntimeDirectory=elearn sets RUNTIME_DIRECTORY=/run/elearn.
os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", os.path.join(os.environ.get("RUNTIME_DIRECTORY", "/tmp"), "elearn-metrics")
)

bind = os.environ.get("ELEARN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "sync"
timeout = 60  # the largest export streams; nothing else takes a second
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then; jitter so they do not all restart together
max_requests_jitter = 200
accesslog = None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        }
    },
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    # The app puts its own JSON handler on the root logger (elearn/web/logs.py).
    "root": {"level": "INFO", "handlers": []},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
    },
}


def on_starting(server):
    """Start each run with an empty metrics folder: old files would add stale counts."""
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        if name.endswith(".db"):
            os.remove(os.path.join(folder, name))


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
