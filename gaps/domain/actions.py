"""Actions: what the governance group's decision on a snapshot directs, whose it is, by when.

An action is written when the group returns a register with a direction (at least one is
then required), or added afterwards to a decided snapshot. It has exactly one owner, a
manager or a team, and a due date that is not in the past when it is written. It is open
until a manager closes it with a note saying what was done; it is overdue while open past
its due date. A closed action is never reopened or edited: a mistake is closed with a note
saying so, and a new action added.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from gaps.domain.errors import InvalidTransition, InvalidValue
from gaps.domain.vocabulary import Role

ACTION_TEXT_LIMIT = 2000
CLOSING_NOTE_LIMIT = 4000
DIRECTION_LIMIT = 4000
REQUIREMENT_REF_LIMIT = 20
# A due date further off than this is a typing slip (2207 for 2027), not a plan.
FURTHEST_DUE = timedelta(days=5 * 365 + 1)
MOST_ACTIONS_AT_ONCE = 20
# Who may own an action: an intelligence manager (or a team). Admins close actions, but an
# action is given to the people who do the work.
OWNER_ROLES = frozenset({Role.MANAGER})


class Decision(StrEnum):
    """The governance group's decision on a snapshot."""

    APPROVED = "approved"
    RETURNED = "returned"


DECISIONS: tuple[str, ...] = tuple(decision.value for decision in Decision)
DECISION_WORDS: dict[str, str] = {
    Decision.APPROVED: "approved",
    Decision.RETURNED: "returned with a direction",
}


class ActionState(StrEnum):
    """Where an action stands today."""

    OPEN = "open"
    OVERDUE = "overdue"
    CLOSED = "closed"


ACTION_STATES: tuple[str, ...] = tuple(state.value for state in ActionState)
STATE_LABELS: dict[str, str] = {
    ActionState.OPEN: "Open",
    ActionState.OVERDUE: "Overdue",
    ActionState.CLOSED: "Closed",
}
STATE_TAG_COLOURS: dict[str, str] = {
    ActionState.OPEN: "blue",
    ActionState.OVERDUE: "red",
    ActionState.CLOSED: "green",
}


@dataclass(frozen=True)
class ActionDraft:
    """An action as someone asked for it, before it is checked.

    `number` is the action's number as the person sees it (the row of a form, or the place in
    an API request, from 1); it names the action in messages.
    """

    text: str | None
    owner_user_id: int | None = None
    owner_team_id: int | None = None
    due_on: date | None = None
    requirement_ref: str | None = None
    requirement_id: int | None = None
    number: int | None = None


def error_field(number: int, name: str) -> str:
    """Where an error about one action belongs: `actions.<index from 0>.<field>`."""
    return f"actions.{number - 1}.{name}"


def _refuse(draft: ActionDraft, message: str, name: str) -> InvalidValue:
    number = draft.number or 1
    return InvalidValue(f"Action {number}: {message}", field=error_field(number, name))


def check_draft(draft: ActionDraft, today: date) -> ActionDraft:
    """The draft tidied (text and reference trimmed), if it makes a valid new action."""
    text = (draft.text or "").strip()
    if not text:
        raise _refuse(draft, "enter what is to be done.", "text")
    if len(text) > ACTION_TEXT_LIMIT:
        raise _refuse(draft, f"what is to be done must be at most {ACTION_TEXT_LIMIT} "
                             "characters.", "text")
    owners = [owner for owner in (draft.owner_user_id, draft.owner_team_id) if owner is not None]
    if not owners:
        raise _refuse(draft, "choose who owns it: a manager or a team.", "owner")
    if len(owners) > 1:
        raise _refuse(draft, "choose one owner, a manager or a team, not both.", "owner")
    if draft.due_on is None:
        raise _refuse(draft, "enter the date it is due by, like 31 3 2027.", "due_on")
    if draft.due_on < today:
        raise _refuse(draft, "the due date cannot be in the past.", "due_on")
    if draft.due_on > today + FURTHEST_DUE:
        raise _refuse(draft, "the due date must be within five years.", "due_on")
    reference = (draft.requirement_ref or "").strip() or None
    if reference is not None and len(reference) > REQUIREMENT_REF_LIMIT:
        raise _refuse(draft, "that is not a requirement reference (like R-059).", "requirement")
    if reference is not None and draft.requirement_id is not None:
        raise _refuse(draft, "name the requirement by its id or its reference, not both.",
                      "requirement")
    return replace(draft, text=text, requirement_ref=reference)


def check_drafts(drafts: list[ActionDraft], today: date) -> list[ActionDraft]:
    """Every draft checked and numbered (from 1 where the caller gave no number)."""
    if len(drafts) > MOST_ACTIONS_AT_ONCE:
        raise InvalidValue(f"Add at most {MOST_ACTIONS_AT_ONCE} actions at a time.",
                           field="actions")
    return [check_draft(draft if draft.number else replace(draft, number=index), today)
            for index, draft in enumerate(drafts, start=1)]


def check_owner_account(draft: ActionDraft, role: str | None, active: bool) -> None:
    """Refuse an owner account that is not an active manager."""
    if role is None:
        raise _refuse(draft, "there is no such account to own it.", "owner")
    if role not in OWNER_ROLES or not active:
        raise _refuse(draft, "an action is owned by a manager (with an active account) or a "
                             "team.", "owner")


def unknown_requirement(draft: ActionDraft) -> InvalidValue:
    """The error for a requirement that does not exist (or is not published)."""
    named = draft.requirement_ref or f"number {draft.requirement_id}"
    return _refuse(draft, f"there is no requirement {named}.", "requirement")


def unknown_team(draft: ActionDraft) -> InvalidValue:
    """The error for an owner team that does not exist."""
    return _refuse(draft, "there is no such team to own it.", "owner")


def check_decision(recorded: str | None, decision: str, direction: str | None,
                   action_count: int) -> str | None:
    """The direction, tidied, if this decision may be recorded on a snapshot that has
    `recorded` (or no) decision, with this many actions."""
    if decision not in DECISIONS:
        raise InvalidValue("The decision is either approved or returned.", field="decision")
    if recorded is not None:
        raise InvalidValue(f"The group's decision on this snapshot is already recorded "
                           f"({recorded}). Take a new snapshot for a new decision.")
    direction = (direction or "").strip() or None
    if direction is not None and len(direction) > DIRECTION_LIMIT:
        raise InvalidValue(f"The direction must be at most {DIRECTION_LIMIT} characters.",
                           field="direction")
    if decision == Decision.RETURNED and not direction:
        raise InvalidValue("Say what the group directs when it returns the register.",
                           field="direction")
    if decision == Decision.RETURNED and action_count == 0:
        raise InvalidValue("Add at least one action when the group returns the register: what "
                           "is to be done, who owns it and when it is due.", field="actions")
    return direction


def check_adding_actions(recorded: str | None, action_count: int) -> None:
    """Actions are added to a decided snapshot, at least one at a time."""
    if recorded is None:
        raise InvalidValue("Record the group's decision on this snapshot first: its actions "
                           "come with the decision.")
    if action_count == 0:
        raise InvalidValue("Add at least one action: what is to be done, who owns it and when "
                           "it is due.", field="actions")


def check_closing(note: str | None, closed_already: str | None = None) -> str:
    """The closing note, tidied, if the action may be closed with it; `closed_already` says
    who closed it and when if it is closed (a closed action is not closed again)."""
    if closed_already is not None:
        raise InvalidTransition(f"This action was already closed {closed_already}; a closed "
                                "action is not reopened. Add a new action if more is needed.")
    note = (note or "").strip()
    if not note:
        raise InvalidValue("Say what was done: the note is kept with the action.", field="note")
    if len(note) > CLOSING_NOTE_LIMIT:
        raise InvalidValue(f"The note must be at most {CLOSING_NOTE_LIMIT} characters.",
                           field="note")
    return note


def action_state(closed: bool, due_on: date, today: date) -> ActionState:
    """Closed; overdue when still open after its due date; else open."""
    if closed:
        return ActionState.CLOSED
    return ActionState.OVERDUE if due_on < today else ActionState.OPEN


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """A count with its noun: 1 action, 2 actions."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def decision_message(decision: str, actions_created: int) -> str:
    """What recording a decision did, in words."""
    message = f"Decision recorded: {DECISION_WORDS.get(decision, decision)}"
    if actions_created:
        message += f"; {counted(actions_created, 'action')} created"
    return message + "."


def actions_added_message(actions_added: int, snapshot_title: str) -> str:
    """What adding actions to a snapshot did, in words."""
    return f"{counted(actions_added, 'action')} added to “{snapshot_title}”."
