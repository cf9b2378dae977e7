"""Who may do what: the role table, and need to know for collectors."""

import pytest

from gaps.domain.permissions import (
    PERMISSIONS,
    UnknownAction,
    may_see_requirement,
    role_may,
    roles_for,
)

EXPECTED = {
    # action:               admin, manager, collector, reviewer
    "read_assessments": (True, True, False, True),
    "read_requirements": (True, True, True, True),
    "read_reference_data": (True, True, True, True),
    "read_history": (True, True, True, True),
    "read_register": (True, True, False, True),
    "export": (True, True, False, True),
    "override_rank": (True, True, False, False),
    "take_snapshot": (True, True, False, True),
    "decide_snapshot": (False, False, False, True),
    "read_actions": (True, True, False, True),
    "add_action": (True, True, False, True),
    "close_action": (True, True, False, False),
    "manage_scoring": (True, False, False, False),
    "view_dashboard": (True, True, True, False),
    "edit_content": (True, True, False, False),
    "transition_requirement": (True, True, True, False),
    "record_contribution": (True, True, True, False),
    "manage_users": (True, False, False, False),
    "read_audit": (True, False, False, False),
    "sign_out": (True, True, True, True),
    "manage_own_account": (True, True, True, True),
    "read_collection_plan": (True, True, True, True),
    "read_insights": (True, True, True, True),
    "read_service_health": (True, False, False, False),
    "read_reports": (True, True, True, True),
    "record_report": (True, True, True, False),
    "triage_report": (True, True, True, False),
}
ROLES = ("admin", "manager", "collector", "reviewer")


@pytest.mark.parametrize(("action", "role"), [(a, r) for a in EXPECTED for r in ROLES])
def test_each_role_and_action(action, role):
    assert role_may(role, action) is EXPECTED[action][ROLES.index(role)]


def test_every_action_is_in_the_expected_table():
    assert set(PERMISSIONS) == set(EXPECTED)


def test_an_unknown_action_is_a_programming_error():
    with pytest.raises(UnknownAction):
        roles_for("delete_everything")


@pytest.mark.parametrize(("role", "user_team", "owner_team", "visible"), [
    ("collector", 1, 1, True),
    ("collector", 1, 2, False),
    ("collector", 1, None, False),
    ("collector", None, None, False),
    ("manager", None, 2, True),
    ("reviewer", None, None, True),
    ("admin", None, 1, True),
])
def test_need_to_know(role, user_team, owner_team, visible):
    assert may_see_requirement(role, user_team, owner_team) is visible
