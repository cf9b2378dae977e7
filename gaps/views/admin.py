"""Administration: accounts and teams."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from gaps import queries, services
from gaps.domain.priority import parse_horizons
from gaps.extensions import db
from gaps.forms import AuditFilterForm, ScoringForm
from gaps.policy import requires
from gaps.views.helpers import attempt, form_status, page_number, page_size

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
    # A million events are not counted on every view: newer and older pages instead.
    results = queries.slice_of(queries.audit_events(**filters), page_number(), page_size())
    return render_template("admin/audit.html", form=form, results=results)


@blueprint.route("/scoring", methods=["GET", "POST"])
@requires("manage_scoring")
def scoring():
    """The scoring weights, urgency horizons and band thresholds; changes are audited."""
    current = queries.scoring_settings()
    form = ScoringForm(data={**current.weights,
                             "horizons": "/".join(map(str, current.urgency_horizons_days)),
                             "high": current.band_thresholds[0],
                             "medium": current.band_thresholds[1]})
    if form.validate_on_submit() and attempt(form, lambda: services.update_scoring_settings(
            current_user, weights={name: float(form[name].data) for name in form.WEIGHTS},
            urgency_horizons_days=parse_horizons(form.horizons.data),
            band_thresholds=(float(form.high.data), float(form.medium.data)))):
        flash("Scoring saved: the register is ranked with the new settings.", "success")
        return redirect(url_for(".scoring"))
    return render_template("admin/scoring.html", form=form), form_status(form)
