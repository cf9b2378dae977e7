"""Requirements: lists (need to know for collectors), the page, editing, tasking, collection."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from gaps import page_cache, queries, reports, services
from gaps.domain.status import available_transitions, done_message, find_transition
from gaps.downloads import send_export
from gaps.extensions import db
from gaps.forms import (
    ClearFlagForm,
    ConfirmMoveForm,
    ContributionForm,
    EditRequirementForm,
    RequirementFilterForm,
    RequirementForm,
    TaskForm,
    TransitionForm,
)
from gaps.models import Requirement
from gaps.policy import can, requires
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

blueprint = Blueprint("requirements", __name__)


def _load(requirement_id: int) -> Requirement:
    return one_or_404(queries.requirement(current_user, requirement_id))


def _choices():
    return (db.session.execute(queries.teams()).scalars().all(),
            db.session.execute(queries.sources()).scalars().all())


@blueprint.route("/requirements")
@requires("read_requirements")
def index():
    """The requirements this user may see, filtered by status, team and words."""
    form, filters = _list_filters()
    results = queries.page(queries.requirements(current_user, filters), page_number(),
                           page_size())
    return render_template("requirements/index.html", form=form, results=results)


def _list_filters() -> tuple[RequirementFilterForm, queries.RequirementFilters]:
    form = RequirementFilterForm(request.args)
    form.set_choices(db.session.execute(queries.teams()).scalars())
    if not form.validate():
        return form, queries.RequirementFilters()
    return form, queries.RequirementFilters(status=form.status.data or None,
                                            owner_team_id=optional_int(form.team.data),
                                            text=form.q.data or None, due=form.due.data or None)


@blueprint.route("/requirements/export")
@requires("export")
def export():
    """The filtered requirement list, every row, as CSV, XLSX, PDF or JSON."""
    _, filters = _list_filters()
    return send_export(reports.requirements_table(current_user, filters),
                       request.args.get("format"), "requirement list")


@blueprint.route("/requirements/<int:requirement_id>")
@requires("read_requirements")
@page_cache.cached_page
def show(requirement_id: int):
    """One requirement with its contributions, child questions, moves and history."""
    requirement = _load(requirement_id)
    return render_template(
        "requirements/show.html", requirement=requirement,
        links=queries.requirement_links(
            current_user, requirement,
            with_proposals=can(current_user, "triage_report", requirement)),
        score=queries.requirement_score(requirement),
        contributions=db.session.execute(queries.contributions(requirement_id)).scalars().all(),
        history=queries.slice_of(queries.history("requirement", requirement_id),
                                 history_page(), HISTORY_PAGE_SIZE),
        transitions=available_transitions(requirement.status, current_user.role),
        transition_form=TransitionForm(data={"version": requirement.version}),
        flag_form=ClearFlagForm(data={"version": requirement.version}),
    )


@blueprint.route("/requirements/new", methods=["GET", "POST"])
@requires("edit_content")
def new():
    """Write a requirement for a gap (`?gap_id=`) or a child question (`?parent_id=`)."""
    gap_id, parent_id = argument_id("gap_id"), argument_id("parent_id")
    parent = _load(parent_id) if parent_id else None
    gap = parent.gap if parent else one_or_404(queries.gap(gap_id or 0, current_user))
    form = RequirementForm()
    similar = []
    if form.validate_on_submit():
        # The first save shows similar open requirements instead; saving anyway is a choice.
        if not form.save_anyway.data:
            similar = queries.similar_requirements(
                current_user, form.question.data, gap_id=gap.id,
                exclude_ids=queries.question_lineage_ids(parent))
        if not similar and (created := attempt(form, lambda: services.create_requirement(
                current_user, gap_id=gap.id, parent_id=parent_id, question=form.question.data,
                rationale=form.rationale.data or "", marking=form.marking.data,
                saved_anyway=form.save_anyway.data))):
            flash(f"Requirement {created.ref} written as a draft.", "success")
            return redirect(url_for(".show", requirement_id=created.id))
    return render_template("requirements/new.html", form=form, gap=gap, parent=parent,
                           similar=similar), form_status(form)


@blueprint.route("/requirements/<int:requirement_id>/edit", methods=["GET", "POST"])
@requires("edit_content")
def edit(requirement_id: int):
    """Edit a requirement's question, rationale, marking, tasking and priority dimensions."""
    requirement = _load(requirement_id)
    form = EditRequirementForm(data={**EditRequirementForm.initial(requirement.editable_values()),
                                     "version": requirement.version})
    form.set_choices(*_choices())
    if form.validate_on_submit() and attempt(form, lambda: services.update_requirement(
            current_user, requirement_id, form.loaded_version(), form.changes())):
        flash(f"{requirement.ref} saved.", "success")
        return redirect(url_for(".show", requirement_id=requirement_id))
    return render_template("requirements/edit.html", form=form,
                           requirement=requirement), form_status(form)


@blueprint.route("/requirements/<int:requirement_id>/task", methods=["GET", "POST"])
@requires("edit_content")
def task(requirement_id: int):
    """Task a draft requirement to a team, with sources and a latest time of value."""
    requirement = _load(requirement_id)
    values = requirement.editable_values()
    form = TaskForm(data={"version": requirement.version, **{
        name: values[name] for name in ("owner_team", "sources", "ltiov", "review_date")}})
    form.set_choices(*_choices())
    if form.validate_on_submit() and attempt(form, lambda: services.task_requirement(
            current_user, requirement_id, form.loaded_version(), owner_team=form.owner_team.data,
            sources=form.sources.data, ltiov=form.ltiov.data, review_date=form.review_date.data)):
        flash(f"{requirement.ref} tasked to {form.owner_team.data}.", "success")
        return redirect(url_for(".show", requirement_id=requirement_id))
    return render_template("requirements/task.html", form=form,
                           requirement=requirement), form_status(form)


@blueprint.route("/requirements/<int:requirement_id>/transition", methods=["POST"])
@requires("transition_requirement")
def transition(requirement_id: int):
    """Move a requirement to another status; a refusal is explained on the page."""
    form = TransitionForm()
    if form.validate_on_submit():
        before = _load(requirement_id).status
        moved = services.transition_requirement(current_user, requirement_id, form.target.data,
                                                form.reason.data, form.loaded_version())
        flash(done_message(find_transition(before, moved.status), moved.ref), "success")
    return redirect(url_for(".show", requirement_id=requirement_id))


@blueprint.route("/requirements/<int:requirement_id>/moves/<target>", methods=["GET", "POST"])
@requires("transition_requirement")
def confirm_move(requirement_id: int, target: str):
    """A move that is hard to undo (cancel, propose satisfied): what it will do, and why."""
    requirement = _load(requirement_id)
    move = next((move for move in available_transitions(requirement.status, current_user.role)
                 if move.target == target and move.needs_confirmation), None)
    if move is None:
        abort(404)
    form = ConfirmMoveForm(data={"version": requirement.version})
    if form.validate_on_submit() and attempt(form, lambda: services.transition_requirement(
            current_user, requirement_id, target, form.reason.data, form.loaded_version())):
        flash(done_message(move, requirement.ref), "success")
        return redirect(url_for(".show", requirement_id=requirement_id))
    return render_template("requirements/confirm_move.html", form=form, move=move,
                           requirement=requirement), form_status(form)


@blueprint.route("/requirements/<int:requirement_id>/contributions/new",
                 methods=["GET", "POST"])
@requires("record_contribution")
def contribute(requirement_id: int):
    """Record what was found against a requirement, graded 3x5x2."""
    requirement = _load(requirement_id)
    form = ContributionForm()
    form.set_choices(_choices()[1])
    if form.validate_on_submit() and attempt(form, lambda: services.record_contribution(
            current_user, requirement_id, **form.values())):
        flash(f"Contribution recorded against {requirement.ref}.", "success")
        return redirect(url_for(".show", requirement_id=requirement_id))
    return render_template("requirements/contribute.html", form=form,
                           requirement=requirement), form_status(form)


@blueprint.route("/requirements/<int:requirement_id>/clear-flag", methods=["POST"])
@requires("edit_content")
def clear_flag(requirement_id: int):
    """Say a requirement has been reviewed since its key judgement changed."""
    form = ClearFlagForm()
    if form.validate_on_submit():
        services.clear_key_judgement_flag(current_user, requirement_id, form.loaded_version())
        flash("Flag cleared.", "success")
    return redirect(url_for(".show", requirement_id=requirement_id))


@blueprint.route("/dashboard")
@requires("view_dashboard")
@page_cache.cached_page
def dashboard():
    """A manager's overview of what needs doing, or a collector's team tasks."""
    if current_user.role == "collector":
        return render_template("requirements/collector_dashboard.html",
                               **queries.collector_dashboard(current_user))
    return render_template("requirements/manager_dashboard.html",
                           **queries.manager_dashboard(current_user))


