"""No request a client can send makes the API answer 500 (property-based, from its OpenAPI)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from gaps import services


@pytest.fixture
def api_schema(app):
    """The API as its own OpenAPI document describes it."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def test_no_generated_request_gets_a_server_error(app, api_schema):
    with app.app_context():
        token = services.issue_api_token("manager@example.org")
    failures = []

    def exercise(operation) -> None:
        @settings(max_examples=40, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
            response = case.call()
            if response.status_code >= 500:
                failures.append(f"{operation.method.upper()} {operation.path} "
                                f"{case.path_parameters} {case.query} {case.body!r:.200}")

        check()

    for result in api_schema.get_all_operations():
        exercise(result.ok())
    assert not failures, "\n".join(failures[:10])


@pytest.mark.parametrize("url", [
    "/gaps/99999999999999999999999", "/requirements/2147483648",
    "/register/snapshots/99999999999999999999/diff",
])
def test_ids_too_large_for_the_database_are_404_pages(login_as, url):
    assert login_as("manager").get(url).status_code == 404


@pytest.mark.parametrize("url", [
    "/gaps?page=99999999999999999999", "/requirements?team=99999999999999999999",
    "/requirements/new?gap_id=99999999999999999999",
    "/register?key_judgement=99999999999999999999&page=-5",
])
def test_huge_numbers_in_query_strings_are_harmless(login_as, url):
    assert login_as("manager").get(url).status_code in (200, 404)


def test_huge_numbers_in_the_api_are_422(client, api_token):
    headers = api_token("manager")
    assert client.get("/api/v1/gaps?page=99999999999999999999",
                      headers=headers).status_code == 422
    assert client.post("/api/v1/requirements", headers=headers, json={
        "gap_id": 10**20, "question": "x?"}).status_code == 422


def test_nul_characters_are_refused_before_they_reach_the_database(client, api_token,
                                                                   login_as):
    headers = api_token("manager")
    response = client.post("/api/v1/requirements", headers=headers,
                           json={"gap_id": 1, "question": "Who\x00?"})
    assert response.status_code == 400
    assert "NUL" in response.get_json()["error"]["message"]
    assert client.get("/api/v1/gaps?q=a%00b", headers=headers).status_code == 400
    assert login_as("manager").get("/gaps?q=a%00b").status_code == 400
