"""API: incoming reports, their proposed matches (need to know applies) and triage."""

from flask_login import current_user
from flask_smorest import Blueprint

from gaps import queries, services
from gaps.api.common import envelope, one_or_404
from gaps.api.schemas import (
    MatchDecisionSchema,
    ReportCreateSchema,
    ReportListArgs,
    ReportMatchSchema,
    ReportSchema,
    page_of,
)
from gaps.extensions import db
from gaps.models import Report
from gaps.policy import requires

blueprint = Blueprint("api_reports", __name__,
                      description="Incoming reports matched to open requirements")


def _payloads(reports: list[Report]) -> list[dict]:
    """Reports with the matches the caller may know of (one statement for all of them)."""
    found: dict[int, list] = {report.id: [] for report in reports}
    if reports:
        for match in db.session.execute(queries.report_matches(current_user, list(found))):
            found[match.report_id].append(match._asdict())
    return [{"id": report.id, "ref": report.ref, "title": report.title, "text": report.text,
             "source": report.source.name, "found_on": report.found_on,
             "grading": report.grading, "handling_conditions": report.handling_conditions,
             "marking": report.marking, "created_at": report.created_at,
             "recorded_by": report.recorded_by.email if report.recorded_by else None,
             "proposed_matches": found[report.id]} for report in reports]


@blueprint.route("/reports")
@requires("read_reports")
@blueprint.arguments(ReportListArgs, location="query")
@blueprint.response(200, page_of(ReportSchema))
def list_reports(arguments):
    """Reports the caller may read, newest first; `state=waiting`: those with a proposal the
    caller may triage waiting (a collector: their team's recorded or matched ones)."""
    filters = queries.ReportFilters(state=arguments["state"], text=arguments.get("q"))
    results = queries.page(queries.reports_api(current_user, filters), arguments["page"],
                           arguments["per_page"])
    results.items = _payloads(results.items)
    return envelope(results)


@blueprint.route("/reports", methods=["POST"])
@requires("record_report")
@blueprint.arguments(ReportCreateSchema)
@blueprint.response(201, ReportSchema)
def record_report(values):
    """Record a report; 201 with its `id` and `proposed_matches`, ranked, as the caller may
    know of them."""
    report = services.record_report(current_user, **values)
    return _payloads([one_or_404(queries.report(current_user, report.id))])[0]


@blueprint.route("/reports/<int:report_id>")
@requires("read_reports")
@blueprint.response(200, ReportSchema)
def get_report(report_id: int):
    """One report and its matches (404 for a collector it is not shared with)."""
    return _payloads([one_or_404(queries.report(current_user, report_id))])[0]


@blueprint.route("/reports/<int:report_id>/matches/<int:requirement_id>", methods=["POST"])
@requires("triage_report")
@blueprint.arguments(MatchDecisionSchema)
@blueprint.response(200, ReportMatchSchema)
def decide_match(values, report_id: int, requirement_id: int):
    """Confirm a proposal (records a contribution carrying the report's excerpt, source and
    grade) or reject it with an optional reason; 422 if it was already decided."""
    services.decide_match(current_user, report_id, requirement_id, values["decision"],
                          values["reason"])
    rows = db.session.execute(queries.report_matches(current_user, [report_id]))
    return next(row._asdict() for row in rows if row.requirement_id == requirement_id)
