"""Digests: a person turning their daily e-mail on or off, and recording one as sent."""

from datetime import date

from sqlalchemy import select

from gaps.database import use_case
from gaps.extensions import db
from gaps.models import DigestSent, User, utcnow
from gaps.policy import authorize
from gaps.services.audit import record_audit


@use_case
def set_digest_preference(actor: User, receives: bool) -> User:
    """Turn the actor's own daily digest on or off."""
    authorize(actor, "manage_own_account")
    user = db.session.execute(select(User).where(User.id == actor.id)).scalar_one()
    if user.receives_digest != receives:
        record_audit(actor, "update", user, field="receives_digest", old=user.receives_digest,
                     new=receives)
        user.receives_digest = receives
    db.session.commit()
    return user


@use_case
def record_digest_sent(user_id: int, day: date, items: int) -> DigestSent:
    """Record that a user's digest for a day went, so that no second one goes that day."""
    user = db.session.get(User, user_id)
    sent = DigestSent(user_id=user_id, sent_on=day, sent_at=utcnow())
    db.session.add(sent)
    record_audit(None, "digest_sent", user, reason=f"{items} thing(s) due on {day.isoformat()}")
    db.session.commit()
    return sent
