"""Password and token hashing (argon2 for passwords, SHA-256 for random API tokens) and the
common-password list."""

import hashlib
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"], memory_cost=config["ARGON2_MEMORY_COST"]
    )


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches; with no hash, spend the same time and say no."""
    hasher = _hasher()
    if password_hash is None:
        # Unknown e-mail address: do the same work so timing does not reveal it.
        hasher.hash(password)
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_secret() -> str:
    """A fresh random token, for sessions and API tokens."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """The stored form of an API token."""
    return hashlib.sha256(token.encode()).hexdigest()


@cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords (the list the maintained zxcvbn package ships)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # loaded on first use: about 1 MB

    return frozenset(password.casefold() for password in FREQUENCY_LISTS["passwords"])


def new_password() -> str:
    """A generated password for an account an admin creates or resets (shown once)."""
    return secrets.token_urlsafe(15)
