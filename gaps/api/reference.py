"""API: assessments, key judgements, gaps, teams and sources (read side)."""

from flask_smorest import Blueprint

from gaps import queries
from gaps.api.common import one_or_404, paged
from gaps.api.schemas import (
    AssessmentSchema,
    GapListArgs,
    GapSchema,
    KeyJudgementSchema,
    PageArgs,
    SourceSchema,
    TeamSchema,
    page_of,
)
from gaps.policy import requires

blueprint = Blueprint("api_reference", __name__, description="Assessments, key judgements, gaps, "
                                                              "teams and sources")


@blueprint.route("/assessments")
@requires("read_assessments")
@blueprint.arguments(PageArgs, location="query")
@blueprint.response(200, page_of(AssessmentSchema))
def list_assessments(arguments):
    """Every assessment, newest first."""
    statement = queries.assessments().options(*queries.with_key_judgements())
    return paged(statement, arguments)


@blueprint.route("/key-judgements")
@requires("read_assessments")
@blueprint.arguments(PageArgs, location="query")
@blueprint.response(200, page_of(KeyJudgementSchema))
def list_key_judgements(arguments):
    """Every key judgement with the ids of its gaps."""
    return paged(queries.key_judgements(), arguments)


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


@blueprint.route("/gaps/<int:gap_id>")
@requires("read_assessments")
@blueprint.response(200, GapSchema)
def get_gap(gap_id: int):
    """One gap."""
    return one_or_404(queries.gap(gap_id))


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
