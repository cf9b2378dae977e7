"""Assessments and their key judgements."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from gaps import queries, services
from gaps.extensions import db
from gaps.forms import KeyJudgementForm
from gaps.policy import can, requires
from gaps.views.helpers import attempt, form_status, one_or_404, page_number, page_size

blueprint = Blueprint("assessments", __name__)


@blueprint.route("/")
@requires("read_requirements")
def home():
    """Send each user to where their work starts."""
    if can(current_user, "view_dashboard"):
        return redirect(url_for("requirements.dashboard"))
    if can(current_user, "read_register"):
        return redirect(url_for("register.index"))
    return redirect(url_for("requirements.index"))


@blueprint.route("/assessments")
@requires("read_assessments")
def index():
    """Every assessment; with only one, go straight to it."""
    found = db.session.execute(queries.assessments(current_user)).scalars().all()
    if len(found) == 1:
        return redirect(url_for("assessments.show", assessment_id=found[0].id))
    return render_template("assessments/index.html", assessments=found)


@blueprint.route("/assessments/<int:assessment_id>")
@requires("read_assessments")
def show(assessment_id: int):
    """An assessment's metadata and its key judgements with their gap counts."""
    assessment = one_or_404(queries.assessment(assessment_id, current_user))
    judgements = db.session.execute(queries.key_judgement_gap_counts(assessment_id)).all()
    return render_template("assessments/show.html", assessment=assessment, judgements=judgements)


@blueprint.route("/key-judgements/<int:key_judgement_id>")
@requires("read_assessments")
def key_judgement(key_judgement_id: int):
    """A key judgement and the gaps that undermine it."""
    judgement = one_or_404(queries.key_judgement(key_judgement_id, current_user))
    gaps = queries.page(queries.key_judgement_gaps(key_judgement_id), page_number(),
                        page_size())
    return render_template("assessments/key_judgement.html", judgement=judgement, gaps=gaps)


@blueprint.route("/key-judgements/<int:key_judgement_id>/edit", methods=["GET", "POST"])
@requires("edit_content")
def edit_key_judgement(key_judgement_id: int):
    """Reword a key judgement; its requirements are then flagged for review."""
    judgement = one_or_404(queries.key_judgement(key_judgement_id, current_user))
    form = KeyJudgementForm(obj=judgement)
    if form.validate_on_submit() and attempt(form, lambda: services.update_key_judgement(
            current_user, key_judgement_id, form.loaded_version(), text=form.text.data,
            likelihood=form.likelihood.data, confidence=form.confidence.data)):
        flash(f"Key judgement {judgement.number} saved.", "success")
        return redirect(url_for(".key_judgement", key_judgement_id=key_judgement_id))
    return render_template("assessments/edit_key_judgement.html", form=form,
                           judgement=judgement), form_status(form)
