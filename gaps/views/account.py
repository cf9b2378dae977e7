"""One's own account: password, API tokens and the daily e-mail."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_user

from gaps import queries, services
from gaps.forms import ApiTokenForm, ButtonForm, ChangePasswordForm, DigestPreferenceForm
from gaps.policy import requires
from gaps.views.helpers import attempt, form_status, page_number, page_size

blueprint = Blueprint("account", __name__, url_prefix="/account")


@blueprint.route("")
@requires("manage_own_account")
def show():
    """Who I am, my API tokens with a button to revoke each, and my daily e-mail setting."""
    return _account_page(_digest_form())


def _account_page(digest_form: DigestPreferenceForm):
    tokens = queries.slice_of(queries.api_tokens_of(current_user.id), page_number(), page_size())
    return render_template("account/show.html", account=current_user, tokens=tokens,
                           revoke_form=ButtonForm(), digest_form=digest_form)


def _digest_form() -> DigestPreferenceForm:
    form = DigestPreferenceForm()
    if not form.is_submitted():
        form.receives_digest.data = ["yes"] if current_user.receives_digest else []
    return form


@blueprint.route("/digest", methods=["POST"])
@requires("manage_own_account")
def digest():
    """Turn the daily digest on or off."""
    form = _digest_form()
    wanted = "yes" in (form.receives_digest.data or [])
    if form.validate_on_submit() and attempt(
            form, lambda: services.set_digest_preference(current_user, wanted)):
        flash("Your daily e-mail is on." if wanted
              else "Your daily e-mail is off: no digest will be sent to you.", "success")
        return redirect(url_for(".show"))
    return _account_page(form), form_status(form)


@blueprint.route("/tokens/new", methods=["GET", "POST"])
@requires("manage_own_account")
def new_token():
    """Make an API token (after the password again); its secret is shown on this page once."""
    form = ApiTokenForm()
    made = form.validate_on_submit() and attempt(form, lambda: services.create_api_token(
        current_user, current_user.id, name=form.name.data, scope=form.scope.data,
        expires_days=form.expires_days.data, current_password=form.current_password.data))
    if made:
        token, secret = made
        # Rendered, never flashed: a flashed message would sit in the (signed, not encrypted)
        # session cookie.
        return render_template("account/token_made.html", token=token, secret=secret,
                               back=url_for(".show"))
    return render_template("account/new_token.html", form=form,
                           default_days=current_app.config["GAPS_TOKEN_DAYS"]), form_status(form)


@blueprint.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@requires("manage_own_account")
def revoke_token(token_id: int):
    """Revoke one of my tokens."""
    if ButtonForm().validate_on_submit():
        token = services.revoke_api_token(current_user, token_id)
        flash(f"Token “{token.name}” revoked: it no longer opens the API.", "success")
    return redirect(url_for(".show"))


@blueprint.route("/password", methods=["GET", "POST"])
@requires("manage_own_account")
def password():
    """Change my password: the current one first; my other sessions end."""
    form = ChangePasswordForm()
    changed = form.validate_on_submit() and attempt(form, lambda: services.change_own_password(
        current_user, current_password=form.current_password.data, new=form.new_password.data,
        revoke_tokens=form.revoke_tokens.data))
    if changed:
        login_user(changed)  # the session token rotated: this browser carries the new one
        flash("Password changed. You were signed out everywhere else"
              + (", and your API tokens were revoked." if form.revoke_tokens.data else "."),
              "success")
        return redirect(url_for(".show"))
    return render_template("account/password.html", form=form,
                           must_change=current_user.must_change_password), form_status(form)
