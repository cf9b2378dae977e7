"""Gaps: the list with its filters, and one gap."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from gaps import queries, reports, services
from gaps.domain.similarity import gap_text
from gaps.downloads import send_export
from gaps.forms import (
    ButtonForm,
    EditGapForm,
    GapFilterForm,
    LinkKeyJudgementForm,
    NewGapForm,
)
from gaps.policy import requires
from gaps.views.helpers import (
    HISTORY_PAGE_SIZE,
    argument_id,
    attempt,
    form_status,
    history_page,
    one_or_404,
    optional_int,
    page_number,
    page_size,
)

blueprint = Blueprint("gaps", __name__)


def _list_filters() -> tuple[GapFilterForm, queries.GapFilters]:
    form = GapFilterForm(request.args)
    form.set_choices(queries.filter_choices())
    if not form.validate():
        return form, queries.GapFilters()
    return form, queries.GapFilters(key_judgement_id=optional_int(form.key_judgement.data),
                                    theme=form.theme.data or None, text=form.q.data or None,
                                    without_requirement=form.without_requirement.data == "yes")


@blueprint.route("/gaps")
@requires("read_assessments")
def index():
    """Gaps, filtered by key judgement, theme and words."""
    form, filters = _list_filters()
    results = queries.page(queries.gaps(filters), page_number(), page_size())
    return render_template("gaps/index.html", form=form, results=results)


@blueprint.route("/gaps/export")
@requires("export")
def export():
    """The filtered gap list, every row, as CSV, XLSX, PDF or JSON."""
    _, filters = _list_filters()
    return send_export(reports.gaps_table(filters), request.args.get("format"), "gap list")


@blueprint.route("/gaps/<int:gap_id>")
@requires("read_assessments")
def show(gap_id: int):
    """A gap: its statement, paragraphs, key judgements, requirements and history."""
    gap = one_or_404(queries.gap(gap_id, current_user))
    link_form = LinkKeyJudgementForm()
    link_form.set_choices([judgement for judgement in gap.assessment.key_judgements
                           if judgement not in gap.key_judgements])
    return render_template(
        "gaps/show.html", gap=gap, link_form=link_form, unlink_form=ButtonForm(),
        lineage=queries.gap_lineage(gap),
        history=queries.slice_of(queries.history("gap", gap_id), history_page(),
                                 HISTORY_PAGE_SIZE))


@blueprint.route("/gaps/new", methods=["GET", "POST"])
@requires("edit_content")
def new():
    """Record a gap of an assessment (`?assessment_id=`)."""
    assessment = one_or_404(queries.assessment(argument_id("assessment_id") or 0, current_user))
    form = NewGapForm()
    form.set_choices(assessment.key_judgements)
    similar = []
    if form.validate_on_submit():
        # The first save shows similar open gaps instead; saving anyway is a choice.
        if not form.save_anyway.data:
            similar = queries.similar_gaps(gap_text(form.title.data, form.statement.data),
                                           assessment_id=assessment.id)
        if not similar and (gap := attempt(form, lambda: services.create_gap(
                current_user, assessment_id=assessment.id,
                key_judgement_ids=form.key_judgements.data, saved_anyway=form.save_anyway.data,
                **form.values()))):
            flash(f"Gap {gap.ref} recorded.", "success")
            return redirect(url_for(".show", gap_id=gap.id))
    return render_template("gaps/new.html", form=form, assessment=assessment,
                           similar=similar), form_status(form)


@blueprint.route("/gaps/<int:gap_id>/edit", methods=["GET", "POST"])
@requires("edit_content")
def edit(gap_id: int):
    """Edit a gap's reference, title, statement, paragraphs, section and theme."""
    gap = one_or_404(queries.gap(gap_id, current_user))
    form = EditGapForm(data={**{name: getattr(gap, name) for name in EditGapForm.FIELDS},
                             "paragraphs": ", ".join(map(str, gap.paragraphs)),
                             "version": gap.version})
    if form.validate_on_submit() and attempt(form, lambda: services.update_gap(
            current_user, gap_id, form.loaded_version(), form.values())):
        flash(f"{form.ref.data} saved.", "success")
        return redirect(url_for(".show", gap_id=gap_id))
    return render_template("gaps/edit.html", form=form, gap=gap), form_status(form)


@blueprint.route("/gaps/<int:gap_id>/key-judgements", methods=["POST"])
@requires("edit_content")
def link(gap_id: int):
    """Link a gap to a key judgement it undermines."""
    gap = one_or_404(queries.gap(gap_id, current_user))
    form = LinkKeyJudgementForm()
    form.set_choices(gap.assessment.key_judgements)
    if form.validate_on_submit():
        services.link_key_judgement(current_user, gap_id, form.key_judgement.data)
        flash("Key judgement linked.", "success")
    return redirect(url_for(".show", gap_id=gap_id))


@blueprint.route("/gaps/<int:gap_id>/key-judgements/<int:key_judgement_id>/unlink",
                 methods=["POST"])
@requires("edit_content")
def unlink(gap_id: int, key_judgement_id: int):
    """Remove a gap's link to a key judgement."""
    if ButtonForm().validate_on_submit():
        services.link_key_judgement(current_user, gap_id, key_judgement_id, linked=False)
        flash("Key judgement unlinked.", "success")
    return redirect(url_for(".show", gap_id=gap_id))
