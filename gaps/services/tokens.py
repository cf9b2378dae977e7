"""API tokens: issuing (shown once, kept only as a digest), revoking, and noting their use."""

from datetime import datetime

from flask import current_app
from sqlalchemy import select, update

from gaps.database import use_case
from gaps.domain.accounts import TOKEN_SCOPES, TokenScope, token_expiry
from gaps.domain.errors import InvalidValue, NotFound
from gaps.extensions import db
from gaps.models import ApiToken, User, utcnow
from gaps.passwords import new_secret, token_digest
from gaps.policy import can
from gaps.services.accounts import account_by_email, reauthenticate
from gaps.services.audit import record_audit

UNNAMED = "unnamed"
TOKEN_NAME_LENGTH = 100


def _issue(owner: User, name: str, scope: str, expires_days: int | None,
           actor: User | None) -> tuple[ApiToken, str]:
    if scope not in TOKEN_SCOPES:
        raise InvalidValue(f"Scope must be one of {', '.join(TOKEN_SCOPES)}", field="scope")
    name = " ".join(name.split())[:TOKEN_NAME_LENGTH] or UNNAMED
    now = utcnow()
    try:
        expires_at = token_expiry(now, expires_days, current_app.config["GAPS_TOKEN_DAYS"])
    except ValueError as error:
        raise InvalidValue(str(error), field="expires_days") from error
    secret = new_secret()
    token = ApiToken(user=owner, name=name, scope=scope, token_hash=token_digest(secret),
                     created_at=now, expires_at=expires_at)
    db.session.add(token)
    db.session.flush()
    record_audit(actor, "api_token_issued", owner, field="scope", new=scope,
                 reason=f"token {token.id} “{name}”, expires {expires_at:%Y-%m-%d}")
    return token, secret


@use_case
def issue_api_token(email: str, *, name: str = "", scope: str = TokenScope.READ,
                    expires_days: int | None = None, actor: User | None = None) -> str:
    """Issue a token from the command line; only its digest is kept, so show it once."""
    owner = account_by_email(email)
    _, secret = _issue(owner, name, scope, expires_days, actor)
    db.session.commit()
    return secret


def _owner_for(actor: User, owner_id: int) -> User:
    owner = db.session.get(User, owner_id)
    if owner is None or (owner.id != actor.id and not can(actor, "manage_users")):
        raise NotFound("There is no such account")
    return owner


@use_case
def create_api_token(actor: User, owner_id: int, *, name: str, scope: str,
                     expires_days: int | None, current_password: str) -> tuple[ApiToken, str]:
    """Someone makes a token for themselves (or an admin for anyone), after giving their
    password again; the secret is returned to be shown once."""
    owner = _owner_for(actor, owner_id)
    reauthenticate(db.session.get(User, actor.id), current_password)
    token, secret = _issue(owner, name, scope, expires_days, actor)
    db.session.commit()
    return token, secret


@use_case
def revoke_api_token(actor: User, token_id: int) -> ApiToken:
    """Revoke one token: its owner may, and admins may revoke anyone's."""
    token = db.session.get(ApiToken, token_id)
    if token is None or (token.user_id != actor.id and not can(actor, "manage_users")):
        raise NotFound("There is no such token")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record_audit(actor, "api_token_revoked", token.user,
                     reason=f"token {token.id} “{token.name}”")
    db.session.commit()
    return token


@use_case
def revoke_api_tokens(email: str, *, token_id: int | None = None,
                      actor: User | None = None) -> int:
    """Revoke an account's tokens (or only one of them) from the command line; how many."""
    owner = account_by_email(email)
    chosen = update(ApiToken).where(ApiToken.user_id == owner.id, ApiToken.revoked_at.is_(None))
    if token_id is not None:
        if db.session.execute(select(ApiToken.id).where(
                ApiToken.id == token_id, ApiToken.user_id == owner.id)).first() is None:
            raise NotFound(f"{owner.email} has no token {token_id}")
        chosen = chosen.where(ApiToken.id == token_id)
    revoked = db.session.execute(chosen.values(revoked_at=utcnow())).rowcount
    if revoked:
        record_audit(actor, "api_token_revoked", owner,
                     reason=f"token {token_id}" if token_id else f"{revoked} token(s)")
    db.session.commit()
    return revoked


@use_case
def record_token_use(token_id: int, now: datetime) -> None:
    """Note when a token was last used (the caller writes it at most once a minute)."""
    db.session.execute(update(ApiToken).where(ApiToken.id == token_id)
                       .values(last_used_at=now))
    db.session.commit()
