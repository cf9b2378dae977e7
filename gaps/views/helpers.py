"""Small helpers the page views share."""

from collections.abc import Callable

from flask import abort, current_app, request

from gaps.domain.errors import DomainError, StaleVersion
from gaps.domain.limits import LARGEST_PAGE, bounded_id
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
    return min(max(number, 1), LARGEST_PAGE)


def argument_id(name: str) -> int | None:
    """A query argument naming an object by id, or None when it cannot be one."""
    return bounded_id(request.args.get(name, type=int))


def page_size() -> int:
    """How many rows a list page shows."""
    return current_app.config["GAPS_PAGE_SIZE"]


def optional_int(value: str | None) -> int | None:
    """A filter value as an id, or None when empty, not a number or out of range."""
    try:
        return bounded_id(int(value)) if value else None
    except ValueError:
        return None


def attempt(form, action: Callable[[], object]) -> object | None:
    """Run a service call for a form and return its result; a refusal returns None and is
    shown on the form, keeping what was typed.

    A stale version moves the form on to the current version, so that saving again is a
    deliberate choice to replace the other person's changes, never a silent overwrite.
    """
    try:
        return action()
    except DomainError as error:
        if error.status_code in (403, 404):
            raise
        field = getattr(form, error.field, None) if error.field else None
        if field is not None and error.field != "version":
            field.errors = [*field.errors, error.message]
        else:
            form.form_errors.append(error.message)
        if isinstance(error, StaleVersion) and error.current_version is not None:
            form.version.data = str(error.current_version)
        form.refused_with = error.status_code
        return None


def form_status(form) -> int:
    """The status of a page showing a form: 409 or 422 when refused, 400 when invalid."""
    return getattr(form, "refused_with", None) or (400 if form.errors else 200)


class ListPage:
    """One page of a list already in memory, with the same attributes as a database page."""

    def __init__(self, everything: list, page: int, per_page: int) -> None:
        self.total = len(everything)
        self.per_page = per_page
        self.pages = max(1, -(-self.total // per_page))
        self.page = min(max(page, 1), self.pages)
        start = (self.page - 1) * per_page
        self.items = everything[start:start + per_page]
        self.has_prev, self.has_next = self.page > 1, self.page < self.pages
        self.prev_num = self.page - 1 if self.has_prev else None
        self.next_num = self.page + 1 if self.has_next else None

    def iter_pages(self):
        """Page numbers to offer, with None for a gap, as Flask-SQLAlchemy does."""
        shown = {1, self.pages, *range(self.page - 2, self.page + 3)}
        previous = 0
        for number in range(1, self.pages + 1):
            if number in shown:
                if number - previous > 1:
                    yield None
                yield number
                previous = number

