"""No request a client can send makes the API answer 500 (property-based, from its OpenAPI)."""

import json
from urllib.parse import quote

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gaps import services


@pytest.fixture
def api_schema(app):
    """The API as its own OpenAPI document describes it."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def test_no_generated_request_gets_a_server_error(app, api_schema):
    with app.app_context():
        token = services.issue_api_token("manager@example.org", scope="write")
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


UNSTORABLE = st.one_of(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), st.just("\x00"))
POISONED_TEXT = st.builds(lambda before, bad, after: before + bad + after,
                          st.text(max_size=4), UNSTORABLE, st.text(max_size=4))
NESTED = st.builds(lambda depth, opener: opener * depth,
                   st.sampled_from([65, 1000, 100_000]), st.sampled_from(["[", '{"a":']))


def _poison(value, text: str, choice: int):
    """The value with one of its strings (or a new field) replaced by the given text."""
    if isinstance(value, dict):
        keys = [key for key, item in value.items() if isinstance(item, str)] or list(value)
        key = keys[choice % len(keys)] if keys else "question"
        return {**value, key: text}
    return {"question": text}


def _raw_query(query: dict) -> str:
    """The query string as a client may send it: a lone surrogate as its raw UTF-8-like bytes
    (%ED%A0%80), which no strict encoder writes."""
    def encoded(value) -> str:
        values = value if isinstance(value, list) else [value]
        return [quote(str(item).encode("utf-8", "surrogatepass"), safe="") for item in values]
    return "&".join(f"{quote(str(key), safe='')}={value}" for key, values in query.items()
                    for value in encoded(values))


def test_text_with_lone_surrogates_or_nul_never_gets_a_server_error(app, api_schema):
    with app.app_context():
        token = services.issue_api_token("manager@example.org", scope="write")
    client = app.test_client()
    failures = []

    def exercise(operation) -> None:
        @settings(max_examples=15, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(), text=POISONED_TEXT, choice=st.integers(0, 20),
               in_query=st.booleans())
        def check(case, text, choice, in_query):
            headers = {"Authorization": f"Bearer {token}"}
            query = dict(case.query or {})
            body = case.body if isinstance(case.body, dict) else None
            if in_query or body is None:
                query[sorted(query)[choice % len(query)] if query else "q"] = text
            else:
                body = _poison(body, text, choice)
            # json.dumps writes a lone surrogate as the escape \\ud800, as a client would.
            response = client.open(case.formatted_path, method=operation.method.upper(),
                                   query_string=_raw_query(query), headers=headers,
                                   data=json.dumps(body) if body is not None else None,
                                   content_type="application/json" if body is not None
                                   else None)
            if response.status_code >= 500:
                failures.append(f"{operation.method.upper()} {case.formatted_path} "
                                f"{query!r:.100} {body!r:.100}: {response.status_code}")

        check()

    for result in api_schema.get_all_operations():
        exercise(result.ok())
    assert not failures, "\n".join(failures[:10])


@settings(max_examples=12, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(opening=NESTED, method=st.sampled_from(["POST", "PATCH"]),
       path=st.sampled_from(["/api/v1/requirements", "/api/v1/requirements/1", "/api/v1/gaps",
                             "/api/v1/actions"]),
       closed=st.booleans())
def test_deeply_nested_json_bodies_never_get_a_server_error(client, api_token, opening,
                                                            method, path, closed):
    body = opening + ("]" * len(opening) if closed and opening.startswith("[") else "")
    response = client.open(path, method=method, data=body, content_type="application/json",
                           headers=api_token("manager"))
    assert response.status_code < 500
    assert response.status_code in (400, 404, 405, 422)


def test_a_body_less_request_labelled_json_is_read_as_having_no_body(client, api_token):
    response = client.get("/api/v1/gaps", headers=api_token("manager"),
                          content_type="application/json")
    assert response.status_code == 200
