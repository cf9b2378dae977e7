"""Need to know covers relations: a collector never learns the reference or question of
another team's requirement through a parent, a child, a list, a count, a history or the API;
at most that a child question is held by another team."""

import pytest
from sqlalchemy import select

from gaps import services
from gaps.models import Requirement, Team, User


def _user(db, role) -> User:
    return db.session.execute(select(User).where(User.email == f"{role}@example.org")
                              ).scalar_one()


def _requirement(db, ref) -> Requirement:
    db.session.expire_all()
    return db.session.execute(select(Requirement).filter_by(ref=ref)).scalar_one()


@pytest.fixture
def family(db):
    """R-059 (the collector's team) with a child held by another team; R-058 (another team)
    with a child held by the collector's team."""
    manager, collector = _user(db, "manager"), _user(db, "collector")
    other_team = db.session.execute(select(Team).where(Team.id != collector.team_id)
                                    ).scalars().first()
    own = _requirement(db, "R-059")
    services.update_requirement(manager, own.id, own.version,
                                {"owner_team": collector.team.name})
    hidden_child = services.create_requirement(manager, gap_id=own.gap_id, parent_id=own.id,
                                               question="SECRET CHILD QUESTION?")
    services.update_requirement(manager, hidden_child.id, hidden_child.version,
                                {"owner_team": other_team.name})
    other = _requirement(db, "R-058")
    services.update_requirement(manager, other.id, other.version,
                                {"owner_team": other_team.name,
                                 "question": "SECRET PARENT QUESTION?"})
    own_child = services.create_requirement(manager, gap_id=other.gap_id, parent_id=other.id,
                                            question="Our child question?")
    services.update_requirement(manager, own_child.id, own_child.version,
                                {"owner_team": collector.team.name})
    return {"own": own.id, "hidden_child": _requirement(db, hidden_child.ref),
            "other": _requirement(db, "R-058"), "own_child": own_child.id}


SECRETS = ("SECRET CHILD QUESTION", "SECRET PARENT QUESTION")


def test_a_collector_sees_only_that_a_child_is_held_by_another_team(login_as, family):
    page = login_as("collector").get(f"/requirements/{family['own']}").text
    assert "1 child question is held by another team." in page
    assert family["hidden_child"].ref not in page
    assert not any(secret in page for secret in SECRETS)
    manager_page = login_as("manager").get(f"/requirements/{family['own']}").text
    assert family["hidden_child"].ref in manager_page and "held by another team" not in \
        manager_page


def test_a_collector_is_not_told_which_requirement_a_child_belongs_to(login_as, family):
    page = login_as("collector").get(f"/requirements/{family['own_child']}").text
    assert "a child question of a requirement held by another team" in page
    # Its own reference is numbered under its parent's; nothing else names R-058.
    assert f">{family['other'].ref}<" not in page
    assert f"/requirements/{family['other'].id}\"" not in page
    assert not any(secret in page for secret in SECRETS)


def test_the_api_names_no_relation_a_collector_may_not_know_of(client, api_token, family):
    headers = api_token("collector")
    own = client.get(f"/api/v1/requirements/{family['own']}", headers=headers).get_json()
    assert family["hidden_child"].id not in own["child_ids"]
    assert own["children_held_by_another_team"] == 1
    child = client.get(f"/api/v1/requirements/{family['own_child']}", headers=headers).get_json()
    assert child["parent_id"] is None and child["parent_held_by_another_team"] is True
    listed = client.get("/api/v1/requirements?per_page=200", headers=headers).get_json()
    for item in listed["items"]:
        assert family["hidden_child"].id not in item["child_ids"]
        assert item["parent_id"] != family["other"].id
    manager = client.get(f"/api/v1/requirements/{family['own_child']}",
                         headers=api_token("manager")).get_json()
    assert manager["parent_id"] == family["other"].id


def test_nothing_a_collector_can_open_names_another_teams_requirement(login_as, client,
                                                                     api_token, family):
    """Every page and API answer a collector can reach about requirements, searched for the
    other team's references and questions."""
    collector = login_as("collector")
    headers = api_token("collector")
    bodies = [collector.get(url).text for url in (
        "/dashboard", "/requirements", "/requirements?q=SECRET",
        f"/requirements/{family['own']}", f"/requirements/{family['own_child']}",
        "/requirements/export?format=csv")]
    bodies += [client.get(url, headers=headers).text for url in (
        "/api/v1/requirements?per_page=200", "/api/v1/requirements?q=SECRET",
        f"/api/v1/requirements/{family['own']}", f"/api/v1/requirements/{family['own_child']}",
        f"/api/v1/requirements/{family['own']}/history?per_page=200",
        f"/api/v1/requirements/{family['own_child']}/history?per_page=200")]
    for body in bodies:
        assert not any(secret in body for secret in SECRETS)
        assert f">{family['other'].ref}<" not in body
        assert f'"{family["other"].ref}"' not in body
        assert f'"{family["hidden_child"].ref}"' not in body
    assert collector.get(f"/requirements/{family['other'].id}").status_code == 404
    assert collector.get(f"/requirements/{family['hidden_child'].id}").status_code == 404
