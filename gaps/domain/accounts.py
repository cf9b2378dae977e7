"""Rules for accounts: passwords, API token scopes and lifetimes, and who may lose admin."""

from collections.abc import Collection
from datetime import datetime, timedelta
from enum import StrEnum

MINIMUM_PASSWORD_LENGTH = 12
MAXIMUM_PASSWORD_LENGTH = 200
MAXIMUM_TOKEN_DAYS = 366
# A token's last use is written at most this often: reading the API stays a read.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenScope(StrEnum):
    """What an API token may do: only read, or read and write."""

    READ = "read"
    WRITE = "write"


TOKEN_SCOPES: tuple[str, ...] = tuple(scope.value for scope in TokenScope)


class TokenState(StrEnum):
    """Whether a token still opens the API."""

    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"


def password_problem(password: str, email: str, common_passwords: Collection[str]) -> str | None:
    """Why this password may not be used for this account, or None when it may."""
    if len(password) < MINIMUM_PASSWORD_LENGTH:
        return f"The password must have at least {MINIMUM_PASSWORD_LENGTH} characters"
    if len(password) > MAXIMUM_PASSWORD_LENGTH:
        return f"The password must have at most {MAXIMUM_PASSWORD_LENGTH} characters"
    folded = password.strip().casefold()
    address = email.strip().casefold()
    local_part = address.split("@", 1)[0]
    if folded in {address, local_part} or (len(local_part) >= 4 and folded.startswith(local_part)
                                           and folded[len(local_part):].isdigit()):
        return "The password must not be your e-mail address or its first part"
    if folded in common_passwords:
        return "That password is one of the most common: choose one that is harder to guess"
    return None


def token_expiry(now: datetime, days: int | None, default_days: int) -> datetime:
    """When a token made now expires: after `days`, or the default; refuses silly lifetimes."""
    lifetime = default_days if days is None else days
    if not 1 <= lifetime <= MAXIMUM_TOKEN_DAYS:
        raise ValueError(f"A token must last between 1 and {MAXIMUM_TOKEN_DAYS} days")
    return now + timedelta(days=lifetime)


def token_state(revoked_at: datetime | None, expires_at: datetime, now: datetime) -> TokenState:
    """Whether a token is active, expired or revoked (revoked wins)."""
    if revoked_at is not None:
        return TokenState.REVOKED
    if expires_at <= now:
        return TokenState.EXPIRED
    return TokenState.ACTIVE


def scope_allows(scope: str, method: str) -> bool:
    """Whether a token of this scope may make a request with this HTTP method."""
    return scope == TokenScope.WRITE or method.upper() in READ_METHODS


def use_worth_recording(last_used_at: datetime | None, now: datetime) -> bool:
    """Whether a token's use should be written (at most once a minute)."""
    return last_used_at is None or now - last_used_at >= TOKEN_USE_RESOLUTION


def admin_change_problem(*, on_self: bool, deactivating: bool, removing_admin_role: bool,
                         target_is_active_admin: bool, active_admins: int) -> str | None:
    """Why an admin may not make this change to an account, or None when they may."""
    if on_self and deactivating:
        return "You cannot deactivate your own account: ask another admin"
    if target_is_active_admin and (deactivating or removing_admin_role) and active_admins <= 1:
        return "This is the last active admin: make another admin first"
    return None
