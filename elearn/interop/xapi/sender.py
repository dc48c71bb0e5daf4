"""Draining the outbox: claim due statements in a short transaction, send them with no transaction open,
then record what the LRS said. Never runs inside a trainee's request."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import sessionmaker

from ...db import sqlite_immediate, utcnow
from . import outbox
from .client import LRSClient


@dataclass(frozen=True)
class Policy:
    batch_size: int
    hold: timedelta  # how long a claim keeps other senders off (longer than any send takes)
    retry_after: timedelta  # the first wait after a failure; it doubles with each attempt
    retry_at_most: timedelta

    def backoff(self, attempts: int) -> timedelta:
        return min(self.retry_after * 2 ** max(0, attempts - 1), self.retry_at_most)


@dataclass
class Report:
    delivered: list[str] = field(default_factory=list)  # statement ids, in the order sent
    failed: int = 0  # will be tried again
    refused: int = 0  # the LRS said they are invalid
    last_error: str | None = None


def drain(sessions: sessionmaker, client: LRSClient, policy: Policy, clock: Callable[[], datetime] = utcnow) -> Report:
    """Send every due statement, a batch at a time, until none is due or the LRS fails (then the backoff
    decides when to try again: hammering a store that is down helps nobody)."""
    report = Report()
    token = sqlite_immediate.set(True)  # claims read then write: take SQLite's lock at BEGIN
    try:
        with sessions() as session:
            while rows := outbox.claim_due(session, clock(), policy.batch_size, policy.hold):
                outcome = client.send([row.statement for row in rows])
                by_id = {row.statement_id: row for row in rows}
                now = clock()
                outbox.mark_sent(session, [by_id[i].id for i in outcome.delivered], now)
                for statement_id, why in outcome.refused.items():
                    outbox.mark_refused(session, [by_id[statement_id].id], why)
                failed = [by_id[i] for i in outcome.failed]
                if failed:
                    outbox.mark_failed(session, failed, next(iter(outcome.failed.values())), now, policy.backoff)
                session.commit()
                report.delivered += outcome.delivered
                report.refused += len(outcome.refused)
                report.failed += len(failed)
                report.last_error = next(iter({**outcome.refused, **outcome.failed}.values()), report.last_error)
                if failed:
                    break
    finally:
        sqlite_immediate.reset(token)
    return report
