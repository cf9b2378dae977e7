"""Small helpers the page views share."""

from collections.abc import Callable

from flask import abort, current_app, request

from gaps.domain.errors import DomainError, StaleVersion
from gaps.domain.limits import LARGEST_PAGE, bounded_id
from gaps.extensions import db
from gaps.uploads import ReadingLimits


def one_or_404(statement):
    """The single object a statement finds, or a 404 page."""
    found = db.session.execute(statement).unique().scalar_one_or_none()
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


HISTORY_PAGE_SIZE = 50


def history_page() -> int:
    """The `history_page` query argument: which fifty events of a history to show."""
    number = request.args.get("history_page", type=int) or 1
    return min(max(number, 1), LARGEST_PAGE)


def reading_limits() -> ReadingLimits:
    """How much an upload may cost to read (settings GAPS_UPLOAD_*)."""
    config = current_app.config
    return ReadingLimits(seconds=float(config["GAPS_UPLOAD_SECONDS"]),
                         memory_mb=int(config["GAPS_UPLOAD_MEMORY_MB"]),
                         paragraphs=int(config["GAPS_UPLOAD_PARAGRAPHS"]))


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
        field = _field_for(form, error.field)
        if field is not None and error.field != "version":
            field.errors = [*field.errors, error.message]
        else:
            form.form_errors.append(error.message)
        if isinstance(error, StaleVersion) and error.current_version is not None:
            form.version.data = str(error.current_version)
        form.refused_with = error.status_code
        return None


def _field_for(form, name: str | None):
    """The form's field an error names (a form with rows of fields maps the name itself)."""
    if not name:
        return None
    if hasattr(form, "field_for_error"):
        return form.field_for_error(name)
    return getattr(form, name, None)


def form_status(form) -> int:
    """The status of a page showing a form: 409 or 422 when refused, 400 when invalid."""
    return getattr(form, "refused_with", None) or (400 if form.errors else 200)
