"""Digests' own reads: who gets one today, when each last did, snapshots taken since."""

from datetime import date, datetime

from sqlalchemy import Select, func, select

from gaps.models import DigestSent, RegisterSnapshot, User


def digest_recipients(roles: tuple[str, ...], day: date) -> Select:
    """Active accounts of these roles who want a digest and have not had one on this day,
    each with when their last digest went (None: never)."""
    sent_today = select(DigestSent.user_id).where(DigestSent.sent_on == day)
    last_sent = (select(func.max(DigestSent.sent_at)).where(DigestSent.user_id == User.id)
                 .correlate(User).scalar_subquery())
    return (select(User, last_sent.label("last_sent"))
            .where(User.active.is_(True), User.receives_digest.is_(True), User.role.in_(roles),
                   User.id.not_in(sent_today))
            .order_by(User.email))


def snapshots_taken_since(since: datetime) -> Select:
    """Register snapshots taken at or after a moment, newest first."""
    return (select(RegisterSnapshot).where(RegisterSnapshot.taken_at >= since)
            .order_by(RegisterSnapshot.taken_at.desc()))
