"""API: requirements, their transitions, contributions and history (need to know applies)."""

from flask_login import current_user
from flask_smorest import Blueprint

from gaps import queries, services
from gaps.api.common import one_or_404, paged
from gaps.api.schemas import (
    ContributionCreateSchema,
    ContributionSchema,
    HistorySchema,
    PageArgs,
    RequirementCreatedSchema,
    RequirementCreateSchema,
    RequirementListArgs,
    RequirementPatchSchema,
    RequirementSchema,
    TransitionSchema,
    VersionSchema,
    page_of,
)
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
    return paged(queries.requirements(current_user, filters, with_links=True), arguments)


@blueprint.route("/requirements", methods=["POST"])
@requires("edit_content")
@blueprint.arguments(RequirementCreateSchema)
@blueprint.response(201, RequirementCreatedSchema)
def create_requirement(values):
    """Write a draft requirement for a gap, or a child question under `parent_id`; `similar`
    lists open requirements that read like it (never blocking: it is saved either way)."""
    return services.create_requirement(current_user, **values)


@blueprint.route("/requirements/<int:requirement_id>")
@requires("read_requirements")
@blueprint.response(200, RequirementSchema)
def get_requirement(requirement_id: int):
    """One requirement; 404 for a collector of another team."""
    return one_or_404(queries.requirement(current_user, requirement_id))


@blueprint.route("/requirements/<int:requirement_id>", methods=["PATCH"])
@requires("edit_content")
@blueprint.arguments(RequirementPatchSchema)
@blueprint.response(200, RequirementSchema)
def update_requirement(changes, requirement_id: int):
    """Change a requirement's fields (send the `version` you read; 409 if it is old)."""
    version = changes.pop("version")
    return services.update_requirement(current_user, requirement_id, version, changes)


@blueprint.route("/requirements/<int:requirement_id>/transitions", methods=["POST"])
@requires("transition_requirement")
@blueprint.arguments(TransitionSchema)
@blueprint.response(200, RequirementSchema)
def transition_requirement(values, requirement_id: int):
    """Move the requirement to another status, as the rules allow your role."""
    return services.transition_requirement(current_user, requirement_id, values["to"],
                                           values["reason"], values["version"])


@blueprint.route("/requirements/<int:requirement_id>/key-judgement-flag", methods=["DELETE"])
@requires("edit_content")
@blueprint.arguments(VersionSchema)
@blueprint.response(200, RequirementSchema)
def clear_key_judgement_flag(values, requirement_id: int):
    """Say the requirement has been reviewed since its key judgement changed."""
    return services.clear_key_judgement_flag(current_user, requirement_id, values["version"])


@blueprint.route("/requirements/<int:requirement_id>/contributions")
@requires("read_requirements")
@blueprint.arguments(PageArgs, location="query")
@blueprint.response(200, page_of(ContributionSchema))
def list_contributions(arguments, requirement_id: int):
    """What has been found against the requirement, in date order."""
    one_or_404(queries.requirement(current_user, requirement_id))
    return paged(queries.contributions(requirement_id), arguments)


@blueprint.route("/requirements/<int:requirement_id>/contributions", methods=["POST"])
@requires("record_contribution")
@blueprint.arguments(ContributionCreateSchema)
@blueprint.response(201, ContributionSchema)
def record_contribution(values, requirement_id: int):
    """Record a finding, graded 3x5x2 like `2/B/P` (`C` needs `handling_conditions`)."""
    return services.record_contribution(current_user, requirement_id, **values)


@blueprint.route("/requirements/<int:requirement_id>/history")
@requires("read_history")
@blueprint.arguments(PageArgs, location="query")
@blueprint.response(200, page_of(HistorySchema))
def history(arguments, requirement_id: int):
    """Every recorded change to the requirement: who, when, field, old → new, reason."""
    one_or_404(queries.requirement(current_user, requirement_id))
    return paged(queries.history("requirement", requirement_id), arguments)
