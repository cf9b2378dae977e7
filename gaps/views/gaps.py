"""Gaps: the list with its filters, and one gap."""

from flask import Blueprint, render_template, request

from gaps import queries
from gaps.extensions import db
from gaps.forms import GapFilterForm
from gaps.policy import requires
from gaps.views.helpers import one_or_404, optional_int, page_number, page_size

blueprint = Blueprint("gaps", __name__)


@blueprint.route("/gaps")
@requires("read_assessments")
def index():
    """Gaps, filtered by key judgement, theme and words."""
    form = GapFilterForm(request.args)
    form.set_choices(db.session.execute(queries.key_judgements()).scalars(),
                     db.session.execute(queries.themes()).scalars())
    filters = queries.GapFilters(key_judgement_id=optional_int(form.key_judgement.data),
                                 theme=form.theme.data or None, text=form.q.data or None)
    if not form.validate():
        filters = queries.GapFilters()
    results = queries.page(queries.gaps(filters), page_number(), page_size())
    return render_template("gaps/index.html", form=form, results=results)


@blueprint.route("/gaps/<int:gap_id>")
@requires("read_assessments")
def show(gap_id: int):
    """A gap: its statement, paragraphs, key judgements and requirements."""
    return render_template("gaps/show.html", gap=one_or_404(queries.gap(gap_id)))
