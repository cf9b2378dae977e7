"""Page blueprints, one per user-facing area."""

from flask import Flask
from werkzeug.routing import IntegerConverter

from gaps.domain.limits import LARGEST_ID
from gaps.health import blueprint as health
from gaps.views.account import blueprint as account
from gaps.views.actions import blueprint as actions
from gaps.views.admin import blueprint as admin
from gaps.views.assessments import blueprint as assessments
from gaps.views.assets import blueprint as assets
from gaps.views.auth import blueprint as auth
from gaps.views.gaps import blueprint as gaps
from gaps.views.imports import blueprint as imports
from gaps.views.insights import blueprint as insights
from gaps.views.plan import blueprint as plan
from gaps.views.register import blueprint as register
from gaps.views.reports import blueprint as reports
from gaps.views.requirements import blueprint as requirements


class IdConverter(IntegerConverter):
    """`<int:…>` in URLs, but never beyond what an id column holds (a larger number is 404)."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=LARGEST_ID,  # noqa: A002
                 signed=False) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register_blueprints(app: Flask) -> None:
    """Mount every page blueprint."""
    app.url_map.converters["int"] = IdConverter
    for blueprint in (health, assets, auth, assessments, imports, gaps, requirements, register,
                      plan, actions, reports, insights, admin, account):
        app.register_blueprint(blueprint)
