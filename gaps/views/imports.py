"""Importing an assessment and reviewing, paragraph by paragraph, the gaps it proposes."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from gaps import queries, services
from gaps.domain.errors import InvalidValue
from gaps.extensions import db
from gaps.forms import (
    AcceptCandidateForm,
    ButtonForm,
    ContinueGapForm,
    EditCandidateForm,
    MarkGapForm,
    MergeCandidateForm,
    UploadAssessmentForm,
)
from gaps.importer import DEFAULT_MAX_BYTES, ImportRefused
from gaps.models import Assessment, CandidateGap
from gaps.policy import requires
from gaps.uploads import read_upload
from gaps.views.helpers import attempt, form_status, one_or_404, page_number, reading_limits

blueprint = Blueprint("imports", __name__)


@blueprint.route("/assessments/import", methods=["GET", "POST"])
@requires("edit_content")
def upload():
    """Upload an assessment: the same reading as `flask import-assessment`."""
    form = UploadAssessmentForm()
    if form.validate_on_submit() and (assessment := attempt(
            form, lambda: _import(form.document.data, form.title.data or None))):
        flash(f"Imported “{assessment.title}”: review its proposed gaps.", "success")
        return redirect(url_for(".review", assessment_id=assessment.id))
    return render_template("imports/upload.html", form=form), form_status(form)


def _import(upload, title: str | None) -> Assessment:
    try:
        text, imported = read_upload(upload.read(DEFAULT_MAX_BYTES + 1), upload.filename or "",
                                     title, reading_limits())
    except ImportRefused as refusal:
        raise InvalidValue(f"{refusal}. Nothing was written.", field="document") from refusal
    return services.import_assessment(current_user, imported, full_text=text)


def _review_forms(assessment: Assessment, candidates: list[CandidateGap]) -> dict:
    forms = {}
    for candidate in candidates:
        if candidate.status != "proposed":
            continue
        accept = AcceptCandidateForm(prefix=f"accept-{candidate.id}", data={
            "version": candidate.version, "title": candidate.title,
            "statement": candidate.statement})
        accept.set_choices(assessment.key_judgements)
        merge = MergeCandidateForm(prefix=f"merge-{candidate.id}")
        merge.set_choices(db.session.execute(queries.merge_partners(candidate)).scalars())
        forms[candidate.id] = {
            "accept": accept, "merge": merge, "reject": ButtonForm(prefix=f"reject-{candidate.id}"),
            "edit": EditCandidateForm(prefix=f"edit-{candidate.id}", data={
                "version": candidate.version, "title": candidate.title,
                "statement": candidate.statement})}
    return forms


def _review_page(assessment: Assessment, publish_form: ButtonForm, status: int = 200):
    candidates = queries.page(queries.review_candidates(assessment.id), page_number(),
                              queries.REVIEW_PAGE_SIZE)
    earlier = db.session.execute(queries.earlier_versions(assessment)).scalars().first()
    dropped = db.session.execute(queries.gaps_not_carried_forward(assessment, earlier)
                                 ).scalars().all() if earlier else []
    return render_template(
        "imports/review.html", assessment=assessment, candidates=candidates,
        counts=queries.candidate_counts(assessment.id),
        undecided=queries.first_undecided(assessment.id) if status != 200 else None,
        forms=_review_forms(assessment, candidates.items), earlier=earlier, dropped=dropped,
        publish_form=publish_form, document_page_size=queries.DOCUMENT_PAGE_SIZE), status


@blueprint.route("/assessments/<int:assessment_id>/review")
@requires("edit_content")
def review(assessment_id: int):
    """An import's proposed gaps, those still to decide first, a page at a time, each to
    accept, edit, merge or reject; and the way to publish."""
    assessment = one_or_404(queries.assessment(assessment_id, current_user))
    return _review_page(assessment, ButtonForm(prefix="publish"))


@blueprint.route("/assessments/<int:assessment_id>/review/document")
@requires("edit_content")
def review_document(assessment_id: int):
    """The imported text a page of paragraphs at a time, proposed gaps highlighted, with a
    way to mark a gap by hand on any paragraph."""
    assessment = one_or_404(queries.assessment(assessment_id, current_user))
    paragraphs = queries.page(queries.paragraphs(assessment_id), page_number(),
                              queries.DOCUMENT_PAGE_SIZE)
    here = db.session.execute(queries.candidates_in([paragraph.id for paragraph in
                                                     paragraphs.items])).scalars().all()
    return render_template("imports/document.html", assessment=assessment,
                           paragraphs=paragraphs, candidates=here)


def _candidate_action(candidate_id: int, prefix: str, form_class, action, message: str,
                      choices=None):
    candidate = one_or_404(queries.candidate(candidate_id))
    form = form_class(prefix=f"{prefix}-{candidate_id}")
    if choices is not None:
        form.set_choices(choices(candidate))
    if form.validate_on_submit():
        action(form)
        flash(message, "success")
    else:
        flash(" ".join(error for errors in form.errors.values() for error in errors), "error")
    return redirect(url_for(".review", assessment_id=candidate.assessment_id,
                            _anchor="proposed-gaps"))


@blueprint.route("/candidates/<int:candidate_id>/accept", methods=["POST"])
@requires("edit_content")
def accept(candidate_id: int):
    """Accept a proposed gap (and optionally write its first requirement)."""
    return _candidate_action(candidate_id, "accept", AcceptCandidateForm, lambda form: (
        services.accept_candidate(current_user, candidate_id, form.loaded_version(),
                                  title=form.title.data, statement=form.statement.data,
                                  key_judgement_ids=form.key_judgements.data or [],
                                  theme=form.theme.data or "", question=form.question.data)),
        "Gap recorded.", choices=lambda candidate: candidate.paragraph.assessment.key_judgements)


@blueprint.route("/candidates/<int:candidate_id>/edit", methods=["POST"])
@requires("edit_content")
def edit(candidate_id: int):
    """Correct a proposed gap's title or statement."""
    return _candidate_action(candidate_id, "edit", EditCandidateForm, lambda form: (
        services.edit_candidate(current_user, candidate_id, form.loaded_version(),
                                title=form.title.data, statement=form.statement.data)),
        "Proposed gap saved.")


@blueprint.route("/candidates/<int:candidate_id>/merge", methods=["POST"])
@requires("edit_content")
def merge(candidate_id: int):
    """Merge another proposed gap into this one."""
    return _candidate_action(candidate_id, "merge", MergeCandidateForm, lambda form: (
        services.merge_candidates(current_user, candidate_id, form.other.data)),
        "Proposed gaps merged.", choices=_other_proposed)


def _other_proposed(candidate: CandidateGap) -> list[CandidateGap]:
    return list(db.session.execute(queries.merge_partners(candidate)).scalars())


@blueprint.route("/candidates/<int:candidate_id>/reject", methods=["POST"])
@requires("edit_content")
def reject(candidate_id: int):
    """Reject a proposed gap."""
    return _candidate_action(candidate_id, "reject", ButtonForm, lambda form: (
        services.reject_candidate(current_user, candidate_id)), "Proposed gap rejected.")


@blueprint.route("/paragraphs/<int:paragraph_id>/mark", methods=["GET", "POST"])
@requires("edit_content")
def mark(paragraph_id: int):
    """Propose a gap by hand on a paragraph the importer passed over."""
    paragraph = one_or_404(queries.paragraph(paragraph_id))
    form = MarkGapForm()
    if form.validate_on_submit() and attempt(form, lambda: services.mark_gap(
            current_user, paragraph_id, form.statement.data or "")):
        flash("Gap proposed on this paragraph: decide it with the other proposed gaps.",
              "success")
        return redirect(url_for(".review", assessment_id=paragraph.assessment_id,
                                _anchor="proposed-gaps"))
    return render_template("imports/mark.html", form=form, paragraph=paragraph,
                           document_page=paragraph.index // queries.DOCUMENT_PAGE_SIZE + 1
                           ), form_status(form)


@blueprint.route("/assessments/<int:assessment_id>/publish", methods=["POST"])
@requires("edit_content")
def publish(assessment_id: int):
    """Publish the assessment once every proposed gap has been dealt with."""
    assessment = one_or_404(queries.assessment(assessment_id, current_user))
    form = ButtonForm(prefix="publish")
    if form.validate_on_submit() and attempt(
            form, lambda: services.publish_assessment(current_user, assessment_id)):
        flash(f"“{assessment.title}” published: its gaps and requirements are now in every list "
              "and the register.", "success")
        return redirect(url_for("assessments.show", assessment_id=assessment_id))
    return _review_page(assessment, form, form_status(form))


@blueprint.route("/gaps/<int:gap_id>/continues", methods=["GET", "POST"])
@requires("edit_content")
def continues(gap_id: int):
    """Mark a gap as continuing a gap of an earlier assessment."""
    gap = one_or_404(queries.gap(gap_id, current_user))
    form = ContinueGapForm(data={"earlier": gap.continues_gap_id})
    form.set_choices(db.session.execute(queries.gaps_of_other_assessments(gap.assessment_id))
                     .scalars())
    if form.validate_on_submit() and attempt(form, lambda: services.continue_gap(
            current_user, gap_id, form.earlier.data)):
        flash(f"{gap.ref} recorded as continuing an earlier gap." if form.earlier.data
              else f"{gap.ref} no longer continues an earlier gap.", "success")
        return redirect(url_for("gaps.show", gap_id=gap_id))
    return render_template("gaps/continues.html", form=form, gap=gap), form_status(form)

