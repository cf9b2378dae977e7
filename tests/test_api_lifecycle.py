"""The lifecycle through the API: tasking, transitions, contributions, versions, history."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from gaps.models import AuditEvent, Requirement, User

NEXT_MONTH = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()


@pytest.fixture
def collector_team(db):
    """The demo collector's team and a requirement it owns."""
    collector = db.session.execute(select(User).where(User.email == "collector@example.org")
                                   ).scalar_one()
    return collector.team


def _owned_requirement(db, team) -> Requirement:
    return db.session.execute(select(Requirement).where(Requirement.owner_team_id == team.id)
                              .order_by(Requirement.ref)).scalars().first()


def _get(client, headers, requirement_id):
    return client.get(f"/api/v1/requirements/{requirement_id}", headers=headers).get_json()


def _task(client, manager, requirement_id, team_name, sources):
    current = _get(client, manager, requirement_id)
    response = client.patch(f"/api/v1/requirements/{requirement_id}", headers=manager, json={
        "version": current["version"], "owner_team": team_name, "sources": sources,
        "ltiov": NEXT_MONTH})
    assert response.status_code == 200, response.get_json()
    response = client.post(f"/api/v1/requirements/{requirement_id}/transitions", headers=manager,
                           json={"to": "tasked", "version": response.get_json()["version"]})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_collection_journey_through_the_api(client, api_token, db, collector_team):
    manager, collector = api_token("manager"), api_token("collector")
    requirement = _owned_requirement(db, collector_team)
    source = requirement.sources[0].name
    tasked = _task(client, manager, requirement.id, collector_team.name, [source])
    assert tasked["status"] == "tasked" and tasked["review_date"] is not None

    url = f"/api/v1/requirements/{requirement.id}"
    response = client.post(f"{url}/contributions", headers=collector, json={
        "text": "Industry referrals show 1,200 grooming reports in the quarter.",
        "source": source, "grading": "2/B/P", "likelihood": "likely or probable",
        "confidence": "moderate"})
    assert response.status_code == 201, response.get_json()
    contribution = response.get_json()
    assert contribution["grading"] == "2/B/P" and contribution["author"] == "collector@example.org"

    moved = client.post(f"{url}/transitions", headers=collector,
                        json={"to": "partially_satisfied", "version": tasked["version"]})
    assert moved.status_code == 200 and moved.get_json()["status"] == "partially_satisfied"
    proposed = client.post(f"{url}/transitions", headers=collector,
                           json={"to": "satisfied", "version": moved.get_json()["version"],
                                 "reason": "The referral figures answer it."})
    assert proposed.status_code == 200 and proposed.get_json()["status"] == "satisfied"

    refused = client.post(f"{url}/transitions", headers=collector,
                          json={"to": "closed", "version": proposed.get_json()["version"]})
    assert refused.status_code == 403
    assert "manager" in refused.get_json()["error"]["message"]
    closed = client.post(f"{url}/transitions", headers=manager,
                         json={"to": "closed", "version": proposed.get_json()["version"]})
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"

    history = client.get(f"{url}/history?per_page=200", headers=collector).get_json()["items"]
    statuses = [(item["old"], item["new"], item["user"]) for item in reversed(history)
                if item["field"] == "status"]  # the API gives the newest first
    assert statuses == [("draft", "tasked", "manager@example.org"),
                        ("tasked", "partially_satisfied", "collector@example.org"),
                        ("partially_satisfied", "satisfied", "collector@example.org"),
                        ("satisfied", "closed", "manager@example.org")]
    ltiov = [item for item in history if item["field"] == "ltiov"]
    assert ltiov[0]["old"] is None and ltiov[0]["new"] == NEXT_MONTH
    assert any(item["action"] == "contribution" and "2/B/P" in item["new"] for item in history)
    assert set(history[0]) == {"at", "user", "action", "field", "old", "new", "reason"}


def test_a_collector_of_another_team_gets_404(client, api_token, db, collector_team):
    other = db.session.execute(select(Requirement).where(
        Requirement.owner_team_id != collector_team.id)).scalars().first()
    collector = api_token("collector")
    url = f"/api/v1/requirements/{other.id}"
    assert client.get(url, headers=collector).status_code == 404
    assert client.get(f"{url}/history", headers=collector).status_code == 404
    assert client.post(f"{url}/transitions", headers=collector,
                       json={"to": "partially_satisfied", "version": 1}).status_code == 404
    assert client.post(f"{url}/contributions", headers=collector, json={
        "text": "x", "source": "x", "grading": "2/B/P"}).status_code == 404


def test_draft_to_satisfied_is_422_with_a_reason(client, api_token, db):
    requirement = db.session.execute(select(Requirement).filter_by(ref="R-034")).scalar_one()
    response = client.post(f"/api/v1/requirements/{requirement.id}/transitions",
                           headers=api_token("manager"), json={"to": "satisfied", "version": 1})
    assert response.status_code == 422
    assert response.get_json()["error"]["message"] == (
        "A requirement cannot go from draft to proposed satisfied.")


def test_tasking_without_owner_source_and_ltiov_is_422(client, api_token, db):
    requirement = db.session.execute(select(Requirement).where(
        Requirement.owner_team_id.is_(None))).scalars().first()
    response = client.post(f"/api/v1/requirements/{requirement.id}/transitions",
                           headers=api_token("manager"), json={"to": "tasked", "version": 1})
    assert response.status_code == 422
    assert "owner team" in response.get_json()["error"]["message"]


def test_a_stale_version_is_409_and_changes_nothing(client, api_token, db):
    requirement = db.session.execute(select(Requirement).filter_by(ref="R-059")).scalar_one()
    manager = api_token("manager")
    url = f"/api/v1/requirements/{requirement.id}"
    first = client.patch(url, headers=manager, json={"version": 1, "question": "First edit?"})
    assert first.status_code == 200 and first.get_json()["version"] == 2
    stale = client.patch(url, headers=manager, json={"version": 1, "question": "Second edit?",
                                                      "harm": 1})
    assert stale.status_code == 409
    message = stale.get_json()["error"]["message"]
    assert "manager@example.org" in message and "Nothing was saved" in message
    after = _get(client, manager, requirement.id)
    assert after["question"] == "First edit?" and after["version"] == 2
    assert after["harm"] == requirement.harm
    stale_move = client.post(f"{url}/transitions", headers=manager,
                             json={"to": "cancelled", "reason": "x", "version": 1})
    assert stale_move.status_code == 409
    assert _get(client, manager, requirement.id)["status"] == "draft"


@pytest.mark.parametrize("field", ["status", "id", "author", "ref", "created_at"])
def test_unknown_or_protected_fields_are_refused(client, api_token, db, field):
    requirement = db.session.execute(select(Requirement).filter_by(ref="R-059")).scalar_one()
    response = client.patch(f"/api/v1/requirements/{requirement.id}",
                            headers=api_token("manager"), json={"version": 1, field: "closed"})
    assert response.status_code == 422
    assert field in str(response.get_json()["error"]["fields"])
    assert _get(client, api_token("manager"), requirement.id)["status"] == "draft"


@pytest.mark.parametrize(("body", "message"), [
    ({"harm": 7}, "harm"),
    ({"owner_team": "Nobody"}, "no team named 'Nobody'"),
    ({"sources": ["Tea leaves"]}, "no source named 'Tea leaves'"),
    ({"marking": "SECRETISH"}, "protective marking"),
    ({"question": ""}, "question"),
    ({"ltiov": "31/12/2026"}, "ltiov"),
])
def test_invalid_values_are_422_and_nothing_is_half_written(client, api_token, db, body,
                                                            message):
    requirement = db.session.execute(select(Requirement).filter_by(ref="R-059")).scalar_one()
    url = f"/api/v1/requirements/{requirement.id}"
    manager = api_token("manager")
    response = client.patch(url, headers=manager,
                            json={"version": 1, "rationale": "Changed too?", **body})
    assert response.status_code == 422
    assert message in str(response.get_json()["error"])
    after = _get(client, manager, requirement.id)
    assert after["version"] == 1 and after["rationale"] == requirement.rationale


def test_contribution_grading_is_checked(client, api_token, db, collector_team):
    manager, collector = api_token("manager"), api_token("collector")
    requirement = _owned_requirement(db, collector_team)
    source = requirement.sources[0].name
    _task(client, manager, requirement.id, collector_team.name, [source])
    url = f"/api/v1/requirements/{requirement.id}/contributions"
    bad = client.post(url, headers=collector, json={"text": "x", "source": source,
                                                     "grading": "2/B/C"})
    assert bad.status_code == 422 and "conditions" in bad.get_json()["error"]["message"]
    good = client.post(url, headers=collector, json={
        "text": "x", "source": source, "grading": "2/B/C",
        "handling_conditions": "Law enforcement only"})
    assert good.status_code == 201
    listed = client.get(url, headers=collector).get_json()
    assert [item["grading"] for item in listed["items"]] == ["2/B/C"]


def test_a_reviewer_may_not_write(client, api_token, db):
    requirement = db.session.execute(select(Requirement).filter_by(ref="R-059")).scalar_one()
    reviewer = api_token("reviewer")
    url = f"/api/v1/requirements/{requirement.id}"
    assert client.patch(url, headers=reviewer, json={"version": 1}).status_code == 403
    assert client.post(f"{url}/transitions", headers=reviewer,
                       json={"to": "tasked", "version": 1}).status_code == 403


def test_creating_gaps_and_requirements_and_child_questions(client, api_token, db):
    manager = api_token("manager")
    judgements = client.get("/api/v1/key-judgements", headers=manager).get_json()["items"]
    gap = client.post("/api/v1/gaps", headers=manager, json={
        "assessment_id": judgements[0]["assessment_id"], "title": "Scale of sextortion",
        "statement": "The scale of financially motivated sexual extortion is unknown.",
        "paragraphs": [64], "theme": "Online exploitation",
        "key_judgement_ids": [judgements[1]["id"]]})
    assert gap.status_code == 201, gap.get_json()
    gap = gap.get_json()
    assert gap["ref"] == "G-064" and gap["key_judgement_ids"] == [judgements[1]["id"]]
    parent = client.post("/api/v1/requirements", headers=manager, json={
        "gap_id": gap["id"], "question": "How many UK children were extorted in 2016?",
        "rationale": "KJ2", "marking": "OFFICIAL"})
    assert parent.status_code == 201
    parent = parent.get_json()
    assert parent["ref"] == "R-064" and parent["status"] == "draft"
    child = client.post("/api/v1/requirements", headers=manager, json={
        "question": "Which platforms were used?", "parent_id": parent["id"]})
    assert child.status_code == 201
    assert child.get_json()["ref"] == "R-064.1" and child.get_json()["gap_id"] == gap["id"]
    assert _get(client, manager, parent["id"])["child_ids"] == [child.get_json()["id"]]


def test_linking_and_unlinking_key_judgements(client, api_token, db):
    manager = api_token("manager")
    gap = client.get("/api/v1/gaps?q=G-059", headers=manager).get_json()["items"][0]
    judgements = client.get("/api/v1/key-judgements", headers=manager).get_json()["items"]
    kj4 = next(item for item in judgements if item["number"] == 4)
    url = f"/api/v1/gaps/{gap['id']}/key-judgements/{kj4['id']}"
    linked = client.put(url, headers=manager)
    assert linked.status_code == 200 and kj4["id"] in linked.get_json()["key_judgement_ids"]
    again = client.put(url, headers=manager)
    assert again.get_json()["version"] == linked.get_json()["version"]
    unlinked = client.delete(url, headers=manager)
    assert kj4["id"] not in unlinked.get_json()["key_judgement_ids"]
    trail = db.session.execute(select(AuditEvent.action).where(
        AuditEvent.entity_type == "gap", AuditEvent.entity_id == gap["id"])
        .order_by(AuditEvent.id)).scalars().all()
    assert trail[-2:] == ["link", "unlink"]


def test_a_changed_key_judgement_flags_its_requirements_until_cleared(client, api_token, db):
    manager = api_token("manager")
    judgement = client.get("/api/v1/key-judgements", headers=manager).get_json()["items"][2]
    response = client.patch(f"/api/v1/key-judgements/{judgement['id']}", headers=manager, json={
        "version": judgement["version"], "text": judgement["text"] + " (revised)",
        "likelihood": "highly likely", "confidence": "moderate"})
    assert response.status_code == 200, response.get_json()
    flagged = client.get("/api/v1/requirements?per_page=200", headers=manager).get_json()
    flagged = [item for item in flagged["items"] if item["key_judgement_changed"]]
    gap_ids = set(judgement["gap_ids"])
    assert {item["gap_id"] for item in flagged} == gap_ids
    first = flagged[0]
    cleared = client.delete(f"/api/v1/requirements/{first['id']}/key-judgement-flag",
                            headers=manager, json={"version": first["version"]})
    assert cleared.status_code == 200 and cleared.get_json()["key_judgement_changed"] is False


def test_two_clients_editing_at_once_lose_nothing(app, api_token, db):
    """Two clients each make 50 edits to one requirement at the same time."""
    requirement = db.session.execute(select(Requirement).filter_by(ref="R-059")).scalar_one()
    url = f"/api/v1/requirements/{requirement.id}"
    headers = {"alice": api_token("manager"), "bob": api_token("admin")}
    applied: dict[str, list[str]] = {"alice": [], "bob": []}
    refused: dict[str, int] = {"alice": 0, "bob": 0}
    errors: list[str] = []

    def edit(name: str) -> None:
        browser = app.test_client()
        for number in range(50):
            version = browser.get(url, headers=headers[name]).get_json()["version"]
            question = f"{name} edit {number}?"
            response = browser.patch(url, headers=headers[name],
                                     json={"version": version, "question": question})
            if response.status_code == 200:
                applied[name].append(question)
            elif response.status_code == 409:
                refused[name] += 1
            else:
                errors.append(f"{response.status_code} {response.get_data(as_text=True)}")

    threads = [threading.Thread(target=edit, args=(name,)) for name in applied]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    total_applied = len(applied["alice"]) + len(applied["bob"])
    assert total_applied + refused["alice"] + refused["bob"] == 100
    history = db.session.execute(select(AuditEvent).where(
        AuditEvent.entity_type == "requirement", AuditEvent.entity_id == requirement.id,
        AuditEvent.field == "question").order_by(AuditEvent.id)).scalars().all()
    assert len(history) == total_applied
    assert {event.new for event in history} == set(applied["alice"]) | set(applied["bob"])
    # Each edit started from the one before it: the trail is an unbroken chain.
    for before, after in zip(history, history[1:], strict=False):
        assert after.old == before.new
    final = db.session.get(Requirement, requirement.id)
    assert final.question == history[-1].new
    assert final.version == 1 + total_applied
