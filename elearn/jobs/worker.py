"""The RQ worker, with the app: each job runs inside its own app context (so its own database session)."""

import logging

from rq import SimpleWorker, Worker

from . import QUEUE_NAME, job_queue, redis_connection


class AppContextMixin:
    app = None

    def perform_job(self, job, queue):
        with self.app.app_context():
            return super().perform_job(job, queue)


class AppWorker(AppContextMixin, Worker):
    """Forks a work horse per job: a job that crashes or hangs takes only its horse down."""


class InProcessAppWorker(AppContextMixin, SimpleWorker):
    """No fork: for tests, which run the worker inside pytest."""


def run(app, burst: bool = False, worker_class=AppWorker) -> bool:
    """Work the queue until stopped (or, burst, until it is empty). Retries wait in RQ's scheduler."""
    worker = worker_class([job_queue(app)], connection=redis_connection(app), name=None)
    worker.app = app
    logging.getLogger("rq.worker").setLevel(logging.INFO)
    return worker.work(burst=burst, with_scheduler=True, logging_level="INFO")


__all__ = ["QUEUE_NAME", "AppWorker", "InProcessAppWorker", "run"]
