"""Insights: how long collection takes and how it is going, by period, team and judgement."""

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from gaps import insight_reports, insights
from gaps.domain.errors import InvalidValue
from gaps.domain.insights import COUNT_DEFINITIONS, MEASURES, insights_range
from gaps.downloads import send_export
from gaps.forms import InsightsForm
from gaps.models import utcnow
from gaps.policy import requires
from gaps.views.helpers import attempt

blueprint = Blueprint("insights", __name__, url_prefix="/insights")


def _range():
    """The form and the range it asks for (None when refused, with the form saying why)."""
    form = InsightsForm(request.args)
    if not form.validate():
        return form, None
    wanted = attempt(form, lambda: insights_range(form.start.data, form.end.data,
                                                  form.by.data, utcnow().date()))
    return form, wanted


def _range_or_400():
    try:
        return insights_range(request.args.get("from"), request.args.get("to"),
                              request.args.get("by"), utcnow().date())
    except InvalidValue:
        abort(400)


@blueprint.route("")
@requires("read_insights")
def index():
    """The figures for a period, with their charts, breakdowns and definitions."""
    form, wanted = _range()
    if wanted is None:
        return render_template("insights/index.html", form=form, found=None,
                               measures=MEASURES, definitions=COUNT_DEFINITIONS), 400
    if not form.start.data:
        form.start.data, form.end.data = wanted.start.isoformat(), wanted.end.isoformat()
    found = insights.insights(current_user, wanted)
    query = {"from": wanted.start.isoformat(), "to": wanted.end.isoformat(), "by": wanted.by}
    return render_template(
        "insights/index.html", form=form, found=found, query=query, measures=MEASURES,
        definitions=COUNT_DEFINITIONS, labels=insight_reports.COUNT_LABELS,
        by_judgement=insights.sees_key_judgements(current_user))


@blueprint.route("/charts/<name>.svg")
@requires("read_insights")
def chart(name: str):
    """One of the insights charts, drawn as SVG (no script)."""
    if name not in insight_reports.CHARTS or (
            name == "share" and not insights.sees_key_judgements(current_user)):
        abort(404)
    found = insights.insights(current_user, _range_or_400())
    response = Response(insight_reports.chart(name, found), mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@blueprint.route("/export.csv")
@requires("read_insights")
def export():
    """Every figure of the page, one a row, as CSV."""
    found = insights.insights(current_user, _range_or_400())
    return send_export(insight_reports.table(found), "csv", "insights")
