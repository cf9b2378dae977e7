"""API: the priority register, its snapshots, decisions, diffs and exports."""

from flask import abort
from flask_login import current_user
from flask_smorest import Blueprint

from gaps import queries, reports, services
from gaps.api.common import action_drafts, cached_json, envelope, one_or_404, paged
from gaps.api.schemas import (
    DecisionSchema,
    DiffArgs,
    DiffSchema,
    PageArgs,
    RankOverrideSchema,
    RegisterArgs,
    RegisterExportArgs,
    RegisterItemSchema,
    RequirementSchema,
    SnapshotCreateSchema,
    SnapshotDecisionSchema,
    SnapshotDetailSchema,
    SnapshotPageArgs,
    SnapshotSchema,
    page_of,
)
from gaps.downloads import send_export
from gaps.policy import requires

blueprint = Blueprint("api_register", __name__, description="The priority register")


def _filters(arguments: dict) -> queries.RegisterFilters:
    return queries.RegisterFilters(
        key_judgement_id=arguments.get("key_judgement_id"), theme=arguments.get("theme"),
        owner_team_id=arguments.get("owner_team_id"), status=arguments.get("status"),
        overdue=arguments.get("overdue", False), text=arguments.get("q"))


@blueprint.route("/register")
@requires("read_register")
@blueprint.arguments(RegisterArgs, location="query")
@blueprint.response(200, page_of(RegisterItemSchema))
def register(arguments):
    """Open requirements ranked by priority, with each score's breakdown."""
    def answer() -> dict:
        state = services.current_register()
        return envelope(queries.register_page(
            _filters(arguments), state.today, state.settings, queries.latest_snapshot_id(),
            arguments["page"], arguments["per_page"]))

    return cached_json(page_of(RegisterItemSchema)(), answer)


@blueprint.route("/register/export")
@requires("export")
@blueprint.arguments(RegisterExportArgs, location="query")
@blueprint.response(200, description="The file: CSV, XLSX, PDF or JSON")
def export(arguments):
    """Every filtered row of the register as a file (the same filters as the list)."""
    today = services.current_register().today
    charts = reports.register_charts(today) if arguments["format"] == "pdf" else ()
    return send_export(reports.register_table(_filters(arguments), today, arguments["format"]),
                       arguments["format"],
                       "priority register", charts)


@blueprint.route("/register/snapshots")
@requires("read_register")
@blueprint.arguments(PageArgs, location="query")
@blueprint.response(200, page_of(SnapshotSchema))
def list_snapshots(arguments):
    """Every snapshot, newest first."""
    return paged(queries.snapshots(), arguments)


@blueprint.route("/register/snapshots", methods=["POST"])
@requires("take_snapshot")
@blueprint.arguments(SnapshotCreateSchema)
@blueprint.response(201, SnapshotSchema)
def take_snapshot(values):
    """Freeze the register as it stands now."""
    return services.take_snapshot(current_user, values["title"])


@blueprint.route("/register/snapshots/<int:snapshot_id>")
@requires("read_register")
@blueprint.arguments(SnapshotPageArgs, location="query")
@blueprint.response(200, SnapshotDetailSchema)
def get_snapshot(arguments, snapshot_id: int):
    """One snapshot with a page of its frozen rows (200 a page unless `per_page` says less)."""
    return queries.snapshot_page(one_or_404(queries.snapshot(snapshot_id)), arguments["page"],
                                 arguments["per_page"])


@blueprint.route("/register/snapshots/<int:snapshot_id>/decision", methods=["POST"])
@requires("decide_snapshot")
@blueprint.arguments(DecisionSchema)
@blueprint.response(200, SnapshotDecisionSchema)
def decide(values, snapshot_id: int):
    """Record the governance group's decision: approved, or returned with a direction and at
    least one action (`actions`); the snapshot is answered with its actions."""
    decided = services.decide_snapshot(current_user, snapshot_id, values["decision"],
                                       values["direction"], action_drafts(values["actions"]))
    return queries.with_actions(decided)


@blueprint.route("/register/snapshots/<int:snapshot_id>/diff")
@requires("read_register")
@blueprint.arguments(DiffArgs, location="query")
@blueprint.response(200, DiffSchema)
def diff(arguments, snapshot_id: int):
    """What changed since the snapshot: against `?against=<id>`, or the register now."""
    earlier = one_or_404(queries.snapshot(snapshot_id))
    comparison = queries.compare_snapshot(earlier, arguments.get("against"))
    if comparison is None:
        abort(404, "There is no snapshot to compare with.")
    return {"snapshot_id": comparison.earlier.id,
            "against": comparison.later.id if comparison.later else None,
            "against_label": comparison.later_label, "unchanged": comparison.diff.unchanged,
            "counts": comparison.diff.counts(), "changes": comparison.diff.changes}


@blueprint.route("/requirements/<int:requirement_id>/rank-override", methods=["PUT"])
@requires("override_rank")
@blueprint.arguments(RankOverrideSchema)
@blueprint.response(200, RequirementSchema)
def override_rank(values, requirement_id: int):
    """Pin the requirement at a rank with a rationale (a null rank clears it)."""
    return services.override_rank(current_user, requirement_id, values["version"],
                                  values["rank"], values["rationale"])
