"""API: the collection plan (open requirements against collection sources)."""

from flask_login import current_user
from flask_smorest import Blueprint

from gaps import queries, services
from gaps.api.schemas import PlanArgs, PlanPageSchema
from gaps.policy import requires

blueprint = Blueprint("api_plan", __name__, description="The collection plan")


@blueprint.route("/collection-plan")
@requires("read_collection_plan")
@blueprint.arguments(PlanArgs, location="query")
@blueprint.response(200, PlanPageSchema)
def collection_plan(arguments):
    """Open requirements in register order, each with the sources it is tasked to and the
    contributions from each, with every source and what stands out (a collector: only their
    own team's requirements)."""
    filters = queries.RegisterFilters(
        key_judgement_id=arguments.get("key_judgement_id"), theme=arguments.get("theme"),
        owner_team_id=arguments.get("owner_team_id"), status=arguments.get("status"),
        overdue=arguments.get("overdue", False), text=arguments.get("q"),
        band=arguments.get("band"))
    plan = queries.collection_plan_page(
        filters, services.current_register().today, queries.viewer_of(current_user),
        arguments["page"], arguments["per_page"], arguments["without_source"])
    return {"items": plan.rows.items, "total": plan.rows.total, "page": plan.rows.page,
            "per_page": plan.rows.per_page, "sources": plan.sources,
            "without_source": plan.without_source,
            "sources_without_open_tasking": [source.id for source in plan.idle_sources]}
