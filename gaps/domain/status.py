"""Requirement statuses (collection-management doctrine)."""

from enum import StrEnum


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
    Status.SATISFIED: "Satisfied (awaiting confirmation)",
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


def is_open(status: str) -> bool:
    """Whether a requirement in this status still needs work."""
    return status in OPEN_STATUSES
