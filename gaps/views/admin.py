"""Administration: accounts and teams."""

from flask import Blueprint, render_template, request

from gaps import queries
from gaps.extensions import db
from gaps.forms import AuditFilterForm
from gaps.policy import requires
from gaps.views.helpers import page_number, page_size

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


@blueprint.route("/users")
@requires("manage_users")
def users():
    """Every account with its role and team."""
    accounts = db.session.execute(queries.users()).scalars().all()
    return render_template("admin/users.html", accounts=accounts)


@blueprint.route("/audit")
@requires("read_audit")
def audit():
    """Every audit event, newest first, filtered by person, action, object and dates."""
    form = AuditFilterForm(request.args)
    filters = {name: form[name].data or None
               for name in ("actor", "action", "entity_type", "since", "until")}
    if not form.validate():
        filters = {}
    results = queries.page(queries.audit_events(**filters), page_number(), page_size())
    return render_template("admin/audit.html", form=form, results=results)
