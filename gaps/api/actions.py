"""API: the governance group's actions: the list, one action, adding them, closing one."""

from flask_login import current_user
from flask_smorest import Blueprint

from gaps import queries, services
from gaps.api.common import action_drafts, one_or_404, paged
from gaps.api.schemas import (
    ActionCloseSchema,
    ActionListArgs,
    ActionSchema,
    ActionsCreateSchema,
    ActionsSchema,
    page_of,
)
from gaps.extensions import db
from gaps.models import utcnow
from gaps.policy import requires

blueprint = Blueprint("api_actions", __name__,
                      description="Actions directed by the governance group's decisions")


@blueprint.route("/actions")
@requires("read_actions")
@blueprint.arguments(ActionListArgs, location="query")
@blueprint.response(200, page_of(ActionSchema))
def list_actions(arguments):
    """Actions, open ones first by due date; `state` is open (overdue included), overdue or
    closed."""
    filters = queries.ActionFilters(
        state=arguments.get("state"), owner_user_id=arguments.get("owner_user_id"),
        owner_team_id=arguments.get("owner_team_id"), snapshot_id=arguments.get("snapshot_id"),
        requirement_id=arguments.get("requirement_id"), text=arguments.get("q"),
        today=utcnow().date())
    return paged(queries.actions(filters), arguments)


@blueprint.route("/actions/<int:action_id>")
@requires("read_actions")
@blueprint.response(200, ActionSchema)
def get_action(action_id: int):
    """One action and where it stands."""
    return one_or_404(queries.action(action_id))


@blueprint.route("/register/snapshots/<int:snapshot_id>/actions", methods=["POST"])
@requires("add_action")
@blueprint.arguments(ActionsCreateSchema)
@blueprint.response(201, ActionsSchema)
def add_actions(values, snapshot_id: int):
    """Add actions to a snapshot the group has decided on (approved or returned)."""
    added = services.add_actions(current_user, snapshot_id, action_drafts(values["actions"]))
    return {"actions": db.session.execute(
        queries.actions_by_id([action.id for action in added])).scalars().all()}


@blueprint.route("/actions/<int:action_id>/close", methods=["POST"])
@requires("close_action")
@blueprint.arguments(ActionCloseSchema)
@blueprint.response(200, ActionSchema)
def close_action(values, action_id: int):
    """Close an open action with a note saying what was done (send the `version` you read)."""
    services.close_action(current_user, action_id, values["note"], values["version"])
    return one_or_404(queries.action(action_id))
