"""API: gaps, and their links to key judgements."""

from flask_login import current_user
from flask_smorest import Blueprint

from gaps import queries, services
from gaps.api.common import one_or_404, paged
from gaps.api.schemas import (
    GapCreatedSchema,
    GapCreateSchema,
    GapListArgs,
    GapPatchSchema,
    GapSchema,
    page_of,
)
from gaps.policy import requires

blueprint = Blueprint("api_gaps", __name__, description="Intelligence gaps")


@blueprint.route("/gaps")
@requires("read_assessments")
@blueprint.arguments(GapListArgs, location="query")
@blueprint.response(200, page_of(GapSchema))
def list_gaps(arguments):
    """Gaps, filtered by assessment, key judgement, theme or words."""
    filters = queries.GapFilters(assessment_id=arguments.get("assessment_id"),
                                 key_judgement_id=arguments.get("key_judgement_id"),
                                 theme=arguments.get("theme"), text=arguments.get("q"))
    return paged(queries.gaps(filters), arguments)


@blueprint.route("/gaps", methods=["POST"])
@requires("edit_content")
@blueprint.arguments(GapCreateSchema)
@blueprint.response(201, GapCreatedSchema)
def create_gap(values):
    """Record a gap an assessment admits; `similar` lists open gaps that read like it (never
    blocking: it is saved either way)."""
    return services.create_gap(current_user, **values)


@blueprint.route("/gaps/<int:gap_id>")
@requires("read_assessments")
@blueprint.response(200, GapSchema)
def get_gap(gap_id: int):
    """One gap."""
    return one_or_404(queries.gap(gap_id, current_user))


@blueprint.route("/gaps/<int:gap_id>", methods=["PATCH"])
@requires("edit_content")
@blueprint.arguments(GapPatchSchema)
@blueprint.response(200, GapSchema)
def update_gap(changes, gap_id: int):
    """Change a gap (send the `version` you read)."""
    version = changes.pop("version")
    return services.update_gap(current_user, gap_id, version, changes)


@blueprint.route("/gaps/<int:gap_id>/key-judgements/<int:key_judgement_id>", methods=["PUT"])
@requires("edit_content")
@blueprint.response(200, GapSchema)
def link_key_judgement(gap_id: int, key_judgement_id: int):
    """Link the gap to a key judgement it undermines (linking twice changes nothing)."""
    return services.link_key_judgement(current_user, gap_id, key_judgement_id)


@blueprint.route("/gaps/<int:gap_id>/key-judgements/<int:key_judgement_id>", methods=["DELETE"])
@requires("edit_content")
@blueprint.response(200, GapSchema)
def unlink_key_judgement(gap_id: int, key_judgement_id: int):
    """Remove the link between the gap and a key judgement."""
    return services.link_key_judgement(current_user, gap_id, key_judgement_id, linked=False)
