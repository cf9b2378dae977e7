"""What changed between two versions of an object, field by field, for the audit trail."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class FieldChange:
    """One field's old and new value, written as text."""

    field: str
    old: str | None
    new: str | None


def as_text(value: Any) -> str | None:
    """A value as the audit trail writes it: ISO dates, lists joined by '; ', None kept."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(str(item) for item in value) if isinstance(value, set | frozenset) \
            else [str(item) for item in value]
        return "; ".join(items)
    return str(value)


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    """The fields of `after` whose value differs from `before`, in `after`'s order."""
    changes = []
    for name, new_value in after.items():
        old, new = as_text(before.get(name)), as_text(new_value)
        if old != new:
            changes.append(FieldChange(name, old, new))
    return changes
