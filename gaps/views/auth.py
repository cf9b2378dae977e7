"""Signing in and out."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from gaps import services
from gaps.domain.navigation import is_own_page
from gaps.extensions import limiter
from gaps.forms import SignInForm, SignOutForm
from gaps.policy import public, requires

blueprint = Blueprint("auth", __name__)


def _login_rate_limit() -> str:
    return current_app.config["GAPS_LOGIN_RATE_LIMIT"]


@blueprint.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
@public
def login():
    """Ask for e-mail and password; on success go where the user was heading."""
    form = SignInForm()
    if form.validate_on_submit():
        try:
            user = services.sign_in(form.email.data, form.password.data)
        except services.SignInRefused as refusal:
            form.email.errors.append(refusal.message)
        else:
            login_user(user)
            target = request.args.get("next")
            return redirect(target if is_own_page(target) else url_for("assessments.home"))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 400


@blueprint.route("/sign-out", methods=["POST"])
@requires("sign_out")
def logout():
    """End this and every other session of the user."""
    if SignOutForm().validate_on_submit():
        services.sign_out(current_user)
        logout_user()
        flash("You have signed out.", "success")
    return redirect(url_for("auth.login"))
