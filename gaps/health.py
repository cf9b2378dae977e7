"""`/healthz`: whether the database answers and its schema is at the newest migration."""

from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from gaps.extensions import db
from gaps.policy import public

blueprint = Blueprint("health", __name__)


def head_revision() -> str | None:
    """The newest migration in `migrations/`."""
    migrate = current_app.extensions["migrate"]
    return ScriptDirectory(migrate.directory).get_current_head()


@blueprint.route("/healthz")
@public
def healthz():
    """200 when the database is reachable and at head; 503 otherwise, saying which."""
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
    return jsonify(body), 200 if healthy else 503
