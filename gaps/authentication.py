"""How a request is tied to a user: the session token in the cookie, or an API bearer token."""

from flask import Flask, flash, jsonify, redirect, request, url_for
from flask_login import AnonymousUserMixin
from sqlalchemy import select
from sqlalchemy.orm import joinedload

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


def load_user_by_session_token(session_token: str) -> User | None:
    """The active user whose current session token this is (a rotated token finds no one)."""
    return db.session.execute(
        select(User).where(User.session_token == session_token, User.active.is_(True))
        .options(joinedload(User.team))
    ).scalar_one_or_none()


def user_for_bearer_token(header: str | None) -> User | None:
    """The user an `Authorization: Bearer …` header names, or None if it names no one."""
    if not header or not header.startswith("Bearer "):
        return None
    token = header.removeprefix("Bearer ").strip()
    if not token:
        return None
    api_token = db.session.execute(
        select(ApiToken).where(ApiToken.token_hash == token_digest(token),
                               ApiToken.revoked_at.is_(None))
        .options(joinedload(ApiToken.user).joinedload(User.team))
    ).scalar_one_or_none()
    if api_token is None or not api_token.user.active:
        return None
    return api_token.user


def _unauthorized():
    if request.path.startswith(API_PREFIX):
        response = jsonify(error={"code": "unauthorized",
                                  "message": "Send a valid API token: Authorization: Bearer …"})
        response.status_code = 401
        response.headers["WWW-Authenticate"] = "Bearer"
        return response
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(url_for(login_manager.login_view, next=request.full_path.rstrip("?")))
