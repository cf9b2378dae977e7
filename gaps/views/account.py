"""A person's own account: their settings, such as the daily e-mail digest."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from gaps import services
from gaps.forms import DigestPreferenceForm
from gaps.policy import requires
from gaps.views.helpers import attempt, form_status

blueprint = Blueprint("account", __name__, url_prefix="/account")


def _digest_form() -> DigestPreferenceForm:
    form = DigestPreferenceForm()
    if not form.is_submitted():
        form.receives_digest.data = ["yes"] if current_user.receives_digest else []
    return form


@blueprint.route("")
@requires("manage_own_account")
def index():
    """The account's settings."""
    return render_template("account/index.html", digest_form=_digest_form())


@blueprint.route("/digest", methods=["POST"])
@requires("manage_own_account")
def digest():
    """Turn the daily digest on or off."""
    form = _digest_form()
    if form.validate_on_submit() and attempt(form, lambda: services.set_digest_preference(
            current_user, "yes" in (form.receives_digest.data or []))):
        flash("Your daily e-mail is on." if "yes" in (form.receives_digest.data or [])
              else "Your daily e-mail is off: no digest will be sent to you.", "success")
        return redirect(url_for("account.index"))
    return render_template("account/index.html", digest_form=form), form_status(form)
