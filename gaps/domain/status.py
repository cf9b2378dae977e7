"""Requirement statuses and the rules for moving between them (collection-management doctrine)."""

from dataclasses import dataclass
from enum import StrEnum

from gaps.domain.errors import InvalidTransition, NotAllowed
from gaps.domain.vocabulary import Role


class Status(StrEnum):
    """Where a requirement stands in collection."""

    DRAFT = "draft"
    TASKED = "tasked"
    PARTIALLY_SATISFIED = "partially_satisfied"
    SATISFIED = "satisfied"
    CLOSED = "closed"
    CANCELLED = "cancelled"


STATUSES: tuple[str, ...] = tuple(status.value for status in Status)

OPEN_STATUSES: frozenset[str] = frozenset(
    {Status.DRAFT, Status.TASKED, Status.PARTIALLY_SATISFIED, Status.SATISFIED}
)

STATUS_LABELS: dict[str, str] = {
    Status.DRAFT: "Draft",
    Status.TASKED: "Tasked",
    Status.PARTIALLY_SATISFIED: "Partially satisfied",
    Status.SATISFIED: "Proposed satisfied (awaiting confirmation)",
    Status.CLOSED: "Closed",
    Status.CANCELLED: "Cancelled",
}

STATUS_TAG_COLOURS: dict[str, str] = {
    Status.DRAFT: "grey",
    Status.TASKED: "blue",
    Status.PARTIALLY_SATISFIED: "yellow",
    Status.SATISFIED: "turquoise",
    Status.CLOSED: "green",
    Status.CANCELLED: "red",
}


CONTRIBUTION_STATUSES: frozenset[str] = frozenset(
    {Status.TASKED, Status.PARTIALLY_SATISFIED, Status.SATISFIED}
)


def is_open(status: str) -> bool:
    """Whether a requirement in this status still needs work."""
    return status in OPEN_STATUSES


def accepts_contributions(status: str) -> bool:
    """Whether findings may be recorded: only while a requirement is being collected."""
    return status in CONTRIBUTION_STATUSES


def can_be_tasked(status: str) -> bool:
    """Whether the tasking form applies: only a draft is tasked (a closed one is reopened)."""
    return status == Status.DRAFT


@dataclass(frozen=True)
class RequirementFacts:
    """What the rules need to know about a requirement to judge a transition."""

    has_owner_team: bool
    source_count: int
    has_ltiov: bool
    contribution_count: int


@dataclass(frozen=True)
class Transition:
    """One permitted move: who may make it, what it needs, and what to call it."""

    source: Status
    target: Status
    roles: frozenset[Role]
    verb: str
    needs_reason: bool = False
    needs_tasking: bool = False
    needs_contribution: bool = False
    # Moves that are hard to undo go through a page that says what will happen and asks why.
    needs_confirmation: bool = False
    done: str = "{ref} is now {status}."


MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})
COLLECTION = frozenset({Role.MANAGER, Role.ADMIN, Role.COLLECTOR})

PROPOSED = ("{ref} is proposed as satisfied: it waits for a manager to confirm it (and close "
            "it) or send it back to collection.")

TRANSITIONS: tuple[Transition, ...] = (
    Transition(Status.DRAFT, Status.TASKED, MANAGERS, "Task", needs_tasking=True,
               done="{ref} is tasked."),
    Transition(Status.TASKED, Status.PARTIALLY_SATISFIED, COLLECTION,
               "Report partially satisfied", done="{ref} is now partially satisfied."),
    Transition(Status.TASKED, Status.SATISFIED, COLLECTION, "Propose satisfied",
               needs_contribution=True, needs_reason=True, needs_confirmation=True,
               done=PROPOSED),
    Transition(Status.PARTIALLY_SATISFIED, Status.SATISFIED, COLLECTION, "Propose satisfied",
               needs_contribution=True, needs_reason=True, needs_confirmation=True,
               done=PROPOSED),
    Transition(Status.PARTIALLY_SATISFIED, Status.TASKED, COLLECTION,
               "Return to collection", needs_reason=True,
               done="{ref} is back in collection (tasked)."),
    Transition(Status.SATISFIED, Status.CLOSED, MANAGERS, "Confirm and close",
               done="{ref} is confirmed as satisfied and closed."),
    Transition(Status.SATISFIED, Status.TASKED, MANAGERS, "Send back to collection",
               needs_reason=True, done="{ref} is sent back to collection (tasked)."),
    Transition(Status.CLOSED, Status.TASKED, MANAGERS, "Reopen", needs_reason=True,
               needs_tasking=True, done="{ref} is reopened and tasked again."),
) + tuple(
    Transition(Status(source), Status.CANCELLED, MANAGERS, "Cancel", needs_reason=True,
               needs_confirmation=True, done="{ref} is cancelled: it has left the register.")
    for source in (Status.DRAFT, Status.TASKED, Status.PARTIALLY_SATISFIED, Status.SATISFIED)
)

_BY_MOVE = {(transition.source, transition.target): transition for transition in TRANSITIONS}


def find_transition(source: str, target: str) -> Transition | None:
    """The rule for moving from `source` to `target`, if there is one."""
    return _BY_MOVE.get((source, target))


def available_transitions(source: str, role: str) -> list[Transition]:
    """The moves this role may offer from this status (preconditions are checked on use)."""
    return [transition for transition in TRANSITIONS
            if transition.source == source and role in transition.roles]


def check_transition(source: str, target: str, role: str, facts: RequirementFacts,
                     reason: str | None) -> Transition:
    """The transition if it is allowed; otherwise an error that says why in plain words."""
    if target not in STATUSES:
        raise InvalidTransition(f"'{target}' is not a status. Statuses are: "
                                f"{', '.join(STATUSES)}.", field="to")
    transition = find_transition(source, target)
    if transition is None:
        raise InvalidTransition(f"A requirement cannot go from {_label(source)} to "
                                f"{_label(target)}.", field="to")
    if role not in transition.roles:
        who = " or ".join(sorted(str(allowed) for allowed in transition.roles
                                 if allowed != Role.ADMIN))
        raise NotAllowed(f"Only a {who} may move a requirement from {_label(source)} to "
                         f"{_label(target)}.")
    problems = []
    if transition.needs_tasking:
        if not facts.has_owner_team:
            problems.append("an owner team")
        if facts.source_count < 1:
            problems.append("at least one collection source")
        if not facts.has_ltiov:
            problems.append("a latest time of value (LTIOV) date")
    if problems:
        raise InvalidTransition("To task this requirement, first give it "
                                + _join(problems) + ".", field="to")
    if transition.needs_contribution and facts.contribution_count < 1:
        raise InvalidTransition("Record at least one contribution before proposing that the "
                                "requirement is satisfied.", field="to")
    if transition.needs_reason and not (reason or "").strip():
        raise InvalidTransition(f"Give a reason to {transition.verb.lower()}"
                                + (": say what answers the question."
                                   if transition.target == Status.SATISFIED else "."),
                                field="reason")
    return transition


def done_message(transition: Transition, ref: str) -> str:
    """What a move did, in words (a proposal is not a satisfaction)."""
    return transition.done.format(ref=ref, status=_label(transition.target))


def _label(status: str) -> str:
    return STATUS_LABELS.get(status, status).split(" (")[0].lower()


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
