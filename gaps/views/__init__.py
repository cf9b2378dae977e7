"""Page blueprints, one per user-facing area."""

from flask import Flask

from gaps.health import blueprint as health
from gaps.views.admin import blueprint as admin
from gaps.views.assessments import blueprint as assessments
from gaps.views.assets import blueprint as assets
from gaps.views.auth import blueprint as auth
from gaps.views.gaps import blueprint as gaps
from gaps.views.imports import blueprint as imports
from gaps.views.register import blueprint as register
from gaps.views.requirements import blueprint as requirements


def register_blueprints(app: Flask) -> None:
    """Mount every page blueprint."""
    for blueprint in (health, assets, auth, assessments, imports, gaps, requirements, register,
                      admin):
        app.register_blueprint(blueprint)
