"""JSON API v1: the same queries, services and policy as the pages, described by OpenAPI."""

import threading

from apispec import APISpec
from flask import Flask, g, request
from flask_login import current_user
from flask_smorest import Api, Blueprint

from gaps import services
from gaps.api import actions, gaps, insights, plan, reference, register, reports, requirements
from gaps.api.schemas import ErrorSchema
from gaps.authentication import api_token_for
from gaps.domain.accounts import TokenState, scope_allows, use_worth_recording
from gaps.domain.dates import uk_datetime
from gaps.errors import json_error
from gaps.extensions import csrf, login_manager
from gaps.models import utcnow

API_ROOT = "/api/v1"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class GapsApi(Api):
    """flask-smorest's Api, leaving errors to `gaps.errors` so that every error looks alike,
    and describing the blueprints in the OpenAPI spec only when the spec is first read:
    describing them costs 40 ms at every start-up, which no command-line run needs."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        """Errors are answered by `gaps.errors` (registered by the factory)."""

    @property
    def spec(self) -> APISpec | None:
        """The OpenAPI spec, with every registered blueprint described in it."""
        with self._describing:
            while self._undescribed:
                app, blueprint, name, parameters = self._undescribed.pop(0)
                blueprint.register_views_in_doc(self, app, self._spec, name=name,
                                                parameters=parameters)
                self._spec.tag({"name": name, "description": blueprint.description})
        return self._spec

    @spec.setter
    def spec(self, spec: APISpec | None) -> None:
        """A new spec (one per application) starts with no blueprint waiting to be described."""
        self._spec = spec
        self._undescribed: list[tuple[Flask, Blueprint, str, list | None]] = []
        self._describing = threading.RLock()

    def register_blueprint(self, blp: Blueprint, *, parameters: list | None = None,
                           **options) -> None:
        """Register the blueprint's routes now and describe them when the spec is read."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undescribed.append((self._app, blp, name, parameters))


api = GapsApi()


def register_api(app: Flask) -> None:
    """Mount the API blueprints under /api/v1 and authenticate each API request."""
    api.init_app(app, spec_kwargs={
        "info": {"description": "Intelligence gaps, requirements and the priority register."},
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
    })
    for blueprint in (reference.blueprint, gaps.blueprint, requirements.blueprint,
                      register.blueprint, plan.blueprint, actions.blueprint,
                      reports.blueprint, insights.blueprint):
        api.register_blueprint(blueprint, url_prefix=API_ROOT)
        csrf.exempt(blueprint)
    app.before_request(authenticate_api_request)


def authenticate_api_request():
    """Bearer tokens for everything; a browser session may only read."""
    if not request.path.startswith(API_ROOT + "/"):
        return None
    header = request.headers.get("Authorization")
    if header is not None:
        token = api_token_for(header)
        if token is None or not token.user.active:
            return json_error(401, "The API token is not valid", "unauthorized")
        now = utcnow()
        state = token.state(now)
        if state is TokenState.REVOKED:
            return json_error(401, "The API token has been revoked", "token_revoked")
        if state is TokenState.EXPIRED:
            return json_error(401, f"The API token expired on {uk_datetime(token.expires_at)}: "
                                   "make a new one at /account", "token_expired")
        if not scope_allows(token.scope, request.method):
            return json_error(403, "This API token may only read (scope 'read'): changing "
                                   "anything needs a token with the 'write' scope",
                              "insufficient_scope")
        user = token.user
        if use_worth_recording(token.last_used_at, now):
            services.record_token_use(token.id, now)
        # Flask-Login's own hook for a user found by other means than the session.
        login_manager._update_request_context_with_user(user)
        g.authenticated_by_token = True
        return None
    if request.method not in READ_METHODS and current_user.is_authenticated:
        return json_error(401, "Writes need an API token: Authorization: Bearer …", "unauthorized")
    return None
