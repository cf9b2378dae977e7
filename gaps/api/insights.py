"""API: insights, the same figures as the /insights page."""

from flask_login import current_user
from flask_smorest import Blueprint

from gaps import insight_reports, insights
from gaps.api.schemas import InsightsArgs, InsightsSchema
from gaps.domain.insights import insights_range
from gaps.models import utcnow
from gaps.policy import requires

blueprint = Blueprint("api_insights", __name__,
                      description="Times and counts from the audit trail, by period")


@blueprint.route("/insights")
@requires("read_insights")
@blueprint.arguments(InsightsArgs, location="query")
@blueprint.response(200, InsightsSchema)
def get_insights(arguments):
    """Insights for `from`..`to` (default: the last four quarters) `by` quarter or month; a
    collector gets their own team's figures only."""
    wanted = insights_range(arguments.get("start"), arguments.get("end"), arguments.get("by"),
                            utcnow().date())
    return insight_reports.as_json(insights.insights(current_user, wanted))
