"""Administration: accounts and teams."""

from flask import Blueprint, render_template

from gaps import queries
from gaps.extensions import db
from gaps.policy import requires

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


@blueprint.route("/users")
@requires("manage_users")
def users():
    """Every account with its role and team."""
    accounts = db.session.execute(queries.users()).scalars().all()
    return render_template("admin/users.html", accounts=accounts)
