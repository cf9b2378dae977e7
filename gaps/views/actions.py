"""The governance group's actions: the list (filtered, exported) and closing one with a note."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from gaps import queries, reports, services
from gaps.domain.navigation import is_own_page
from gaps.downloads import send_export
from gaps.forms import ActionFilterForm, CloseActionForm
from gaps.models import utcnow
from gaps.policy import requires
from gaps.views.helpers import attempt, form_status, one_or_404, page_number, page_size

blueprint = Blueprint("actions", __name__)


def _filters() -> tuple[ActionFilterForm, queries.ActionFilters]:
    form = ActionFilterForm(request.args)
    form.set_owner_choices(queries.action_owner_choices())
    today = utcnow().date()
    if not form.validate():
        return form, queries.ActionFilters(today=today)
    owner_user_id, owner_team_id = form.owner_ids()
    return form, queries.ActionFilters(state=form.state.data or None,
                                       owner_user_id=owner_user_id, owner_team_id=owner_team_id,
                                       text=form.q.data or None, today=today)


@blueprint.route("/actions")
@requires("read_actions")
def index():
    """Every action of the governance group, open ones first by due date, filtered."""
    form, filters = _filters()
    results = queries.page(queries.actions(filters), page_number(), page_size())
    return render_template("actions/index.html", form=form, results=results,
                           today=filters.today)


@blueprint.route("/actions/export")
@requires("export")
def export():
    """The filtered list of actions, every row, as CSV, XLSX, PDF or JSON."""
    _, filters = _filters()
    return send_export(reports.actions_table(filters), request.args.get("format"),
                       "actions list")


@blueprint.route("/actions/<int:action_id>/close", methods=["GET", "POST"])
@requires("close_action")
def close(action_id: int):
    """Close an open action with a note saying what was done."""
    action = one_or_404(queries.action(action_id))
    form = CloseActionForm(data={"version": action.version})
    if form.validate_on_submit() and attempt(form, lambda: services.close_action(
            current_user, action_id, form.note.data, form.loaded_version())):
        flash(f"Action {action.ref} closed.", "success")
        return redirect(_return_to())
    return render_template("actions/close.html", form=form, action=action,
                           today=utcnow().date(), return_to=_return_to()), form_status(form)


def _return_to() -> str:
    """Where the person came from (`?next=`, one of our own pages), else their dashboard."""
    target = request.args.get("next")
    return target if is_own_page(target) else url_for("requirements.dashboard")


