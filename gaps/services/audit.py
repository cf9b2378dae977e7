"""The audit trail: every change to intelligence content and every security event, appended."""

from typing import Any

from sqlalchemy import select

from gaps.domain.changes import FieldChange, as_text
from gaps.domain.dates import uk_datetime
from gaps.domain.errors import StaleVersion
from gaps.extensions import db
from gaps.models import AuditEvent, User, utcnow
from gaps.observability import log_security_event

SYSTEM_ACTOR = "system"
ENTITY_REF_LENGTH = 60  # the column's size: a long e-mail address is cut, never refused


def record_audit(actor: User | None, action: str, entity: Any = None, *, field: str | None = None,
                 old: Any = None, new: Any = None, reason: str | None = None,
                 actor_name: str | None = None) -> AuditEvent:
    """Add one audit event to the session; the use case's commit writes it."""
    event = AuditEvent(
        at=utcnow(),
        user_id=actor.id if actor is not None else None,
        actor=actor_name or (actor.email if actor is not None else SYSTEM_ACTOR),
        action=action,
        entity_type=entity.__tablename__ if entity is not None else None,
        entity_id=entity.id if entity is not None else None,
        entity_ref=_entity_ref(entity),
        field=field,
        old=as_text(old),
        new=as_text(new),
        reason=reason,
    )
    db.session.add(event)
    # What was typed into the sign-in form for an unknown account stays out of the logs: it
    # may be a mistyped password.
    logged_actor = actor.email if actor is not None else (
        None if action == "sign_in_failed" else event.actor)
    log_security_event(action, logged_actor, reason, event.entity_ref)
    return event


def record_changes(actor: User, entity: Any, changes: list[FieldChange],
                   action: str = "update", reason: str | None = None) -> None:
    """One audit event per changed field, with its old and new value."""
    for change in changes:
        record_audit(actor, action, entity, field=change.field, old=change.old, new=change.new,
                     reason=reason)


def check_version(entity: Any, version: int | None, what: str) -> None:
    """Refuse a save made from an old copy, saying who changed it and when."""
    if version is None or version == entity.version:
        return
    last = db.session.execute(
        select(AuditEvent).where(AuditEvent.entity_type == entity.__tablename__,
                                 AuditEvent.entity_id == entity.id)
        .order_by(AuditEvent.id.desc()).limit(1)
    ).scalar_one_or_none()
    who = f" by {last.actor} on {uk_datetime(last.at)}" if last is not None else ""
    raise StaleVersion(f"{what} was changed{who} after you opened it (you had version "
                       f"{version}; it is now at version {entity.version}). Nothing was saved: "
                       "look at the changes and try again.", current_version=entity.version)


def _entity_ref(entity: Any) -> str | None:
    if entity is None:
        return None
    for attribute in ("ref", "email", "name", "reference"):
        value = getattr(entity, attribute, None)
        if value:
            return str(value)[:ENTITY_REF_LENGTH]
    if getattr(entity, "__tablename__", None) == "key_judgement":
        return f"KJ{entity.number}"
    return None
