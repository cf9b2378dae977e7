"""API: requirements (read side), with need to know for collectors."""

from flask_login import current_user
from flask_smorest import Blueprint

from gaps import queries
from gaps.api.common import one_or_404, paged
from gaps.api.schemas import RequirementListArgs, RequirementSchema, page_of
from gaps.policy import requires

blueprint = Blueprint("api_requirements", __name__, description="Intelligence requirements")


@blueprint.route("/requirements")
@requires("read_requirements")
@blueprint.arguments(RequirementListArgs, location="query")
@blueprint.response(200, page_of(RequirementSchema))
def list_requirements(arguments):
    """Requirements the caller may see (a collector: their own team's)."""
    filters = queries.RequirementFilters(status=arguments.get("status"),
                                         owner_team_id=arguments.get("owner_team_id"),
                                         gap_id=arguments.get("gap_id"), text=arguments.get("q"))
    return paged(queries.requirements(current_user, filters), arguments)


@blueprint.route("/requirements/<int:requirement_id>")
@requires("read_requirements")
@blueprint.response(200, RequirementSchema)
def get_requirement(requirement_id: int):
    """One requirement; 404 for a collector of another team."""
    return one_or_404(queries.requirement(current_user, requirement_id))
