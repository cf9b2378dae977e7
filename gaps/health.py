"""`/healthz`: whether the database answers and its schema is at the newest migration."""

import contextlib
import ipaddress

from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from gaps.extensions import db
from gaps.policy import can, public

blueprint = Blueprint("health", __name__)


def head_revision() -> str | None:
    """The newest migration in `migrations/`."""
    migrate = current_app.extensions["migrate"]
    return ScriptDirectory(migrate.directory).get_current_head()


@blueprint.route("/healthz")
@public
def healthz():
    """200 when the database is reachable and at head; 503 otherwise. Only admins and callers
    on this machine are told which, and the revisions."""
    head = head_revision()
    try:
        current = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        reachable = True
    except SQLAlchemyError:
        db.session.rollback()
        current, reachable = None, False
    healthy = reachable and current == head
    body = {"status": "ok" if healthy else "unavailable",
            "database": "reachable" if reachable else "unreachable or not migrated",
            "schema": "at head" if current == head else "behind",
            "revision": current, "head": head}
    if not may_see_details():
        body = {"status": body["status"]}
    return jsonify(body), 200 if healthy else 503


def may_see_details() -> bool:
    """Whether the caller is on this machine (a monitor, an operator) or a signed-in admin."""
    with contextlib.suppress(ValueError):  # no address, or not one: not this machine
        if ipaddress.ip_address(request.remote_addr or "").is_loopback:
            return True
    try:
        return current_user.is_authenticated and can(current_user, "read_service_health")
    except SQLAlchemyError:  # the database that is down cannot say who is asking
        db.session.rollback()
        return False
