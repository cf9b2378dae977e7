"""gaps: from an assessment's admitted intelligence gaps to a ranked priority register."""

from flask import Flask

from gaps.api import register_api
from gaps.authentication import register_authentication
from gaps.cli import register_cli
from gaps.config import PROJECT_ROOT, load_configuration
from gaps.database import register_database_behaviour
from gaps.errors import register_error_handlers
from gaps.extensions import register_extensions
from gaps.observability import register_observability
from gaps.page_cache import register_page_cache
from gaps.security import register_security_headers
from gaps.services.matching import register_report_matching
from gaps.services.ranking import register_ranking_upkeep
from gaps.templating import register_templates
from gaps.views import register_blueprints


def create_app(config: type | dict | None = None) -> Flask:
    """Build the application: each line wires one part."""
    app = Flask(__name__, template_folder=str(PROJECT_ROOT / "templates"),
                instance_path=str(PROJECT_ROOT / "instance"))
    load_configuration(app, config)
    register_observability(app)
    register_extensions(app)
    register_database_behaviour(app)
    register_ranking_upkeep(app)
    register_page_cache(app)
    register_report_matching(app)
    register_authentication(app)
    register_templates(app)
    register_security_headers(app)
    register_blueprints(app)
    register_api(app)
    register_error_handlers(app)
    register_cli(app)
    return app
