"""Account rules without an app: passwords, token scopes and lifetimes, the last admin."""

from datetime import UTC, datetime, timedelta

import pytest

from gaps.domain.accounts import (
    TokenState,
    admin_change_problem,
    password_problem,
    scope_allows,
    token_expiry,
    token_state,
    use_worth_recording,
)

COMMON = frozenset({"password1234", "qwertyuiop12"})
EMAIL = "jane.smith@example.org"
NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("password", "refused_because"), [
    ("correct horse battery", None),
    ("short-pass1", "at least 12 characters"),
    ("", "at least 12 characters"),
    ("x" * 201, "at most 200"),
    ("jane.smith@example.org", "e-mail address"),
    ("JANE.SMITH@EXAMPLE.ORG", "e-mail address"),
    ("jane.smith12", "e-mail address"),
    ("jane.smith", "at least 12"),
    ("jane.smith.works.here", None),
    ("password1234", "most common"),
    ("Password1234", "most common"),
    ("qwertyuiop12", "most common"),
])
def test_password_rules(password, refused_because):
    problem = password_problem(password, EMAIL, COMMON)
    if refused_because is None:
        assert problem is None
    else:
        assert problem is not None and refused_because in problem


def test_the_local_part_alone_is_refused_when_long_enough():
    assert "e-mail" in password_problem("administrator", "administrator@example.org", COMMON)


@pytest.mark.parametrize(("days", "default", "expected"), [
    (None, 90, NOW + timedelta(days=90)),
    (7, 90, NOW + timedelta(days=7)),
    (366, 90, NOW + timedelta(days=366)),
    (None, 30, NOW + timedelta(days=30)),
])
def test_token_expiry(days, default, expected):
    assert token_expiry(NOW, days, default) == expected


@pytest.mark.parametrize("days", [0, -1, 367])
def test_silly_token_lifetimes_are_refused(days):
    with pytest.raises(ValueError, match="between 1 and 366"):
        token_expiry(NOW, days, 90)


@pytest.mark.parametrize(("revoked_at", "expires_at", "state"), [
    (None, NOW + timedelta(seconds=1), TokenState.ACTIVE),
    (None, NOW, TokenState.EXPIRED),
    (None, NOW - timedelta(days=1), TokenState.EXPIRED),
    (NOW - timedelta(days=1), NOW + timedelta(days=1), TokenState.REVOKED),
    (NOW - timedelta(days=1), NOW - timedelta(days=1), TokenState.REVOKED),
])
def test_token_state(revoked_at, expires_at, state):
    assert token_state(revoked_at, expires_at, NOW) is state


@pytest.mark.parametrize(("scope", "method", "allowed"), [
    ("read", "GET", True), ("read", "HEAD", True), ("read", "OPTIONS", True),
    ("read", "POST", False), ("read", "PATCH", False), ("read", "PUT", False),
    ("read", "DELETE", False), ("write", "GET", True), ("write", "POST", True),
    ("write", "PATCH", True), ("write", "DELETE", True), ("read", "get", True),
])
def test_scope_allows(scope, method, allowed):
    assert scope_allows(scope, method) is allowed


@pytest.mark.parametrize(("last_used", "worth"), [
    (None, True),
    (NOW - timedelta(seconds=59), False),
    (NOW - timedelta(seconds=60), True),
    (NOW - timedelta(days=3), True),
])
def test_a_token_use_is_written_at_most_once_a_minute(last_used, worth):
    assert use_worth_recording(last_used, NOW) is worth


@pytest.mark.parametrize(("change", "refused_because"), [
    ({"on_self": True, "deactivating": True, "target_is_active_admin": True,
      "active_admins": 3}, "your own account"),
    ({"on_self": False, "deactivating": True, "target_is_active_admin": True,
      "active_admins": 1}, "last active admin"),
    ({"on_self": True, "removing_admin_role": True, "target_is_active_admin": True,
      "active_admins": 1}, "last active admin"),
    ({"on_self": True, "removing_admin_role": True, "target_is_active_admin": True,
      "active_admins": 2}, None),
    ({"on_self": False, "deactivating": True, "target_is_active_admin": True,
      "active_admins": 2}, None),
    ({"on_self": False, "deactivating": True, "target_is_active_admin": False,
      "active_admins": 1}, None),
    ({"on_self": False, "target_is_active_admin": True, "active_admins": 1}, None),
])
def test_who_may_lose_admin(change, refused_because):
    arguments = {"deactivating": False, "removing_admin_role": False, **change}
    problem = admin_change_problem(**arguments)
    if refused_because is None:
        assert problem is None
    else:
        assert refused_because in problem
