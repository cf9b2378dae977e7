"""Actions from the governance group's decisions: what makes one valid, its states, closing."""

from datetime import date, timedelta

import pytest

from gaps.domain.actions import (
    MOST_ACTIONS_AT_ONCE,
    ActionDraft,
    ActionState,
    action_state,
    actions_added_message,
    check_adding_actions,
    check_closing,
    check_decision,
    check_draft,
    check_drafts,
    check_owner_account,
    decision_message,
)
from gaps.domain.errors import InvalidTransition, InvalidValue

TODAY = date(2026, 11, 29)
GOOD = ActionDraft(text="Re-score R-059 with the new harm evidence.", owner_user_id=3,
                   due_on=TODAY + timedelta(days=30))


def _with(**changes) -> ActionDraft:
    return ActionDraft(**{**GOOD.__dict__, **changes})


@pytest.mark.parametrize(("draft", "field", "words"), [
    (_with(text=None), "actions.0.text", "enter what is to be done"),
    (_with(text="   "), "actions.0.text", "enter what is to be done"),
    (_with(text="x" * 2001), "actions.0.text", "at most 2000"),
    (_with(owner_user_id=None), "actions.0.owner", "a manager or a team"),
    (_with(owner_team_id=2), "actions.0.owner", "not both"),
    (_with(due_on=None), "actions.0.due_on", "enter the date"),
    (_with(due_on=TODAY - timedelta(days=1)), "actions.0.due_on", "cannot be in the past"),
    (_with(due_on=TODAY + timedelta(days=5 * 365 + 2)), "actions.0.due_on", "five years"),
    (_with(requirement_ref="R-" + "9" * 30), "actions.0.requirement", "like R-059"),
    (_with(requirement_ref="R-059", requirement_id=4), "actions.0.requirement", "not both"),
    (_with(text="", number=3), "actions.2.text", "Action 3: enter"),
])
def test_an_invalid_action_is_refused_with_a_clear_message(draft, field, words):
    with pytest.raises(InvalidValue) as refused:
        check_draft(draft, TODAY)
    assert refused.value.field == field
    assert words in refused.value.message


@pytest.mark.parametrize(("draft", "expected"), [
    (GOOD, GOOD),
    (_with(text="  Task R-070.  "), _with(text="Task R-070.")),
    (_with(owner_user_id=None, owner_team_id=2), _with(owner_user_id=None, owner_team_id=2)),
    (_with(due_on=TODAY), _with(due_on=TODAY)),
    (_with(due_on=TODAY + timedelta(days=5 * 365)), _with(due_on=TODAY + timedelta(days=1825))),
    (_with(requirement_ref=" R-059 "), _with(requirement_ref="R-059")),
    (_with(requirement_ref="  "), GOOD),
    (_with(requirement_id=4), _with(requirement_id=4)),
])
def test_a_valid_action_is_tidied(draft, expected):
    assert check_draft(draft, TODAY) == expected


def test_drafts_are_numbered_in_order_unless_numbered_already():
    checked = check_drafts([GOOD, _with(number=7), GOOD], TODAY)
    assert [draft.number for draft in checked] == [1, 7, 3]
    with pytest.raises(InvalidValue) as refused:
        check_drafts([GOOD, _with(text="")], TODAY)
    assert refused.value.field == "actions.1.text"
    assert refused.value.message.startswith("Action 2: ")
    with pytest.raises(InvalidValue, match="at most 20"):
        check_drafts([GOOD] * (MOST_ACTIONS_AT_ONCE + 1), TODAY)


@pytest.mark.parametrize(("role", "active", "allowed"), [
    ("manager", True, True),
    ("manager", False, False),
    ("admin", True, False),
    ("reviewer", True, False),
    ("collector", True, False),
    (None, True, False),
])
def test_an_owner_account_is_an_active_manager(role, active, allowed):
    if allowed:
        check_owner_account(GOOD, role, active)
    else:
        with pytest.raises(InvalidValue) as refused:
            check_owner_account(GOOD, role, active)
        assert refused.value.field == "actions.0.owner"


@pytest.mark.parametrize(("recorded", "decision", "direction", "actions", "field", "words"), [
    (None, "maybe", None, 0, "decision", "approved or returned"),
    (None, "returned", "  ", 1, "direction", "Say what the group directs"),
    (None, "returned", "Raise R-070.", 0, "actions", "at least one action"),
    (None, "returned", "x" * 4001, 1, "direction", "at most 4000"),
    ("approved", "returned", "Raise R-070.", 1, None, "already recorded (approved)"),
    ("returned", "approved", None, 0, None, "already recorded (returned)"),
])
def test_a_decision_that_cannot_be_recorded(recorded, decision, direction, actions, field,
                                            words):
    with pytest.raises(InvalidValue) as refused:
        check_decision(recorded, decision, direction, actions)
    assert refused.value.field == field
    assert words in refused.value.message


@pytest.mark.parametrize(("decision", "direction", "actions", "kept"), [
    ("approved", None, 0, None),
    ("approved", "  ", 2, None),
    ("approved", " Keep going. ", 0, "Keep going."),
    ("returned", " Raise R-070. ", 1, "Raise R-070."),
])
def test_a_decision_that_is_recorded(decision, direction, actions, kept):
    assert check_decision(None, decision, direction, actions) == kept


@pytest.mark.parametrize(("recorded", "count", "words"), [
    (None, 1, "Record the group's decision"),
    ("approved", 0, "at least one action"),
])
def test_adding_actions_needs_a_decision_and_an_action(recorded, count, words):
    with pytest.raises(InvalidValue, match=words):
        check_adding_actions(recorded, count)


@pytest.mark.parametrize(("recorded", "count"), [("approved", 1), ("returned", 3)])
def test_actions_may_be_added_to_a_decided_snapshot(recorded, count):
    check_adding_actions(recorded, count)


@pytest.mark.parametrize(("closed", "due_on", "state"), [
    (False, TODAY + timedelta(days=1), ActionState.OPEN),
    (False, TODAY, ActionState.OPEN),
    (False, TODAY - timedelta(days=1), ActionState.OVERDUE),
    (True, TODAY - timedelta(days=30), ActionState.CLOSED),
    (True, TODAY + timedelta(days=30), ActionState.CLOSED),
])
def test_state_of_an_action(closed, due_on, state):
    assert action_state(closed, due_on, TODAY) is state


def test_closing_needs_a_note_and_an_open_action():
    assert check_closing("  Re-scored on 3 December.  ") == "Re-scored on 3 December."
    with pytest.raises(InvalidValue, match="Say what was done") as refused:
        check_closing(" ")
    assert refused.value.field == "note"
    with pytest.raises(InvalidValue, match="at most 4000"):
        check_closing("x" * 4001)
    with pytest.raises(InvalidTransition, match="already closed by m@example.org on 1 Dec"):
        check_closing("Done.", "by m@example.org on 1 Dec")


@pytest.mark.parametrize(("decision", "count", "message"), [
    ("returned", 2, "Decision recorded: returned with a direction; 2 actions created."),
    ("returned", 1, "Decision recorded: returned with a direction; 1 action created."),
    ("approved", 0, "Decision recorded: approved."),
    ("approved", 1, "Decision recorded: approved; 1 action created."),
])
def test_what_a_decision_did_in_words(decision, count, message):
    assert decision_message(decision, count) == message


def test_what_adding_actions_did_in_words():
    assert actions_added_message(1, "SGG March") == "1 action added to “SGG March”."
    assert actions_added_message(3, "SGG March") == "3 actions added to “SGG March”."
