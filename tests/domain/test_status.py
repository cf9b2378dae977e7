"""The status rules, cell by cell: every (from, to, role), then each precondition."""

import pytest

from gaps.domain.errors import InvalidTransition, NotAllowed
from gaps.domain.status import (
    STATUSES,
    RequirementFacts,
    accepts_contributions,
    available_transitions,
    can_be_tasked,
    check_transition,
)

ROLES = ("admin", "manager", "collector", "reviewer")
MANAGERS = {"manager", "admin"}
COLLECTION = {"manager", "admin", "collector"}

# Written out by hand from DESIGN.md §3, not derived from the code under test.
ALLOWED = {
    ("draft", "tasked"): MANAGERS,
    ("tasked", "partially_satisfied"): COLLECTION,
    ("tasked", "satisfied"): COLLECTION,
    ("partially_satisfied", "satisfied"): COLLECTION,
    ("partially_satisfied", "tasked"): COLLECTION,
    ("satisfied", "closed"): MANAGERS,
    ("satisfied", "tasked"): MANAGERS,
    ("closed", "tasked"): MANAGERS,
    ("draft", "cancelled"): MANAGERS,
    ("tasked", "cancelled"): MANAGERS,
    ("partially_satisfied", "cancelled"): MANAGERS,
    ("satisfied", "cancelled"): MANAGERS,
}
READY = RequirementFacts(has_owner_team=True, source_count=1, has_ltiov=True,
                         contribution_count=1)
CELLS = [(source, target, role) for source in STATUSES for target in STATUSES for role in ROLES]


@pytest.mark.parametrize(("source", "target", "role"), CELLS,
                         ids=[f"{s}->{t} as {r}" for s, t, r in CELLS])
def test_every_cell_of_the_transition_table(source, target, role):
    allowed_roles = ALLOWED.get((source, target))
    if allowed_roles is None:
        with pytest.raises(InvalidTransition) as refused:
            check_transition(source, target, role, READY, "a reason")
        assert "cannot go from" in refused.value.message
    elif role not in allowed_roles:
        with pytest.raises(NotAllowed) as refused:
            check_transition(source, target, role, READY, "a reason")
        assert refused.value.message.startswith("Only a ")
    else:
        transition = check_transition(source, target, role, READY, "a reason")
        assert (transition.source, transition.target) == (source, target)


def test_an_unknown_status_is_named():
    with pytest.raises(InvalidTransition, match="'done' is not a status"):
        check_transition("tasked", "done", "manager", READY, None)


@pytest.mark.parametrize(("facts", "missing"), [
    (RequirementFacts(False, 1, True, 0), "an owner team."),
    (RequirementFacts(True, 0, True, 0), "at least one collection source."),
    (RequirementFacts(True, 1, False, 0), "a latest time of value (LTIOV) date."),
    (RequirementFacts(False, 0, False, 0), "an owner team, at least one collection source and "
                                           "a latest time of value (LTIOV) date."),
])
def test_tasking_needs_owner_source_and_ltiov(facts, missing):
    with pytest.raises(InvalidTransition) as refused:
        check_transition("draft", "tasked", "manager", facts, None)
    assert refused.value.message == "To task this requirement, first give it " + missing


def test_reopening_also_needs_the_tasking():
    with pytest.raises(InvalidTransition, match="owner team"):
        check_transition("closed", "tasked", "manager", RequirementFacts(False, 1, True, 1),
                         "new reporting")


@pytest.mark.parametrize("source", ["tasked", "partially_satisfied"])
def test_proposing_satisfied_needs_a_contribution(source):
    facts = RequirementFacts(True, 1, True, 0)
    with pytest.raises(InvalidTransition, match="at least one contribution"):
        check_transition(source, "satisfied", "collector", facts, None)


@pytest.mark.parametrize(("source", "target"), [
    ("draft", "cancelled"), ("tasked", "cancelled"), ("satisfied", "cancelled"),
    ("satisfied", "tasked"), ("closed", "tasked"), ("partially_satisfied", "tasked"),
])
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_cancel_send_back_and_reopen_need_a_reason(source, target, reason):
    with pytest.raises(InvalidTransition, match="Give a reason"):
        check_transition(source, target, "manager", READY, reason)


@pytest.mark.parametrize(("source", "role", "targets"), [
    ("draft", "manager", {"tasked", "cancelled"}),
    ("draft", "collector", set()),
    ("tasked", "collector", {"partially_satisfied", "satisfied"}),
    ("satisfied", "collector", set()),
    ("satisfied", "manager", {"closed", "tasked", "cancelled"}),
    ("closed", "reviewer", set()),
    ("cancelled", "manager", set()),
])
def test_the_moves_offered_to_each_role(source, role, targets):
    assert {transition.target for transition in available_transitions(source, role)} == targets


@pytest.mark.parametrize(("status", "contributions", "taskable"), [
    ("draft", False, True), ("tasked", True, False), ("partially_satisfied", True, False),
    ("satisfied", True, False), ("closed", False, False), ("cancelled", False, False),
])
def test_when_contributions_and_tasking_apply(status, contributions, taskable):
    assert accepts_contributions(status) is contributions
    assert can_be_tasked(status) is taskable
