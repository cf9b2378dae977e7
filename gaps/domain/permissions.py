"""Who may do what: each action names the roles allowed to take it (DESIGN.md §2)."""

from gaps.domain.vocabulary import Role

ALL_ROLES = frozenset(Role)
READERS_OF_ASSESSMENTS = frozenset({Role.ADMIN, Role.MANAGER, Role.REVIEWER})
# An admin has no power over intelligence content beyond a manager's, and none less.
MANAGERS = frozenset({Role.ADMIN, Role.MANAGER})
COLLECTION = frozenset({Role.ADMIN, Role.MANAGER, Role.COLLECTOR})

PERMISSIONS: dict[str, frozenset[Role]] = {
    "sign_out": ALL_ROLES,
    "manage_own_account": ALL_ROLES,  # own password, API tokens and daily e-mail, at /account
    # Reading
    "read_assessments": READERS_OF_ASSESSMENTS,  # assessments, key judgements, gaps
    "read_requirements": ALL_ROLES,  # collectors: only their own team's (need to know)
    "read_reference_data": ALL_ROLES,  # teams and sources
    "read_history": ALL_ROLES,  # of what the user may see
    "read_register": READERS_OF_ASSESSMENTS,  # register, snapshots, diffs, traceability
    "export": READERS_OF_ASSESSMENTS,
    # The collection plan: everyone; collectors see only their own team's requirements.
    "read_collection_plan": ALL_ROLES,
    "view_dashboard": frozenset({Role.ADMIN, Role.MANAGER, Role.COLLECTOR}),
    "read_insights": ALL_ROLES,  # collectors: their own team's figures only (need to know)
    "read_service_health": frozenset({Role.ADMIN}),  # /healthz details (revisions, database)
    # Writing
    "edit_content": MANAGERS,  # assessments, key judgements, gaps, requirements, tasking
    "transition_requirement": COLLECTION,  # each move names its own roles (status.py)
    "record_contribution": COLLECTION,  # collectors: their own team's requirements
    "override_rank": MANAGERS,
    # The governance group freezes what it reviews; managers prepare it between meetings.
    "take_snapshot": frozenset({Role.ADMIN, Role.MANAGER, Role.REVIEWER}),
    "decide_snapshot": frozenset({Role.REVIEWER}),  # the governance group's own decision
    # Actions the group directs: it and the managers follow them; managers close them.
    "read_actions": READERS_OF_ASSESSMENTS,
    "add_action": frozenset({Role.ADMIN, Role.MANAGER, Role.REVIEWER}),
    "close_action": MANAGERS,
    # Incoming reports: collection teams and managers record them and triage their proposed
    # matches (a collector, only to their own team's requirements); every role may read them
    # (a collector, those of their team or matched to its requirements).
    "read_reports": ALL_ROLES,
    "record_report": COLLECTION,
    "triage_report": COLLECTION,
    # Administration
    "manage_users": frozenset({Role.ADMIN}),
    "read_audit": frozenset({Role.ADMIN}),
    "manage_scoring": frozenset({Role.ADMIN}),
}


class UnknownAction(KeyError):
    """An action that no rule names: a programming error, never a user's."""


def roles_for(action: str) -> frozenset[Role]:
    """The roles that may take an action."""
    try:
        return PERMISSIONS[action]
    except KeyError as error:
        raise UnknownAction(action) from error


def role_may(role: str, action: str) -> bool:
    """Whether a role may take an action at all."""
    return role in roles_for(action)


def may_see_requirement(role: str, user_team_id: int | None, owner_team_id: int | None) -> bool:
    """Need to know: collectors see only requirements owned by their own team."""
    if role != Role.COLLECTOR:
        return role_may(role, "read_requirements")
    return user_team_id is not None and user_team_id == owner_team_id
