"""The collection plan: open requirements in register order against collection sources."""

from flask import Blueprint, render_template, request
from flask_login import current_user

from gaps import queries, reports, services
from gaps.domain.collection_plan import plan_groups
from gaps.downloads import send_export
from gaps.forms import PlanFilterForm
from gaps.policy import requires
from gaps.views.helpers import optional_int, page_number, page_size

blueprint = Blueprint("plan", __name__, url_prefix="/collection-plan")


def _filters() -> tuple[PlanFilterForm, queries.RegisterFilters, bool]:
    form = PlanFilterForm(request.args)
    form.set_choices(queries.filter_choices())
    if not form.validate():
        return form, queries.RegisterFilters(), False
    return form, queries.RegisterFilters(
        key_judgement_id=optional_int(form.key_judgement.data), theme=form.theme.data or None,
        owner_team_id=optional_int(form.team.data), status=form.status.data or None,
        overdue=form.overdue.data == "yes", text=form.q.data or None,
        band=form.band.data or None), form.without_source.data == "yes"


@blueprint.route("")
@requires("read_collection_plan")
def index():
    """Open requirements (rows, register order) against sources (columns): tasked or not,
    and how many contributions came from each; with what stands out counted at the top."""
    form, filters, without_source = _filters()
    today = services.current_register().today
    plan = queries.collection_plan_page(filters, today, queries.viewer_of(current_user),
                                        page_number(), page_size(), without_source)
    return render_template("plan/index.html", form=form, plan=plan, results=plan.rows,
                           groups=plan_groups(plan.sources), today=today)


@blueprint.route("/export")
@requires("export")
def export():
    """The collection plan, every filtered row, as CSV, XLSX or JSON, with its marking."""
    _, filters, without_source = _filters()
    export_format = request.args.get("format")
    table = reports.plan_table(filters, services.current_register().today,
                               queries.viewer_of(current_user), without_source, export_format)
    return send_export(table, export_format, "collection plan")
