"""Incoming reports: the list, recording one, a report with its proposed matches to triage,
and how matching works."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from gaps import queries, services
from gaps.domain import matching
from gaps.extensions import db
from gaps.forms import ButtonForm, MatchDecisionForm, ReportFilterForm, ReportForm
from gaps.policy import can, requires
from gaps.views.helpers import attempt, form_status, one_or_404, page_number, page_size

blueprint = Blueprint("reports", __name__)


@blueprint.route("/reports")
@requires("read_reports")
def index():
    """Reports the user may read, newest first; `?state=waiting`: those with a proposal
    waiting for the user's triage."""
    form = ReportFilterForm(request.args)
    filters = queries.ReportFilters()
    if form.validate():
        filters = queries.ReportFilters(state=form.state.data or None, text=form.q.data or None)
    results = queries.reports_page(current_user, filters, page_number(), page_size())
    return render_template("reports/index.html", form=form, results=results, filters=filters)


@blueprint.route("/reports/how-matching-works")
@requires("read_reports")
def method():
    """How reports are matched to requirements, in plain words, with the numbers in force."""
    return render_template("reports/method.html", rules=matching)


@blueprint.route("/reports/new", methods=["GET", "POST"])
@requires("record_report")
def new():
    """Record an incoming report; its proposed matches are shown on its page."""
    form = ReportForm()
    form.set_choices(db.session.execute(queries.sources()).scalars())
    if form.validate_on_submit() and (report := attempt(form, lambda: services.record_report(
            current_user, **form.values()))):
        flash(f"Report {report.ref} recorded.", "success")
        return redirect(url_for(".show", report_id=report.id))
    return render_template("reports/new.html", form=form), form_status(form)


@blueprint.route("/reports/<int:report_id>")
@requires("read_reports")
def show(report_id: int):
    """A report and the requirements it may answer that the user may know of."""
    report = one_or_404(queries.report(current_user, report_id))
    matches = list(db.session.execute(queries.report_matches(current_user, [report_id])))
    triage = {match.requirement_id for match in matches
              if match.state == queries.MATCH_PROPOSED
              and can(current_user, "triage_report", match)}
    return render_template("reports/show.html", report=report, matches=matches, triage=triage,
                           decision_form=MatchDecisionForm(), again_form=ButtonForm())


@blueprint.route("/reports/<int:report_id>/matches/<int:requirement_id>", methods=["POST"])
@requires("triage_report")
def decide(report_id: int, requirement_id: int):
    """Confirm a proposal (a contribution on the requirement) or reject it."""
    form = MatchDecisionForm()
    if form.validate_on_submit():
        match = services.decide_match(current_user, report_id, requirement_id,
                                      form.decision.data, form.reason.data)
        requirement = match.requirement
        if match.state == queries.MATCH_CONFIRMED:
            flash(f"Confirmed: a contribution is recorded on {requirement.ref}.", "success")
        else:
            flash(f"Rejected: this report will not be proposed for {requirement.ref} again.",
                  "success")
    else:
        flash("Choose confirm or reject.", "error")
    return redirect(url_for(".show", report_id=report_id))


@blueprint.route("/reports/<int:report_id>/match-again", methods=["POST"])
@requires("triage_report")
def match_again(report_id: int):
    """Look again for requirements the report may answer (their criteria may have changed)."""
    if ButtonForm().validate_on_submit():
        added = services.match_again(current_user, report_id)
        flash(f"{added} new proposal{'' if added == 1 else 's'}." if added
              else "No new proposal.", "success")
    return redirect(url_for(".show", report_id=report_id))

