"""API: assessments, key judgements, gaps, teams and sources (read side)."""

from flask_login import current_user
from flask_smorest import Blueprint

from gaps import queries, services
from gaps.api.common import paged
from gaps.api.schemas import (
    AssessmentSchema,
    KeyJudgementPatchSchema,
    KeyJudgementSchema,
    PageArgs,
    SourceSchema,
    TeamSchema,
    page_of,
)
from gaps.policy import requires

blueprint = Blueprint("api_reference", __name__,
                      description="Assessments, key judgements, teams and sources")


@blueprint.route("/assessments")
@requires("read_assessments")
@blueprint.arguments(PageArgs, location="query")
@blueprint.response(200, page_of(AssessmentSchema))
def list_assessments(arguments):
    """Every assessment, newest first."""
    statement = queries.assessments(current_user).options(*queries.with_key_judgements())
    return paged(statement, arguments)


@blueprint.route("/key-judgements")
@requires("read_assessments")
@blueprint.arguments(PageArgs, location="query")
@blueprint.response(200, page_of(KeyJudgementSchema))
def list_key_judgements(arguments):
    """Every key judgement with the ids of its gaps."""
    return paged(queries.key_judgements(), arguments)


@blueprint.route("/key-judgements/<int:key_judgement_id>", methods=["PATCH"])
@requires("edit_content")
@blueprint.arguments(KeyJudgementPatchSchema)
@blueprint.response(200, KeyJudgementSchema)
def update_key_judgement(changes, key_judgement_id: int):
    """Reword a key judgement; a new text or likelihood flags its requirements for review."""
    version = changes.pop("version")
    return services.update_key_judgement(current_user, key_judgement_id, version, **changes)


@blueprint.route("/teams")
@requires("read_reference_data")
@blueprint.arguments(PageArgs, location="query")
@blueprint.response(200, page_of(TeamSchema))
def list_teams(arguments):
    """Every team."""
    return paged(queries.teams(), arguments)


@blueprint.route("/sources")
@requires("read_reference_data")
@blueprint.arguments(PageArgs, location="query")
@blueprint.response(200, page_of(SourceSchema))
def list_sources(arguments):
    """Every collection source."""
    return paged(queries.sources(), arguments)
