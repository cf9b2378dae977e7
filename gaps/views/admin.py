"""Administration: accounts and teams."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from gaps import queries, services
from gaps.domain.errors import InvalidValue
from gaps.domain.priority import parse_horizons
from gaps.extensions import db
from gaps.forms import (
    AuditFilterForm,
    ButtonForm,
    NewAccountForm,
    ResetPasswordForm,
    RoleAndTeamForm,
    ScoringForm,
)
from gaps.policy import requires
from gaps.views.helpers import attempt, form_status, one_or_404, page_number, page_size

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


@blueprint.route("/users")
@requires("manage_users")
def users():
    """Every account with its role and team, a page at a time."""
    accounts = queries.slice_of(queries.users(), page_number(), page_size())
    return render_template("admin/users.html", accounts=accounts)


def _teams():
    return db.session.execute(queries.teams()).scalars().all()


@blueprint.route("/users/new", methods=["GET", "POST"])
@requires("manage_users")
def new_user():
    """Create an account; a generated first password is shown once on the next page."""
    form = NewAccountForm()
    form.set_choices(_teams())
    made = form.validate_on_submit() and attempt(form, lambda: services.create_account(
        current_user, email=form.email.data, name=form.name.data or "", role=form.role.data,
        team_id=form.team.data, password=form.password.data or None,
        current_password=form.current_password.data))
    if made:
        account, generated = made
        if generated is None:
            flash(f"Account {account.email} created.", "success")
            return redirect(url_for(".user", user_id=account.id))
        return render_template("admin/password_shown.html", account=account, password=generated,
                               heading="Account created")
    return render_template("admin/new_user.html", form=form), form_status(form)


@blueprint.route("/users/<int:user_id>")
@requires("manage_users")
def user(user_id: int):
    """One account: its details, what an admin may change, and its API tokens."""
    account = one_or_404(queries.account(user_id))
    tokens = queries.slice_of(queries.api_tokens_of(user_id), page_number(), page_size())
    return render_template("admin/user.html", account=account, tokens=tokens,
                           button=ButtonForm())


@blueprint.route("/users/<int:user_id>/role", methods=["GET", "POST"])
@requires("manage_users")
def role(user_id: int):
    """Change an account's role and team (the admin's password again)."""
    account = one_or_404(queries.account(user_id))
    form = RoleAndTeamForm(data={"role": account.role, "team": account.team_id})
    form.set_choices(_teams())
    if form.validate_on_submit() and attempt(form, lambda: services.change_role_and_team(
            current_user, user_id, role=form.role.data, team_id=form.team.data,
            current_password=form.current_password.data)):
        flash(f"Role and team of {account.email} saved.", "success")
        return redirect(url_for(".user", user_id=user_id))
    return render_template("admin/role.html", form=form, account=account), form_status(form)


@blueprint.route("/users/<int:user_id>/reset-password", methods=["GET", "POST"])
@requires("manage_users")
def reset_password(user_id: int):
    """Give an account a new generated password, shown once; they must change it."""
    account = one_or_404(queries.account(user_id))
    form = ResetPasswordForm()
    password = form.validate_on_submit() and attempt(form, lambda: services.reset_password(
        current_user, user_id, current_password=form.current_password.data))
    if password:
        return render_template("admin/password_shown.html", account=account, password=password,
                               heading="Password reset")
    return render_template("admin/reset_password.html", form=form, account=account), \
        form_status(form)


@blueprint.route("/users/<int:user_id>/deactivate", methods=["POST"])
@requires("manage_users")
def deactivate(user_id: int):
    """Deactivate an account: it can no longer sign in or use its tokens."""
    return _set_active(user_id, active=False)


@blueprint.route("/users/<int:user_id>/reactivate", methods=["POST"])
@requires("manage_users")
def reactivate(user_id: int):
    """Reactivate an account."""
    return _set_active(user_id, active=True)


def _set_active(user_id: int, *, active: bool):
    form = ButtonForm()
    if form.validate_on_submit():
        try:
            account = services.set_account_active(current_user, user_id, active)
        except InvalidValue as refusal:
            flash(refusal.message, "error")
        else:
            flash(f"{account.email} {'reactivated' if active else 'deactivated'}.", "success")
    return redirect(url_for(".user", user_id=user_id))


@blueprint.route("/users/<int:user_id>/tokens/<int:token_id>/revoke", methods=["POST"])
@requires("manage_users")
def revoke_token(user_id: int, token_id: int):
    """Revoke one of an account's API tokens."""
    if ButtonForm().validate_on_submit():
        token = services.revoke_api_token(current_user, token_id)
        flash(f"Token “{token.name}” revoked.", "success")
    return redirect(url_for(".user", user_id=user_id))


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
