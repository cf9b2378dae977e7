"""JSON API v1: the same queries, services and policy as the pages, described by OpenAPI."""

from flask import Flask, g, request
from flask_login import current_user
from flask_smorest import Api

from gaps.api import actions, gaps, reference, register, reports, requirements
from gaps.api.schemas import ErrorSchema
from gaps.authentication import user_for_bearer_token
from gaps.errors import json_error
from gaps.extensions import csrf, login_manager

API_ROOT = "/api/v1"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class GapsApi(Api):
    """flask-smorest's Api, leaving errors to `gaps.errors` so that every error looks alike."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        """Errors are answered by `gaps.errors` (registered by the factory)."""


api = GapsApi()


def register_api(app: Flask) -> None:
    """Mount the API blueprints under /api/v1 and authenticate each API request."""
    api.init_app(app, spec_kwargs={
        "info": {"description": "Intelligence gaps, requirements and the priority register."},
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
    })
    for blueprint in (reference.blueprint, gaps.blueprint, requirements.blueprint,
                      register.blueprint, actions.blueprint, reports.blueprint):
        api.register_blueprint(blueprint, url_prefix=API_ROOT)
        csrf.exempt(blueprint)
    app.before_request(authenticate_api_request)


def authenticate_api_request():
    """Bearer tokens for everything; a browser session may only read."""
    if not request.path.startswith(API_ROOT + "/"):
        return None
    header = request.headers.get("Authorization")
    if header is not None:
        user = user_for_bearer_token(header)
        if user is None:
            return json_error(401, "The API token is not valid", "unauthorized")
        # Flask-Login's own hook for a user found by other means than the session.
        login_manager._update_request_context_with_user(user)
        g.authenticated_by_token = True
        return None
    if request.method not in READ_METHODS and current_user.is_authenticated:
        return json_error(401, "Writes need an API token: Authorization: Bearer …", "unauthorized")
    return None
