"""Requirements: the list (need to know for collectors) and one requirement."""

from flask import Blueprint, render_template, request
from flask_login import current_user

from gaps import queries
from gaps.extensions import db
from gaps.forms import RequirementFilterForm
from gaps.policy import requires
from gaps.views.helpers import one_or_404, optional_int, page_number, page_size

blueprint = Blueprint("requirements", __name__)


@blueprint.route("/requirements")
@requires("read_requirements")
def index():
    """The requirements this user may see, filtered by status, team and words."""
    form = RequirementFilterForm(request.args)
    form.set_choices(db.session.execute(queries.teams()).scalars())
    filters = queries.RequirementFilters(status=form.status.data or None,
                                         owner_team_id=optional_int(form.team.data),
                                         text=form.q.data or None)
    if not form.validate():
        filters = queries.RequirementFilters()
    results = queries.page(queries.requirements(current_user, filters), page_number(),
                           page_size())
    return render_template("requirements/index.html", form=form, results=results)


@blueprint.route("/requirements/<int:requirement_id>")
@requires("read_requirements")
def show(requirement_id: int):
    """One requirement; a collector of another team is told it does not exist."""
    requirement = one_or_404(queries.requirement(current_user, requirement_id))
    return render_template("requirements/show.html", requirement=requirement)
