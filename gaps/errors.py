"""The one place where errors become responses: pages for people, JSON for the API."""

from contextlib import suppress
from urllib.parse import urlsplit

from flask import (
    Flask,
    current_app,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from gaps.authentication import API_PREFIX
from gaps.database import what_was_saved
from gaps.domain.errors import DomainError
from gaps.domain.navigation import is_own_page
from gaps.extensions import db, login_manager
from gaps.services import record_refusal

ERROR_TITLES = {
    400: "The request could not be understood",
    401: "Sign in to continue",
    403: "You do not have access to this page",
    404: "Page not found",
    405: "That action is not possible here",
    409: "Someone else changed this",
    413: "The file is too large",
    422: "The request could not be processed",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
    503: "Sorry, the service is unavailable",
}

ERROR_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid",
               429: "too_many_requests", 500: "server_error", 503: "unavailable"}


def register_error_handlers(app: Flask) -> None:
    """Answer every error the same way across the application."""
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _server_error)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(InterfaceError, _database_unavailable)


def wants_json() -> bool:
    """Whether the caller is the API rather than a person with a browser."""
    return request.path.startswith(API_PREFIX)


def json_error(status: int, message: str, code: str | None = None, **extra):
    """The API's error body: {"error": {"code": …, "message": …}}."""
    response = jsonify(error={"code": code or ERROR_CODES.get(status, "error"),
                              "message": message, **extra})
    response.status_code = status
    return response


def _page(status: int, message: str):
    title = ERROR_TITLES.get(status, "Error")
    return render_template("errors/error.html", status=status, title=title,
                           page_title=f"Error: {title}", message=message), status


def _http_error(error: HTTPException):
    if error.code == 403:
        db.session.rollback()
        record_refusal(current_user if current_user.is_authenticated else None,
                       request.path, request.method)
    if error.code and error.code >= 500:
        return _server_error(error)
    message = error.description or ERROR_TITLES.get(error.code, "Error")
    if wants_json():
        extra = {}
        messages = getattr(error, "data", {}).get("messages") if hasattr(error, "data") else None
        if messages:
            extra["fields"] = messages
            message = "Some values are not valid"
        return json_error(error.code, message, **extra)
    return _page(error.code, message)


def _domain_error(error: DomainError):
    db.session.rollback()
    if error.status_code == 403:
        record_refusal(current_user if current_user.is_authenticated else None,
                       request.path, request.method)
    if wants_json():
        extra = {"field": error.field} if error.field else {}
        return json_error(error.status_code, error.message, error.code, **extra)
    if request.method == "POST" and error.status_code in (409, 422):
        flash(error.message, "error")
        return redirect(_page_the_form_was_on())
    return _page(error.status_code, error.message)


def _page_the_form_was_on() -> str:
    referrer = urlsplit(request.referrer or "")
    target = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    if referrer.netloc == request.host and is_own_page(target):
        return target
    return url_for("assessments.home")


def _csrf_error(error: CSRFError):
    message = "The form had expired or did not come from this service. Try again."
    if wants_json():
        return json_error(400, message, "csrf")
    return _page(400, message)


# How long a client should wait before trying again while the database is away (seconds).
RETRY_AFTER_SECONDS = 5


SAVED_BEFORE_THE_FAULT = {
    "nothing": "Nothing you sent has been saved: try again in a few seconds.",
    "unknown": "It was saving what you sent and may have saved it: in a few seconds, reload "
               "to check before trying again.",
    "saved": "What you sent was saved before it went: reload in a few seconds to see it.",
}


def _database_unavailable(error: Exception):
    """The database could not be reached (restarting, failing over, locked for too long):
    503 with Retry-After, never a server error. Nothing was saved: the transaction is gone."""
    with suppress(Exception):  # the connection may be the thing that is broken
        db.session.rollback()
    # The page must not ask the database who is signed in: show it as to a stranger.
    g._login_user = login_manager.anonymous_user()
    current_app.logger.warning("database unavailable: %s", type(error).__name__)
    message = "The service cannot reach its database just now. " + SAVED_BEFORE_THE_FAULT[
        what_was_saved()]
    if wants_json():
        response = json_error(503, message)
    else:
        response = make_response(*_page(503, message))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _server_error(error: Exception):
    db.session.rollback()
    message = "Try again later. Nothing you sent has been saved."
    if wants_json():
        return json_error(500, message)
    return _page(500, message)
