"""Managers of organisations: which organisations' staff each manager may see."""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import Organisation, Role, User, organisation_managers


def managed_organisation_ids(session: Session, manager: User) -> list[int]:
    query = sa.select(organisation_managers.c.organisation_id).where(organisation_managers.c.user_id == manager.id)
    return sorted(session.scalars(query))


def set_managed_organisations(session: Session, person: User, organisation_ids: list[int]) -> list[str]:
    """Replace what a person manages (nothing unless they are a manager); the organisations' names, for the log."""
    wanted = set(organisation_ids) if person.role is Role.MANAGER else set()
    session.execute(sa.delete(organisation_managers).where(organisation_managers.c.user_id == person.id))
    if wanted:
        existing = session.scalars(sa.select(Organisation.id).where(Organisation.id.in_(wanted))).all()
        session.execute(
            sa.insert(organisation_managers), [{"user_id": person.id, "organisation_id": i} for i in existing]
        )
    session.flush()
    names = session.scalars(sa.select(Organisation.name).where(Organisation.id.in_(wanted)).order_by(Organisation.name))
    return list(names)
