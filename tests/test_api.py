"""JSON API v1, read side: shapes, paging, errors, tokens and need to know."""

import pytest
from sqlalchemy import select

from gaps.models import Gap, KeyJudgement, Requirement, User


def test_the_api_describes_itself(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/assessments", "/api/v1/key-judgements", "/api/v1/gaps",
                 "/api/v1/gaps/{gap_id}", "/api/v1/requirements",
                 "/api/v1/requirements/{requirement_id}", "/api/v1/teams", "/api/v1/sources"):
        assert "get" in spec["paths"][path], path
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_without_a_token_the_api_answers_401_in_its_error_shape(client):
    response = client.get("/api/v1/requirements")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_a_wrong_token_is_401(client):
    response = client.get("/api/v1/gaps", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401


def test_key_judgements_carry_their_gap_ids(client, api_token, db):
    body = client.get("/api/v1/key-judgements", headers=api_token("reviewer")).get_json()
    assert body["total"] == 4 and body["page"] == 1
    item = body["items"][0]
    assert set(item) >= {"id", "assessment_id", "number", "text", "gap_ids"}
    judgement = db.session.get(KeyJudgement, item["id"])
    assert sorted(item["gap_ids"]) == sorted(gap.id for gap in judgement.gaps)


def test_a_gap_has_its_paragraphs_links_and_requirements(client, api_token, db):
    gap = db.session.execute(select(Gap).filter_by(ref="G-085")).scalar_one()
    body = client.get(f"/api/v1/gaps/{gap.id}", headers=api_token("manager")).get_json()
    assert body["ref"] == "G-085"
    assert body["paragraphs"] == [85, 89]
    assert body["key_judgement_ids"] == [judgement.id for judgement in gap.key_judgements]
    assert body["requirement_ids"] == [requirement.id for requirement in gap.requirements]
    assert set(body) >= {"id", "title", "statement", "theme"}


def test_a_requirement_has_the_documented_fields(client, api_token, db):
    requirement = db.session.execute(select(Requirement).filter_by(ref="R-059")).scalar_one()
    body = client.get(f"/api/v1/requirements/{requirement.id}",
                      headers=api_token("manager")).get_json()
    assert body["ref"] == "R-059" and body["gap_id"] == requirement.gap_id
    assert body["status"] == "draft" and body["version"] == 1
    assert body["owner_team"] == requirement.owner_team.name
    assert body["sources"] == [source.name for source in requirement.sources]
    assert body["ltiov"] is None and body["marking"] == "OFFICIAL"


def test_lists_page_and_refuse_oversized_pages(client, api_token):
    headers = api_token("manager")
    first = client.get("/api/v1/gaps?per_page=5", headers=headers).get_json()
    second = client.get("/api/v1/gaps?per_page=5&page=2", headers=headers).get_json()
    assert first["total"] == 28 and len(first["items"]) == 5
    assert not {item["id"] for item in first["items"]} & {item["id"] for item in second["items"]}
    response = client.get("/api/v1/gaps?per_page=201", headers=headers)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid"
    assert "per_page" in str(response.get_json()["error"]["fields"])


def test_filters_narrow_lists(client, api_token):
    headers = api_token("manager")
    body = client.get("/api/v1/gaps?q=grooming", headers=headers).get_json()
    assert "G-059" in [item["ref"] for item in body["items"]]
    body = client.get("/api/v1/requirements?status=closed", headers=headers).get_json()
    assert body["total"] == 0
    assert client.get("/api/v1/requirements?status=bogus", headers=headers).status_code == 422


def test_teams_and_sources_are_listed(client, api_token):
    headers = api_token("collector")
    teams = client.get("/api/v1/teams", headers=headers).get_json()
    sources = client.get("/api/v1/sources", headers=headers).get_json()
    assert teams["total"] == 4 and set(teams["items"][0]) >= {"id", "name"}
    assert sources["total"] >= 13 and set(sources["items"][0]) >= {"id", "name", "kind"}


def test_a_collector_sees_only_their_teams_requirements(client, api_token, db):
    collector = db.session.execute(
        select(User).where(User.email == "collector@example.org")).scalar_one()
    headers = api_token("collector")
    body = client.get("/api/v1/requirements?per_page=200", headers=headers).get_json()
    owners = {item["owner_team"] for item in body["items"]}
    assert owners == {collector.team.name}
    other = db.session.execute(select(Requirement).where(
        Requirement.owner_team_id != collector.team_id)).scalars().first()
    response = client.get(f"/api/v1/requirements/{other.id}", headers=headers)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/gaps", headers=headers).status_code == 403


def test_a_signed_in_browser_may_read_but_not_write(login_as):
    browser = login_as("manager")
    assert browser.get("/api/v1/gaps").status_code == 200
    response = browser.post("/api/v1/gaps", json={})
    assert response.status_code in (401, 405)


@pytest.mark.parametrize("url", ["/api/v1/gaps", "/api/v1/requirements",
                                 "/api/v1/key-judgements"])
def test_list_statement_count_does_not_grow_with_page_size(client, api_token,
                                                           count_statements, url):
    headers = api_token("manager")
    client.get(url, headers=headers)  # a token's first use in a minute also writes its time
    with count_statements() as small:
        client.get(f"{url}?per_page=2", headers=headers)
    with count_statements() as large:
        client.get(f"{url}?per_page=200", headers=headers)
    assert small.count == large.count
