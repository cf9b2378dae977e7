"""Every route names the roles it allows; every other role is refused with 403.

The matrix is generated from the URL map, so a new route without a rule fails here.
"""

import pytest
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from gaps.models import AuditEvent
from gaps.policy import PUBLIC_ATTRIBUTE, ROLES_ATTRIBUTE
from tests.conftest import make_app

ROLES = ("admin", "manager", "collector", "reviewer")
UNGUARDED_BY_DESIGN = {"static", "api-docs.openapi_json"}  # stylesheets; the API's description


def _routes():
    app = make_app("sqlite://")
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method, view


ROUTES = list(_routes())


def _url(rule) -> str:
    values = {name: 1 if isinstance(converter, IntegerConverter) else "x"
              for name, converter in rule._converters.items()}
    return rule.map.bind("localhost").build(rule.endpoint, values)


@pytest.mark.parametrize(("rule", "method", "view"), ROUTES,
                         ids=[f"{method} {rule.rule}" for rule, method, _ in ROUTES])
def test_every_route_declares_who_may_use_it(rule, method, view):
    declared = getattr(view, ROLES_ATTRIBUTE, None) is not None or getattr(
        view, PUBLIC_ATTRIBUTE, False)
    assert declared or rule.endpoint in UNGUARDED_BY_DESIGN, (
        f"{rule.endpoint} has neither @requires(...) nor @public")


GUARDED = [(rule, method, view, role) for rule, method, view in ROUTES
           if getattr(view, ROLES_ATTRIBUTE, None) is not None for role in ROLES]


@pytest.mark.parametrize(("rule", "method", "view", "role"), GUARDED,
                         ids=[f"{role} {method} {rule.rule}" for rule, method, _, role in GUARDED])
def test_roles_outside_the_rule_are_refused(login_as, api_token, rule, method, view, role):
    url = _url(rule)
    if url.startswith("/api/"):
        response = login_as(role).open(url, method=method, headers=api_token(role), json={})
    else:
        response = login_as(role).open(url, method=method, data={})
    allowed = role in getattr(view, ROLES_ATTRIBUTE)
    if allowed:
        assert response.status_code != 403, f"{role} was refused {method} {url}"
    else:
        assert response.status_code == 403, f"{role} was let through {method} {url}"


def test_a_stranger_is_sent_to_sign_in_or_told_401(client):
    for rule, method, view in ROUTES:
        if getattr(view, ROLES_ATTRIBUTE, None) is None:
            continue
        response = client.open(_url(rule), method=method)
        expected = 401 if rule.rule.startswith("/api/") else 302
        assert response.status_code == expected, f"{method} {rule.rule}"


def test_refusals_are_audited(login_as, db):
    login_as("collector").get("/gaps")
    event = db.session.execute(
        select(AuditEvent).where(AuditEvent.action == "refused").order_by(AuditEvent.id.desc())
    ).scalars().first()
    assert event is not None
    assert event.actor == "collector@example.org"
    assert event.reason == "GET /gaps"


@pytest.mark.parametrize("role", ["manager", "reviewer", "collector"])
def test_only_admins_see_the_accounts_page(login_as, role):
    assert login_as(role).get("/admin/users").status_code == 403
    assert login_as("admin").get("/admin/users").status_code == 200
