"""The audit log: who did what, when. Rows are only ever added."""

from sqlalchemy.orm import Session

from ...models import AuditEvent, User


def record(session: Session, actor: User | None, action: str, subject: str = "", **details) -> None:
    session.add(AuditEvent(actor_id=actor.id if actor else None, action=action, subject=subject[:200], details=details))
