"""Bounds on numbers a user or client may send, so that none overflows a database column."""

LARGEST_ID = 2**31 - 1  # PostgreSQL's integer; SQLite's is larger
LARGEST_PAGE = 100_000


def bounded_id(value: int | None) -> int | None:
    """The number as an id, or None when it cannot be one."""
    if value is None or not 1 <= value <= LARGEST_ID:
        return None
    return value
