"""Small helpers the page views share."""

from flask import abort, current_app, request

from gaps.extensions import db


def one_or_404(statement):
    """The single object a statement finds, or a 404 page."""
    found = db.session.execute(statement).scalar_one_or_none()
    if found is None:
        abort(404)
    return found


def page_number() -> int:
    """The `page` query argument, 1 when missing or nonsensical."""
    number = request.args.get("page", type=int) or 1
    return max(number, 1)


def page_size() -> int:
    """How many rows a list page shows."""
    return current_app.config["GAPS_PAGE_SIZE"]


def optional_int(value: str | None) -> int | None:
    """A filter value as an id, or None when empty or not a number."""
    try:
        return int(value) if value else None
    except ValueError:
        return None
