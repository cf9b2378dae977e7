"""Accounts: creating users, API tokens, signing in and out, demo accounts."""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from gaps.database import use_case
from gaps.domain.errors import Conflict, InvalidValue, NotFound
from gaps.domain.vocabulary import ROLES, Role
from gaps.extensions import db
from gaps.models import ApiToken, Requirement, Team, User, utcnow
from gaps.passwords import hash_password, new_secret, token_digest, verify_password
from gaps.services.audit import record_audit

SIGN_IN_REFUSED = "Enter a correct email address and password."  # one message for every failure
MINIMUM_PASSWORD_LENGTH = 12


class SignInRefused(InvalidValue):
    """The e-mail and password do not open an account (the message never says which)."""


def _normalise_email(email: str) -> str:
    return email.strip().lower()


@use_case
def create_user(email: str, role: str, password: str, *, team_name: str | None = None,
                actor: User | None = None) -> User:
    """Create an account with an argon2-hashed password."""
    email = _normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise InvalidValue(f"'{email}' is not an e-mail address", field="email")
    if role not in ROLES:
        raise InvalidValue(f"Role must be one of {', '.join(ROLES)}", field="role")
    if len(password) < MINIMUM_PASSWORD_LENGTH:
        raise InvalidValue(f"The password must have at least {MINIMUM_PASSWORD_LENGTH} characters",
                           field="password")
    team = None
    if team_name:
        team = db.session.execute(select(Team).where(Team.name == team_name)).scalar_one_or_none()
        if team is None:
            raise InvalidValue(f"There is no team named '{team_name}'", field="team")
    if role == Role.COLLECTOR and team is None:
        raise InvalidValue("A collector must belong to a team", field="team")
    if db.session.execute(select(User.id).where(User.email == email)).first():
        raise Conflict(f"An account for {email} already exists", field="email")
    user = User(email=email, role=role, team=team, password_hash=hash_password(password),
                session_token=new_secret())
    db.session.add(user)
    db.session.flush()
    record_audit(actor, "user_created", user, field="role", new=role)
    db.session.commit()
    return user


@use_case
def issue_api_token(email: str, *, actor: User | None = None) -> str:
    """Issue a new API token for an account; only its digest is kept, so show it once."""
    user = db.session.execute(
        select(User).where(User.email == _normalise_email(email))
    ).scalar_one_or_none()
    if user is None:
        raise NotFound(f"There is no account for {email}")
    token = new_secret()
    db.session.add(ApiToken(user=user, token_hash=token_digest(token)))
    record_audit(actor, "api_token_issued", user)
    db.session.commit()
    return token


@use_case
def sign_in(email: str, password: str, now: datetime | None = None) -> User:
    """Check the credentials, counting failures per account; raise `SignInRefused`."""
    now = now or utcnow()
    config = current_app.config
    email = _normalise_email(email)
    user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    locked = user is not None and user.locked_until is not None and user.locked_until > now
    valid = verify_password(user.password_hash if user else None, password)
    if user is None or locked or not valid or not user.active:
        if user is not None and not locked:
            user.failed_sign_ins += 1
            if user.failed_sign_ins >= config["GAPS_MAX_FAILED_SIGN_INS"]:
                user.locked_until = now + timedelta(seconds=config["GAPS_LOCKOUT_SECONDS"])
                user.failed_sign_ins = 0
        reason = "locked" if locked else "unknown account" if user is None else "wrong password"
        record_audit(user, "sign_in_failed", user, reason=reason, actor_name=email[:254])
        db.session.commit()
        raise SignInRefused(SIGN_IN_REFUSED)
    user.failed_sign_ins = 0
    user.locked_until = None
    record_audit(user, "sign_in", user)
    db.session.commit()
    return user


@use_case
def sign_out(user: User) -> None:
    """End every session of this user by rotating their session token."""
    user.session_token = new_secret()
    record_audit(user, "sign_out", user)
    db.session.commit()


@use_case
def record_refusal(user: User | None, path: str, method: str) -> None:
    """Keep a record that someone was refused a page or an operation."""
    record_audit(user, "refused", reason=f"{method} {path}"[:500],
                 actor_name=None if user is not None else "anonymous")
    db.session.commit()


DEMO_ACCOUNTS = (
    ("admin@example.org", Role.ADMIN),
    ("manager@example.org", Role.MANAGER),
    ("collector@example.org", Role.COLLECTOR),
    ("reviewer@example.org", Role.REVIEWER),
)


@use_case
def ensure_demo_accounts(password: str) -> list[tuple[str, str, str | None, bool]]:
    """Create one demo account per role if missing; the collector joins the busiest team."""
    busiest_team = db.session.execute(
        select(Team)
        .join(Requirement, Requirement.owner_team_id == Team.id)
        .group_by(Team.id)
        .order_by(db.func.count(Requirement.id).desc(), Team.name)
        .limit(1)
    ).scalar_one_or_none() or db.session.execute(
        select(Team).order_by(Team.name).limit(1)
    ).scalar_one_or_none()
    accounts = []
    for email, role in DEMO_ACCOUNTS:
        user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
        created = user is None
        if created:
            team = busiest_team if role == Role.COLLECTOR else None
            if role == Role.COLLECTOR and team is None:
                raise InvalidValue("Load the seed before the demo accounts: a collector needs "
                                   "a team")
            user = User(email=email, role=role, team=team, password_hash=hash_password(password),
                        session_token=new_secret())
            db.session.add(user)
            db.session.flush()
            record_audit(None, "user_created", user, field="role", new=role)
        accounts.append((email, role.value, user.team.name if user.team else None, created))
    db.session.commit()
    return accounts
