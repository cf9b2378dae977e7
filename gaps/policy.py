"""Policy at the edge: `can(user, action, obj)` and the `@requires` decorator for routes."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, current_app
from flask_login import current_user

from gaps.domain.errors import NotAllowed
from gaps.domain.permissions import may_see_requirement, role_may, roles_for

NEED_TO_KNOW_ACTIONS = frozenset({"read_requirements", "read_history", "transition_requirement",
                                  "record_contribution", "triage_report"})
PUBLIC_ATTRIBUTE = "is_public"
ROLES_ATTRIBUTE = "allowed_roles"


def can(user: Any, action: str, obj: Any = None) -> bool:
    """Whether this user may take this action, on this object when one is given."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not role_may(user.role, action):
        return False
    if obj is not None and action in NEED_TO_KNOW_ACTIONS:
        return may_see_requirement(user.role, user.team_id, obj.owner_team_id)
    return True


def may_know_of(user: Any, requirement: Any) -> bool:
    """Whether this user may know that a requirement exists, and what it asks (need to know:
    a collector, only their own team's): the rule for every relation that names one."""
    return requirement is not None and may_see_requirement(user.role, user.team_id,
                                                           requirement.owner_team_id)


def authorize(user: Any, action: str, obj: Any = None) -> None:
    """Raise `NotAllowed` unless this user may take this action (used by services)."""
    if not can(user, action, obj):
        raise NotAllowed("Your role does not allow this.")


def requires(action: str) -> Callable:
    """Allow a route only to the roles of `action`; others get 403, strangers a sign-in."""
    allowed = roles_for(action)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not can(current_user, action):
                abort(403)
            return view(*args, **kwargs)

        setattr(guarded, ROLES_ATTRIBUTE, allowed)
        guarded.action = action
        return guarded

    return decorator


def public(view: Callable) -> Callable:
    """Mark a route as open to anyone, signed in or not (sign-in page, health, assets)."""
    setattr(view, PUBLIC_ATTRIBUTE, True)
    return view
