"""Decisions become actions: written with a "returned" decision (or added later to a decided
snapshot), shown on the snapshot and on managers' dashboards, closed with a note; the API, the
CSV export and the audit trail."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from gaps import services
from gaps.domain.actions import ActionDraft
from gaps.domain.errors import InvalidValue, NotAllowed
from gaps.models import Action, AuditEvent, RegisterSnapshot, Requirement, Team, User

TODAY = datetime.now(UTC).date()
DUE = TODAY + timedelta(days=30)


def _user(db, role: str) -> User:
    return db.session.execute(select(User).where(User.email == f"{role}@example.org")
                              ).scalar_one()


def _team(db) -> Team:
    return db.session.execute(select(Team).order_by(Team.name)).scalars().first()


def _snapshot(client, api_token, title: str = "SGG March") -> int:
    response = client.post("/api/v1/register/snapshots", headers=api_token("manager"),
                           json={"title": title})
    assert response.status_code == 201
    return response.get_json()["id"]


def _date_parts(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _row(number: int, text: str, owner: str, due: date | None = DUE,
         requirement: str = "") -> dict:
    return {f"action_{number}_text": text, f"action_{number}_owner": owner,
            f"action_{number}_due": _date_parts(due) if due else ["", "", ""],
            f"action_{number}_requirement": requirement}


def _counts(db) -> tuple[int, int]:
    """How many actions and audit events there are."""
    db.session.expire_all()
    return (db.session.execute(select(func.count(Action.id))).scalar_one(),
            db.session.execute(select(func.count(AuditEvent.id))).scalar_one())


def _return_with_two_actions(db, login_as, snapshot_id: int):
    manager, team = _user(db, "manager"), _team(db)
    reviewer = login_as("reviewer")
    response = reviewer.post(f"/register/snapshots/{snapshot_id}/decision", data={
        "decision": "returned", "direction": "Re-score the grooming requirements.",
        **_row(1, "Re-score R-059 with the new harm evidence.", f"manager:{manager.id}"),
        **_row(3, "Task the research team to R-070.", f"team:{team.id}",
               requirement="r-070")})
    return reviewer, response


def test_returning_a_snapshot_creates_its_actions_for_the_managers_dashboard(
        db, client, api_token, login_as):
    snapshot_id = _snapshot(client, api_token)
    reviewer, response = _return_with_two_actions(db, login_as, snapshot_id)
    assert response.status_code == 302
    page = reviewer.get(response.headers["Location"]).text
    assert "Decision recorded: returned with a direction; 2 actions created." in page
    assert "Actions (2)" in page
    assert "Re-score R-059 with the new harm evidence." in page
    assert "Task the research team to R-070." in page
    assert page.count(">Open</strong>") == 2

    actions = db.session.execute(select(Action).order_by(Action.id)).scalars().all()
    assert [(action.owner_user_id is not None, action.owner_team_id is not None)
            for action in actions] == [(True, False), (False, True)]
    assert actions[1].requirement.ref == "R-070"
    assert all(action.due_on == DUE and action.snapshot_id == snapshot_id for action in actions)

    dashboard = login_as("manager").get("/dashboard").text
    assert "Open actions from the governance group (2)" in dashboard
    assert "Re-score R-059 with the new harm evidence." in dashboard
    assert ">You</td>" in dashboard  # the first is the signed-in manager's own
    assert f"Team: {_team(db).name}" in dashboard
    assert f"/actions/{actions[0].id}/close" in dashboard

    events = db.session.execute(select(AuditEvent).where(
        AuditEvent.action.in_(("add_action", "action", "decision")))
        .order_by(AuditEvent.id)).scalars().all()
    assert [(event.action, event.entity_ref, event.field) for event in events] == [
        ("decision", None, "decision"),
        ("add_action", f"A-{actions[0].id}", "text"),
        ("add_action", f"A-{actions[0].id}", "owner"),
        ("add_action", f"A-{actions[0].id}", "due_on"),
        ("add_action", f"A-{actions[1].id}", "text"),
        ("add_action", f"A-{actions[1].id}", "owner"),
        ("add_action", f"A-{actions[1].id}", "due_on"),
        ("add_action", f"A-{actions[1].id}", "requirement"),
        ("action", "R-070", "action"),
    ]
    assert all(event.actor == "reviewer@example.org" for event in events)
    assert events[1].new == "Re-score R-059 with the new harm evidence."
    assert events[2].new == "manager@example.org"
    assert events[3].new == DUE.isoformat()
    assert "directed by the decision on snapshot “SGG March”" in events[1].reason
    # The requirement's history says an action concerns it.
    requirement = login_as("manager").get(f"/requirements/{actions[1].requirement_id}").text
    assert f"A-{actions[1].id}: Task the research team to R-070." in requirement


@pytest.mark.parametrize(("rows", "field_id", "message"), [
    ({}, "action_1_text", "Add at least one action when the group returns the register"),
    ({**_row(1, "Re-score R-059.", "team:1"), **_row(2, "Only words, no owner.", "")},
     "action_2_owner", "Action 2: choose who owns it: a manager or a team."),
    (_row(1, "Re-score R-059.", "team:1", due=TODAY - timedelta(days=1)),
     "action_1_due", "Action 1: the due date cannot be in the past."),
    (_row(1, "Re-score R-059.", "team:1", due=None), "action_1_due",
     "Action 1: enter the date it is due by"),
    ({**_row(1, "Re-score R-059.", "team:1"),
      **_row(2, "Check R-999.", "team:1", requirement="R-999")},
     "action_2_requirement", "Action 2: there is no requirement R-999."),
])
def test_a_refused_decision_says_why_and_writes_nothing(db, client, api_token, login_as, rows,
                                                        field_id, message):
    snapshot_id = _snapshot(client, api_token)
    reviewer = login_as("reviewer")
    before = _counts(db)
    response = reviewer.post(f"/register/snapshots/{snapshot_id}/decision", data={
        "decision": "returned", "direction": "Re-score.", **rows})
    assert response.status_code in (400, 422)
    assert message in response.text
    assert f'href="#{field_id}"' in response.text
    assert "Error:" in response.text
    assert _counts(db) == before
    assert db.session.get(RegisterSnapshot, snapshot_id).decision is None


def test_an_owner_must_be_a_manager(db, client, api_token):
    snapshot_id = _snapshot(client, api_token)
    collector = _user(db, "collector")
    response = client.post(f"/api/v1/register/snapshots/{snapshot_id}/decision",
                           headers=api_token("reviewer"), json={
                               "decision": "returned", "direction": "Re-score.",
                               "actions": [{"text": "Re-score.", "owner_user_id": collector.id,
                                            "due_on": DUE.isoformat()}]})
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "actions.0.owner"
    assert "owned by a manager" in response.get_json()["error"]["message"]


def test_an_approved_snapshot_may_have_no_action_and_gets_more_later(db, client, api_token,
                                                                     login_as):
    snapshot_id = _snapshot(client, api_token)
    reviewer = login_as("reviewer")
    response = reviewer.post(f"/register/snapshots/{snapshot_id}/decision",
                             data={"decision": "approved"}, follow_redirects=True)
    assert "Decision recorded: approved." in response.text
    assert "The group directed no action with this decision." in response.text
    assert "Add actions" in response.text

    manager = login_as("manager")
    response = manager.post(f"/register/snapshots/{snapshot_id}/actions",
                            data=_row(1, "Brief the group on R-059.", "team:1",
                                      requirement="R-059"), follow_redirects=True)
    assert "1 action added to “SGG March”." in response.text
    assert "Brief the group on R-059." in response.text
    assert db.session.execute(select(func.count(Action.id))).scalar_one() == 1
    added = db.session.execute(select(AuditEvent).where(AuditEvent.action == "add_action")
                               ).scalars().first()
    assert added.actor == "manager@example.org"
    assert added.reason == "added to snapshot “SGG March”"
    assert login_as("collector").post(f"/register/snapshots/{snapshot_id}/actions",
                                      data=_row(1, "x", "team:1")).status_code == 403
    before = _counts(db)
    for rows, message in (({}, "Add at least one action"),
                          ({**_row(1, "Fine.", "team:1"), **_row(2, "No date.", "team:1", None)},
                           "Action 2: enter the date it is due by"),
                          (_row(1, "Bad date.", "team:1") | {"action_1_due": ["31", "2", "2027"]},
                           "Not a valid date value")):
        refused = manager.post(f"/register/snapshots/{snapshot_id}/actions", data=rows)
        assert refused.status_code in (400, 422) and message in refused.text
        assert "<details class=\"govuk-details\" open>" in refused.text  # the form stays open
    assert _counts(db) == before


def test_actions_are_added_only_to_a_decided_snapshot(db, client, api_token, login_as):
    snapshot_id = _snapshot(client, api_token)
    response = client.post(f"/api/v1/register/snapshots/{snapshot_id}/actions",
                           headers=api_token("manager"), json={"actions": [
                               {"text": "Re-score.", "owner_team_id": 1,
                                "due_on": DUE.isoformat()}]})
    assert response.status_code == 422
    assert "Record the group's decision on this snapshot first" in \
        response.get_json()["error"]["message"]
    # The page offers no way to add them either, only the decision (to a reviewer).
    assert 'action="/register/snapshots/' + f'{snapshot_id}/actions"' not in \
        login_as("reviewer").get(f"/register/snapshots/{snapshot_id}").text


def _one_action(db, client, api_token, due: date = DUE) -> Action:
    snapshot_id = _snapshot(client, api_token)
    response = client.post(f"/api/v1/register/snapshots/{snapshot_id}/decision",
                           headers=api_token("reviewer"), json={
                               "decision": "returned", "direction": "Re-score R-059.",
                               "actions": [{"text": "Re-score R-059.",
                                            "owner_user_id": _user(db, "manager").id,
                                            "due_on": due.isoformat(),
                                            "requirement_ref": "R-059"}]})
    assert response.status_code == 200, response.get_json()
    db.session.expire_all()
    return db.session.execute(select(Action).order_by(Action.id.desc())).scalars().first()


def test_a_manager_closes_an_action_with_a_note(db, client, api_token, login_as):
    action = _one_action(db, client, api_token)
    manager = login_as("manager")
    url = f"/actions/{action.id}/close?next=/dashboard"
    page = manager.get(url)
    assert page.status_code == 200
    assert "Close this action?" in page.text and "Re-score R-059." in page.text

    refused = manager.post(url, data={"version": action.version, "note": "  "})
    assert refused.status_code == 400
    assert "Say what was done" in refused.text
    response = manager.post(url, data={"version": action.version,
                                       "note": "Re-scored on the new evidence; harm now 5."})
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    dashboard = manager.get("/dashboard").text
    assert f"Action A-{action.id} closed." in dashboard
    assert "Open actions from the governance group (0)" in dashboard
    assert "No action is open." in dashboard

    snapshot_page = manager.get(f"/register/snapshots/{action.snapshot_id}").text
    assert ">Closed</strong>" in snapshot_page
    assert "by manager@example.org: Re-scored on the new evidence; harm now 5." in snapshot_page

    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "close_action")
                               ).scalar_one()
    assert (event.entity_type, event.entity_id, event.field, event.old, event.new) == (
        "action", action.id, "state", "open", "closed")
    assert event.reason == "Re-scored on the new evidence; harm now 5."

    again = manager.post(url, data={"version": action.version + 1, "note": "Again."})
    assert again.status_code == 422
    assert "already closed by manager@example.org" in again.text
    assert login_as("reviewer").get(url).status_code == 403


def test_an_overdue_action_is_marked_and_listed(db, client, api_token, login_as):
    action = _one_action(db, client, api_token)
    db.session.execute(Action.__table__.update().where(Action.id == action.id)
                       .values(due_on=TODAY - timedelta(days=3)))
    db.session.commit()
    dashboard = login_as("manager").get("/dashboard").text
    assert "Open actions from the governance group (1, 1 overdue)" in dashboard
    assert ">Overdue</strong>" in dashboard
    listing = login_as("reviewer").get("/actions?state=overdue")
    assert listing.status_code == 200
    assert f"A-{action.id}" in listing.text and ">Overdue</strong>" in listing.text
    assert f"A-{action.id}" not in login_as("reviewer").get("/actions?state=closed").text
    body = client.get("/api/v1/actions?state=overdue", headers=api_token("reviewer")).get_json()
    assert [item["state"] for item in body["items"]] == ["overdue"]


def test_the_actions_list_filters_by_owner_and_words(db, client, api_token, login_as):
    action = _one_action(db, client, api_token)
    manager = _user(db, "manager")
    reviewer = login_as("reviewer")
    assert f"A-{action.id}" in reviewer.get(f"/actions?owner=manager:{manager.id}").text
    assert f"A-{action.id}" not in reviewer.get("/actions?owner=team:1").text
    assert f"A-{action.id}" in reviewer.get("/actions?q=re-score").text
    assert f"A-{action.id}" not in reviewer.get("/actions?q=nothing+like+it").text
    assert reviewer.get("/actions?state=bogus&owner=x").status_code == 200
    assert login_as("collector").get("/actions").status_code == 403


def test_the_api_lists_adds_and_closes_actions(db, client, api_token):
    action = _one_action(db, client, api_token)
    reviewer, manager = api_token("reviewer"), api_token("manager")
    body = client.get("/api/v1/actions?state=open", headers=reviewer).get_json()
    assert body["total"] == 1 and body["page"] == 1 and body["per_page"] == 50
    item = body["items"][0]
    assert item == client.get(f"/api/v1/actions/{action.id}", headers=reviewer).get_json()
    assert {key: item[key] for key in ("ref", "text", "owner", "state", "requirement_ref",
                                       "due_on", "created_by", "closed_at", "version")} == {
        "ref": f"A-{action.id}", "text": "Re-score R-059.", "owner": "manager@example.org",
        "state": "open", "requirement_ref": "R-059", "due_on": DUE.isoformat(),
        "created_by": "reviewer@example.org", "closed_at": None, "version": 1}
    assert client.get("/api/v1/actions/999999", headers=reviewer).status_code == 404
    assert client.get("/api/v1/actions", headers=api_token("collector")).status_code == 403

    snapshot = client.get(f"/api/v1/register/snapshots/{action.snapshot_id}",
                          headers=reviewer).get_json()
    assert [each["id"] for each in snapshot["actions"]] == [action.id]

    url = f"/api/v1/register/snapshots/{action.snapshot_id}/actions"
    added = client.post(url, headers=reviewer, json={"actions": [
        {"text": "Report back to the group.", "owner_team_id": 1, "due_on": DUE.isoformat()},
        {"text": "Check R-070.", "owner_team_id": 1, "due_on": DUE.isoformat(),
         "requirement_id": db.session.execute(select(Requirement.id).where(
             Requirement.ref == "R-070")).scalar_one()}]})
    assert added.status_code == 201
    assert [each["text"] for each in added.get_json()["actions"]] == [
        "Report back to the group.", "Check R-070."]
    assert added.get_json()["actions"][1]["requirement_ref"] == "R-070"
    assert client.post(url, headers=api_token("collector"), json={"actions": []}
                       ).status_code == 403
    assert client.post("/api/v1/register/snapshots/999999/actions", headers=reviewer,
                       json={"actions": [{"text": "x", "owner_team_id": 1,
                                          "due_on": DUE.isoformat()}]}).status_code == 404
    unknown = client.post(url, headers=reviewer, json={"actions": [
        {"text": "x", "owner_team_id": 1, "due_on": DUE.isoformat(), "closed_at": "now"}]})
    assert unknown.status_code == 422
    both = client.post(url, headers=reviewer, json={"actions": [
        {"text": "x", "owner_team_id": 1, "owner_user_id": 2, "due_on": DUE.isoformat()}]})
    assert both.status_code == 422 and both.get_json()["error"]["field"] == "actions.0.owner"

    close = f"/api/v1/actions/{action.id}/close"
    assert client.post(close, headers=reviewer, json={"note": "Done.", "version": 1}
                       ).status_code == 403
    stale = client.post(close, headers=manager, json={"note": "Done.", "version": 7})
    assert stale.status_code == 409
    closed = client.post(close, headers=manager, json={"note": "Done.", "version": 1})
    assert closed.status_code == 200
    assert {key: closed.get_json()[key] for key in ("state", "closed_by", "closing_note",
                                                     "version")} == {
        "state": "closed", "closed_by": "manager@example.org", "closing_note": "Done.",
        "version": 2}
    again = client.post(close, headers=manager, json={"note": "Done.", "version": 2})
    assert again.status_code == 422 and again.get_json()["error"]["code"] == "invalid_transition"
    assert client.post("/api/v1/actions/999999/close", headers=manager,
                       json={"note": "Done.", "version": 1}).status_code == 404
    assert client.post(close, headers=manager, json={"version": 2}).status_code == 422


def test_the_decision_endpoint_answers_with_the_actions(db, client, api_token):
    snapshot_id = _snapshot(client, api_token)
    url = f"/api/v1/register/snapshots/{snapshot_id}/decision"
    refused = client.post(url, headers=api_token("reviewer"),
                          json={"decision": "returned", "direction": "Re-score."})
    assert refused.status_code == 422 and refused.get_json()["error"]["field"] == "actions"
    response = client.post(url, headers=api_token("reviewer"), json={
        "decision": "returned", "direction": "Re-score.",
        "actions": [{"text": "Re-score R-059.", "owner_team_id": 1, "due_on": DUE.isoformat()}]})
    assert response.status_code == 200
    body = response.get_json()
    assert body["decision"] == "returned" and body["decided_by"] == "reviewer@example.org"
    assert [action["text"] for action in body["actions"]] == ["Re-score R-059."]
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "actions" in spec["components"]["schemas"]["Decision"]["properties"]
    assert {"/api/v1/actions", "/api/v1/actions/{action_id}/close",
            "/api/v1/register/snapshots/{snapshot_id}/actions"} <= set(spec["paths"])


def test_the_actions_export_is_csv_with_formulas_made_inert_and_is_audited(
        db, client, api_token, login_as):
    snapshot_id = _snapshot(client, api_token)
    services.decide_snapshot(_user(db, "reviewer"), snapshot_id, "returned", "Re-score.", [
        ActionDraft(text='=HYPERLINK("http://example.org","x")', owner_team_id=1, due_on=DUE),
        ActionDraft(text="Brief the group.", owner_user_id=_user(db, "manager").id,
                    due_on=DUE, requirement_ref="R-059")])
    response = login_as("reviewer").get("/actions/export?format=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:6] == ["Action", "What is to be done", "Owner", "Due", "State",
                           "Requirement"]
    assert [row[1] for row in rows[1:]] == ["'=HYPERLINK(\"http://example.org\",\"x\")",
                                            "Brief the group."]
    assert rows[2][2:8] == ["manager@example.org", DUE.isoformat(), "Open", "R-059", "SGG March",
                            "returned with a direction"]
    export = db.session.execute(select(AuditEvent).where(AuditEvent.action == "export")
                                .order_by(AuditEvent.id.desc())).scalars().first()
    assert (export.new, export.field, export.reason) == ("actions list", "csv", "2 rows")
    for export_format in ("xlsx", "json", "pdf"):
        assert login_as("manager").get(f"/actions/export?format={export_format}"
                                       ).status_code == 200


def test_services_check_policy_and_roll_back_completely(db, client, api_token):
    snapshot_id = _snapshot(client, api_token)
    with pytest.raises(NotAllowed):
        services.decide_snapshot(_user(db, "manager"), snapshot_id, "approved", None)
    before = _counts(db)
    with pytest.raises(InvalidValue, match="Action 2: there is no such team"):
        services.decide_snapshot(_user(db, "reviewer"), snapshot_id, "returned", "Re-score.", [
            ActionDraft(text="Re-score.", owner_team_id=1, due_on=DUE),
            ActionDraft(text="Re-score.", owner_team_id=999_999, due_on=DUE)])
    assert _counts(db) == before
    assert db.session.get(RegisterSnapshot, snapshot_id).decision is None
    with pytest.raises(NotAllowed):
        services.close_action(_user(db, "reviewer"), 1, "Done.", None)
