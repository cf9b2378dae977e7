"""Accounts: creating and changing them, passwords, signing in and out, demo accounts."""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update

from gaps.database import use_case
from gaps.domain.accounts import admin_change_problem, password_problem
from gaps.domain.errors import Conflict, InvalidValue, NotFound
from gaps.domain.vocabulary import ROLES, Role
from gaps.extensions import db
from gaps.models import ApiToken, Requirement, Team, User, utcnow
from gaps.passwords import (
    common_passwords,
    hash_password,
    new_password,
    new_secret,
    verify_password,
)
from gaps.policy import authorize
from gaps.services.audit import record_audit

SIGN_IN_REFUSED = "Enter a correct email address and password."  # one message for every failure
WRONG_CURRENT_PASSWORD = "Your current password is not right"  # noqa: S105 - a message


class SignInRefused(InvalidValue):
    """The e-mail and password do not open an account (the message never says which)."""


def _normalise_email(email: str) -> str:
    return email.strip().lower()


def check_password_rules(password: str, email: str, field: str = "password") -> None:
    """Refuse a password that is short, the e-mail address, or one of the most common."""
    problem = password_problem(password, email, common_passwords())
    if problem:
        raise InvalidValue(problem, field=field)


def _account(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("There is no such account")
    return user


def account_by_email(email: str) -> User:
    """The account with this e-mail address (any case), or `NotFound`."""
    user = db.session.execute(
        select(User).where(User.email == _normalise_email(email))).scalar_one_or_none()
    if user is None:
        raise NotFound(f"There is no account for {email}")
    return user


def _team(team_id: int | None, team_name: str | None = None) -> Team | None:
    if team_id is None and not team_name:
        return None
    team = db.session.get(Team, team_id) if team_id is not None else db.session.execute(
        select(Team).where(Team.name == team_name)).scalar_one_or_none()
    if team is None:
        raise InvalidValue(f"There is no team named '{team_name}'" if team_name
                           else "There is no such team", field="team")
    return team


def _count_failure(user: User, now: datetime, *, end_sessions: bool = False) -> None:
    config = current_app.config
    user.failed_sign_ins += 1
    if user.failed_sign_ins >= config["GAPS_MAX_FAILED_SIGN_INS"]:
        user.locked_until = now + timedelta(seconds=config["GAPS_LOCKOUT_SECONDS"])
        user.failed_sign_ins = 0
        if end_sessions:
            user.session_token = new_secret()


def reauthenticate(user: User, password: str | None) -> None:
    """Ask for the current password again before a sensitive change (ASVS 3.7.1).

    A wrong one is recorded and committed before refusing, and counts toward the lock-out.
    """
    if verify_password(user.password_hash, password or ""):
        return
    # A signed-in session guessing its own password is signed out when the account locks.
    _count_failure(user, utcnow(), end_sessions=True)
    record_audit(user, "reauthentication_failed", user)
    db.session.commit()
    raise InvalidValue(WRONG_CURRENT_PASSWORD, field="current_password")


def _new_account(email: str, name: str, role: str, team: Team | None, password: str,
                 actor: User | None) -> User:
    email = _normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise InvalidValue(f"'{email}' is not an e-mail address", field="email")
    if role not in ROLES:
        raise InvalidValue(f"Role must be one of {', '.join(ROLES)}", field="role")
    if role == Role.COLLECTOR and team is None:
        raise InvalidValue("A collector must belong to a team", field="team")
    check_password_rules(password, email)
    if db.session.execute(select(User.id).where(User.email == email)).first():
        raise Conflict(f"An account for {email} already exists", field="email")
    user = User(email=email, name=name.strip(), role=role, team=team,
                password_hash=hash_password(password), session_token=new_secret())
    db.session.add(user)
    db.session.flush()
    record_audit(actor, "user_created", user, field="role", new=role)
    return user


@use_case
def create_user(email: str, role: str, password: str, *, team_name: str | None = None,
                actor: User | None = None) -> User:
    """Create an account from the command line, with an argon2-hashed password."""
    user = _new_account(email, "", role, _team(None, team_name), password, actor)
    db.session.commit()
    return user


@use_case
def create_account(actor: User, *, email: str, name: str, role: str, team_id: int | None,
                   password: str | None, current_password: str) -> tuple[User, str | None]:
    """An admin creates an account; with no password given one is generated (and returned
    to be shown once). The admin knows the first password, so the new user must change it
    at first sign-in."""
    authorize(actor, "manage_users")
    reauthenticate(actor, current_password)
    generated = None if password else new_password()
    user = _new_account(email, name, role, _team(team_id), password or generated, actor)
    user.must_change_password = True
    db.session.commit()
    return user, generated


def _active_admins() -> int:
    return db.session.execute(select(func.count(User.id)).where(
        User.role == Role.ADMIN, User.active.is_(True))).scalar_one()


def _refuse_admin_change(actor: User, user: User, *, deactivating: bool = False,
                         new_role: str | None = None) -> None:
    problem = admin_change_problem(
        on_self=actor.id == user.id, deactivating=deactivating,
        removing_admin_role=new_role is not None and new_role != Role.ADMIN,
        target_is_active_admin=user.role == Role.ADMIN and user.active,
        active_admins=_active_admins())
    if problem:
        raise InvalidValue(problem, field="role" if new_role else None)


@use_case
def change_role_and_team(actor: User, user_id: int, *, role: str, team_id: int | None,
                         current_password: str) -> User:
    """An admin changes someone's role and team (asking for the admin's password again)."""
    authorize(actor, "manage_users")
    user = _account(user_id)
    reauthenticate(actor, current_password)
    if role not in ROLES:
        raise InvalidValue(f"Role must be one of {', '.join(ROLES)}", field="role")
    team = _team(team_id)
    if role == Role.COLLECTOR and team is None:
        raise InvalidValue("A collector must belong to a team", field="team")
    _refuse_admin_change(actor, user, new_role=role)
    if user.role != role:
        record_audit(actor, "role_changed", user, field="role", old=user.role, new=role)
        user.role = role
    if user.team_id != (team.id if team else None):
        record_audit(actor, "team_changed", user, field="team",
                     old=user.team.name if user.team else None, new=team.name if team else None)
        user.team = team
    db.session.commit()
    return user


@use_case
def set_account_active(actor: User, user_id: int, active: bool) -> User:
    """An admin deactivates an account (its sessions end, its tokens stop) or reactivates it."""
    authorize(actor, "manage_users")
    user = _account(user_id)
    if user.active == active:
        return user
    if not active:
        _refuse_admin_change(actor, user, deactivating=True)
        user.session_token = new_secret()
    user.active = active
    record_audit(actor, "user_reactivated" if active else "user_deactivated", user,
                 field="active", old=not active, new=active)
    db.session.commit()
    return user


@use_case
def reset_password(actor: User, user_id: int, *, current_password: str) -> str:
    """An admin gives someone a new generated password (returned, to be shown once); their
    sessions end and they must change it when they next sign in."""
    authorize(actor, "manage_users")
    user = _account(user_id)
    reauthenticate(actor, current_password)
    password = new_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.session_token = new_secret()
    user.failed_sign_ins = 0
    user.locked_until = None
    record_audit(actor, "password_reset", user)
    db.session.commit()
    return password


def _revoke_all_tokens(user: User, now: datetime) -> int:
    return db.session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)).rowcount


@use_case
def change_own_password(user: User, *, current_password: str, new: str,
                        revoke_tokens: bool = False) -> User:
    """Someone changes their own password: the current one is required; every other session
    ends (the caller signs this one in again), and optionally every API token is revoked."""
    user = _account(user.id)
    reauthenticate(user, current_password)
    check_password_rules(new, user.email, field="new_password")
    if verify_password(user.password_hash, new):
        raise InvalidValue("The new password must differ from the current one",
                           field="new_password")
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.session_token = new_secret()
    revoked = _revoke_all_tokens(user, utcnow()) if revoke_tokens else 0
    record_audit(user, "password_changed", user,
                 reason=f"{revoked} API token(s) revoked" if revoke_tokens else None)
    db.session.commit()
    return user


@use_case
def set_password(email: str, password: str) -> User:
    """Set an account's password from the command line; its sessions end."""
    user = account_by_email(email)
    check_password_rules(password, user.email)
    user.password_hash = hash_password(password)
    user.must_change_password = False
    user.session_token = new_secret()
    user.failed_sign_ins = 0
    user.locked_until = None
    record_audit(None, "password_set", user, reason="command line")
    db.session.commit()
    return user


@use_case
def sign_in(email: str, password: str, now: datetime | None = None) -> User:
    """Check the credentials, counting failures per account; raise `SignInRefused`."""
    now = now or utcnow()
    email = _normalise_email(email)
    user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    locked = user is not None and user.locked_until is not None and user.locked_until > now
    valid = verify_password(user.password_hash if user else None, password)
    if user is None or locked or not valid or not user.active:
        if user is not None and not locked:
            _count_failure(user, now)
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
