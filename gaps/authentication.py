"""How a request is tied to a user: the session token in the cookie, or an API bearer token."""

from flask import Flask, flash, jsonify, redirect, request, session, url_for
from flask_login import AnonymousUserMixin, current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from gaps import page_cache, queries
from gaps.extensions import db, login_manager
from gaps.models import ApiToken, User
from gaps.passwords import token_digest

API_PREFIX = "/api/"


class Anonymous(AnonymousUserMixin):
    """A visitor who has not signed in: no role, no team."""

    role = None
    team_id = None
    email = "anonymous"
    id = None


def register_authentication(app: Flask) -> None:
    """Teach Flask-Login to find users by session token and to answer strangers."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.anonymous_user = Anonymous
    login_manager.user_loader(load_user_by_session_token)
    login_manager.unauthorized_handler(_unauthorized)
    app.before_request(send_to_password_change)


# What someone who must change their password may still open: that page, signing out, files.
OPEN_WHILE_PASSWORD_MUST_CHANGE = frozenset({"account.password", "auth.logout", "static"})
OPEN_BLUEPRINTS_WHILE_PASSWORD_MUST_CHANGE = frozenset({"assets", "health"})


def send_to_password_change():
    """Someone whose password an admin reset sees nothing before changing it."""
    if "_user_id" not in session or request.endpoint in OPEN_WHILE_PASSWORD_MUST_CHANGE or \
            request.blueprint in OPEN_BLUEPRINTS_WHILE_PASSWORD_MUST_CHANGE:
        return None
    if request.path.startswith(API_PREFIX) and "Authorization" in request.headers:
        return None  # a token, not this browser session, speaks for the caller
    if not (current_user.is_authenticated and current_user.must_change_password):
        return None
    if request.path.startswith(API_PREFIX):
        response = jsonify(error={"code": "password_change_required",
                                  "message": "Change your password at /account/password first"})
        response.status_code = 403
        return response
    flash("Choose a new password before you go on.", "info")
    return redirect(url_for("account.password"))


# Built once: every request runs it, and building a statement costs more than running it.
_USER_BY_SESSION_TOKEN = queries.with_content_token(
    select(User).where(User.session_token == bindparam("session_token"), User.active.is_(True))
    .options(joinedload(User.team)))


def load_user_by_session_token(session_token: str) -> User | None:
    """The active user whose current session token this is (a rotated token finds no one);
    the same read tells the page cache the database's content token."""
    return _found_with_content_token(_USER_BY_SESSION_TOKEN, {"session_token": session_token})


_API_TOKEN_BY_DIGEST = queries.with_content_token(
    select(ApiToken).where(ApiToken.token_hash == bindparam("digest"))
    .options(joinedload(ApiToken.user).joinedload(User.team)))


def api_token_for(header: str | None) -> ApiToken | None:
    """The token an `Authorization: Bearer …` header carries, with its user, whatever its
    state (the caller decides what an expired or revoked one gets), or None; the same read
    tells the page cache the database's content token."""
    if not header or not header.startswith("Bearer "):
        return None
    secret = header.removeprefix("Bearer ").strip()
    if not secret:
        return None
    return _found_with_content_token(_API_TOKEN_BY_DIGEST, {"digest": token_digest(secret)})


def _found_with_content_token(statement, parameters: dict):
    row = db.session.execute(statement, parameters).one_or_none()
    if row is None:
        return None
    page_cache.remember_content_token(row.content_token)
    return row[0]


def _unauthorized():
    if request.path.startswith(API_PREFIX):
        response = jsonify(error={"code": "unauthorized",
                                  "message": "Send a valid API token: Authorization: Bearer …"})
        response.status_code = 401
        response.headers["WWW-Authenticate"] = "Bearer"
        return response
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(url_for(login_manager.login_view, next=request.full_path.rstrip("?")))
