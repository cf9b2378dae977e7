"""The priority register: ranked list, snapshots, decisions, diffs, traceability, exports."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from gaps import page_cache, queries, reports, services
from gaps.domain.actions import actions_added_message, decision_message
from gaps.domain.priority import DIMENSION_LABELS, SCALE_WORDS
from gaps.domain.register import coverage_of_counts, group_rows
from gaps.downloads import send_export
from gaps.extensions import db
from gaps.forms import (
    ActionRowsForm,
    AddActionsForm,
    DecisionForm,
    OverrideRankForm,
    RegisterFilterForm,
    SnapshotForm,
)
from gaps.models import utcnow
from gaps.policy import can, requires
from gaps.views.helpers import (
    argument_id,
    attempt,
    form_status,
    one_or_404,
    optional_int,
    page_number,
    page_size,
)

blueprint = Blueprint("register", __name__, url_prefix="/register")


def _filters() -> tuple[RegisterFilterForm, queries.RegisterFilters]:
    form = RegisterFilterForm(request.args)
    form.set_choices(queries.filter_choices())
    if not form.validate():
        return form, queries.RegisterFilters()
    return form, queries.RegisterFilters(
        key_judgement_id=optional_int(form.key_judgement.data), theme=form.theme.data or None,
        owner_team_id=optional_int(form.team.data), status=form.status.data or None,
        overdue=form.overdue.data == "yes", text=form.q.data or None)


@blueprint.route("")
@requires("read_register")
@page_cache.cached_page
def index():
    """Open requirements ranked by priority, filtered, grouped and paginated."""
    form, filters = _filters()
    register = services.current_register()
    latest = db.session.execute(queries.latest_snapshot()).scalar_one_or_none()
    results = queries.register_page(filters, register.today, None, latest.id if latest else None,
                                    page_number(), page_size(), request.args.get("sort", "rank"),
                                    detail=form.group.data == "key_judgement")
    return render_template(
        "register/index.html", form=form, results=results, today=register.today,
        groups=group_rows(results.items, form.group.data), labels=DIMENSION_LABELS,
        charts=reports.CHARTS, latest=latest)


@blueprint.route("/charts/<name>.svg")
@requires("read_register")
def chart(name: str):
    """One of the register's charts, drawn as SVG from figures the database counts."""
    if name not in reports.CHARTS:
        abort(404)
    response = Response(reports.register_chart(name, services.current_register().today),
                        mimetype="image/svg+xml")
    # The drawing's own styles are inline; it has no script, and may load nothing.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@blueprint.route("/export")
@requires("export")
def export():
    """The register, every filtered row, as CSV, XLSX, PDF or JSON."""
    _, filters = _filters()
    today = services.current_register().today
    charts = reports.register_charts(today) if request.args.get("format") == "pdf" else ()
    return send_export(reports.register_table(filters, today, request.args.get("format")),
                       request.args.get("format"),
                       "priority register", charts)


@blueprint.route("/how-scores-are-made")
@requires("read_register")
def method():
    """The scoring method in plain words, with the weights in force."""
    return render_template("register/method.html", settings=queries.scoring_settings(),
                           labels=DIMENSION_LABELS, scales=SCALE_WORDS)


@blueprint.route("/snapshots")
@requires("read_register")
def snapshots():
    """Every snapshot, newest first, with the group's decisions."""
    return render_template("register/snapshots.html", form=SnapshotForm(),
                           snapshots_page=queries.page(queries.snapshots(), page_number(),
                                                       page_size()))


@blueprint.route("/snapshots", methods=["POST"])
@requires("take_snapshot")
def take_snapshot():
    """Freeze the register as it stands, for the governance group."""
    form = SnapshotForm()
    if form.validate_on_submit() and (taken := attempt(
            form, lambda: services.take_snapshot(current_user, form.title.data))):
        flash(f"Snapshot “{taken.title}” taken: {taken.row_count} requirements.", "success")
        return redirect(url_for(".snapshot", snapshot_id=taken.id))
    return render_template("register/snapshots.html", form=form,
                           snapshots_page=queries.page(queries.snapshots(), 1, page_size())
                           ), form_status(form)


def _snapshot_page(taken, form: ActionRowsForm, status: int = 200, page: int = 1):
    """A snapshot's page: its decision (or the form for it), its actions (and the form to add
    more), and a page of its frozen rows."""
    action = "add_action" if taken.decision else "decide_snapshot"
    if can(current_user, action) and form.row_field(1, "owner").choices is None:
        form.set_owner_choices(queries.action_owner_choices())
    return render_template(
        "register/snapshot.html", snapshot=taken, form=form, form_action=action,
        actions=db.session.execute(queries.snapshot_actions(taken.id)).scalars().all(),
        today=utcnow().date(),
        rows=queries.page(queries.snapshot_rows(taken.id), page, page_size()),
        others=db.session.execute(queries.recent_snapshots()).scalars().all()), status


@blueprint.route("/snapshots/<int:snapshot_id>")
@requires("read_register")
def snapshot(snapshot_id: int):
    """A snapshot exactly as it was taken, the group's decision on it and its actions."""
    taken = one_or_404(queries.snapshot(snapshot_id))
    return _snapshot_page(taken, AddActionsForm() if taken.decision else DecisionForm(),
                          page=page_number())


@blueprint.route("/snapshots/<int:snapshot_id>/decision", methods=["POST"])
@requires("decide_snapshot")
def decide(snapshot_id: int):
    """Record the governance group's decision on a snapshot, with the actions it directs."""
    taken = one_or_404(queries.snapshot(snapshot_id))
    form = DecisionForm()
    form.set_owner_choices(queries.action_owner_choices())
    if form.validate_on_submit() and attempt(form, lambda: services.decide_snapshot(
            current_user, snapshot_id, form.decision.data, form.direction.data,
            form.drafts())):
        flash(decision_message(form.decision.data, len(form.drafts())), "success")
        return redirect(url_for(".snapshot", snapshot_id=snapshot_id))
    return _snapshot_page(taken, form, form_status(form))


@blueprint.route("/snapshots/<int:snapshot_id>/actions", methods=["POST"])
@requires("add_action")
def add_actions(snapshot_id: int):
    """Add actions to a snapshot the group has decided on."""
    taken = one_or_404(queries.snapshot(snapshot_id))
    form = AddActionsForm()
    form.set_owner_choices(queries.action_owner_choices())
    if form.validate_on_submit() and (added := attempt(form, lambda: services.add_actions(
            current_user, snapshot_id, form.drafts()))):
        flash(actions_added_message(len(added), taken.title), "success")
        return redirect(url_for(".snapshot", snapshot_id=snapshot_id, _anchor="actions"))
    return _snapshot_page(taken, form, form_status(form))


@blueprint.route("/snapshots/<int:snapshot_id>/export")
@requires("export")
def export_snapshot(snapshot_id: int):
    """A snapshot as CSV, XLSX, PDF or JSON."""
    taken = one_or_404(queries.snapshot(snapshot_id))
    return send_export(reports.snapshot_table(taken, request.args.get("format")),
                       request.args.get("format"),
                       f"snapshot {taken.id}: {taken.title}")


@blueprint.route("/snapshots/<int:snapshot_id>/diff")
@requires("read_register")
def diff(snapshot_id: int):
    """What changed between this snapshot and another one (`?against=`), or now."""
    taken = one_or_404(queries.snapshot(snapshot_id))
    comparison = queries.compare_snapshot(taken, argument_id("against"))
    if comparison is None:
        abort(404)
    return render_template("register/diff.html", comparison=comparison,
                           earlier=comparison.earlier)


@blueprint.route("/traceability")
@requires("read_register")
def traceability():
    """Key judgement × gap × requirement, with coverage; gaps with no requirement."""
    judgements = [(row, coverage_of_counts(row.gaps, row.requirements, row.answered,
                                           row.unanswered)) for row in queries.traceability()]
    return render_template("register/traceability.html", judgements=judgements,
                           orphans=queries.count_gaps_without_requirements())


@blueprint.route("/requirements/<int:requirement_id>/override", methods=["GET", "POST"])
@requires("override_rank")
def override(requirement_id: int):
    """Pin a requirement at a rank, with the written rationale the group will see."""
    requirement = one_or_404(queries.requirement(current_user, requirement_id))
    form = OverrideRankForm(data={"version": requirement.version,
                                  "rank": requirement.rank_override,
                                  "rationale": requirement.rank_override_rationale})
    if form.validate_on_submit() and attempt(form, lambda: services.override_rank(
            current_user, requirement_id, form.loaded_version(), form.rank.data,
            form.rationale.data)):
        flash(f"Rank of {requirement.ref} saved.", "success")
        return redirect(url_for(".index"))
    return render_template("register/override.html", form=form,
                           requirement=requirement), form_status(form)
