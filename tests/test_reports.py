"""Incoming reports: recorded on a page, through the API or from a feed, matched to open
requirements (the one visibility rule deciding who sees which proposals), then confirmed into
a contribution or rejected for good."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from gaps import services
from gaps.domain.errors import InvalidValue
from gaps.models import Assessment, AuditEvent, Report, ReportMatch, Requirement, User

TODAY = datetime.now(UTC).date()
SOURCE = "NCMEC referrals from US online service providers"
GROOMING_TITLE = "Online grooming of UK children begins on gaming platforms"
GROOMING_TEXT = (
    "Industry referrals received in the last 12 months show at least 1,200 UK-based children "
    "groomed online. About 60 per cent of the offenders were based overseas and the rest in "
    "the UK. Most of the grooming began on two gaming chat platforms before moving to "
    "encrypted messaging apps.")


def _user(db, role: str) -> User:
    return db.session.execute(select(User).where(User.email == f"{role}@example.org")
                              ).scalar_one()


def _requirement(db, ref: str) -> Requirement:
    return db.session.execute(select(Requirement).where(Requirement.ref == ref)).scalar_one()


def _record(db, role: str = "manager", **values) -> Report:
    fields = {"title": GROOMING_TITLE, "text": GROOMING_TEXT, "source": SOURCE,
              "found_on": TODAY - timedelta(days=2), "grading": "2/B/P"} | values
    return services.record_report(_user(db, role), **fields)


def _matches(db, report_id: int) -> list[ReportMatch]:
    return db.session.execute(select(ReportMatch).where(ReportMatch.report_id == report_id)
                              .order_by(ReportMatch.score.desc())).scalars().all()


def _task(db, ref: str, team_of: str = "collector") -> Requirement:
    requirement = _requirement(db, ref)
    team = _user(db, team_of).team.name
    services.task_requirement(_user(db, "manager"), requirement.id, requirement.version,
                              owner_team=team, sources=[SOURCE], ltiov=TODAY + timedelta(days=60))
    return _requirement(db, ref)


# 1. What answers a requirement: indicators and match criteria.

def test_a_manager_writes_indicators_and_match_terms_on_the_edit_page_audited(db, login_as):
    r059 = _requirement(db, "R-059")
    manager = login_as("manager")
    form = manager.get(f"/requirements/{r059.id}/edit").get_data(as_text=True)
    assert "Indicators" in form and "Exclude terms" in form
    response = manager.post(f"/requirements/{r059.id}/edit", data={
        "version": r059.version, "question": r059.question, "marking": r059.marking,
        "indicators": "Number of UK children groomed online\n\nPlatforms where it began",
        "match_terms": 'grooming, "first contact"\nsextortion',
        "exclude_terms": "dog grooming"})
    assert response.status_code == 302, response.get_data(as_text=True)
    r059 = _requirement(db, "R-059")
    assert r059.indicators == ["Number of UK children groomed online",
                               "Platforms where it began"]
    assert r059.match_terms == ["grooming", "first contact", "sextortion"]
    assert r059.exclude_terms == ["dog grooming"]
    events = {event.field: event for event in db.session.execute(select(AuditEvent).where(
        AuditEvent.entity_type == "requirement", AuditEvent.entity_id == r059.id,
        AuditEvent.field.in_(["indicators", "match_terms", "exclude_terms"]))).scalars()}
    assert events["match_terms"].old is None or events["match_terms"].old == ""
    assert events["match_terms"].new == "grooming; first contact; sextortion"
    assert events["exclude_terms"].user.email == "manager@example.org"
    page = manager.get(f"/requirements/{r059.id}").get_data(as_text=True)
    assert "Platforms where it began" in page and "Excluding: dog grooming" in page
    again = manager.get(f"/requirements/{r059.id}/edit").get_data(as_text=True)
    assert "grooming\nfirst contact\nsextortion" in again


def test_the_api_reads_and_changes_indicators_and_match_terms(db, client, api_token):
    r059 = _requirement(db, "R-059")
    headers = api_token("manager")
    body = client.get(f"/api/v1/requirements/{r059.id}", headers=headers).get_json()
    assert (body["indicators"], body["match_terms"], body["exclude_terms"]) == ([], [], [])
    response = client.patch(f"/api/v1/requirements/{r059.id}", headers=headers, json={
        "version": body["version"], "indicators": ["Platforms where grooming began"],
        "match_terms": ["grooming", "\"first contact\""], "exclude_terms": ["dog grooming"]})
    assert response.status_code == 200, response.get_json()
    changed = response.get_json()
    assert changed["match_terms"] == ["grooming", "first contact"]
    assert changed["version"] == body["version"] + 1
    stale = client.patch(f"/api/v1/requirements/{r059.id}", headers=headers, json={
        "version": body["version"], "match_terms": []})
    assert stale.status_code == 409
    for bad in ({"match_terms": "grooming"}, {"match_terms": ["the"]},
                {"indicators": ["x" * 501]}):
        refused = client.patch(f"/api/v1/requirements/{r059.id}", headers=headers,
                               json={"version": changed["version"], **bad})
        assert refused.status_code == 422, bad
    assert _requirement(db, "R-059").match_terms == ["grooming", "first contact"]


def test_snapshots_freeze_indicators_and_match_terms_into_their_exports(
        db, login_as, client, api_token):
    r059 = _requirement(db, "R-059")
    services.update_requirement(_user(db, "manager"), r059.id, r059.version, {
        "indicators": ["Platforms where grooming began"], "match_terms": ["grooming"]})
    snapshot = services.take_snapshot(_user(db, "manager"), "With criteria")
    r059 = _requirement(db, "R-059")
    services.update_requirement(_user(db, "manager"), r059.id, r059.version,
                                {"match_terms": ["changed later"]})
    exported = login_as("reviewer").get(
        f"/register/snapshots/{snapshot.id}/export?format=csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(exported.lstrip("\ufeff"))))
    header = rows[0]
    row = next(row for row in rows if row[1] == "R-059")
    assert row[header.index("Indicators")] == "Platforms where grooming began"
    assert row[header.index("Match terms")] == "grooming"
    frozen = client.get(f"/api/v1/register/snapshots/{snapshot.id}",
                        headers=api_token("reviewer")).get_json()
    assert next(item for item in frozen["rows"] if item["ref"] == "R-059")["match_terms"] == [
        "grooming"]


# 2. Reports in, proposals out.

def test_a_report_answering_the_online_grooming_requirement_proposes_it_first(db):
    report = _record(db)
    matches = _matches(db, report.id)
    refs = [db.session.get(Requirement, match.requirement_id).ref for match in matches]
    assert refs, "nothing was proposed"
    assert refs[0] == "R-059", refs
    best = matches[0]
    assert best.score > matches[1].score if len(matches) > 1 else True
    assert "grooming" in best.matched_terms
    assert any("Question and gap" in line for line in best.explanation)
    others = [db.session.get(Requirement, match.requirement_id) for match in matches[1:]]
    unrelated = [requirement.ref for requirement in others
                 if "groom" not in (requirement.question + requirement.gap.statement).lower()]
    assert all(match.score < best.score for match in matches[1:]), unrelated


def test_match_terms_and_indicators_raise_a_requirement_and_exclude_terms_veto_it(db):
    manager = _user(db, "manager")
    r058 = _requirement(db, "R-058")
    services.update_requirement(manager, r058.id, r058.version, {
        "match_terms": ["sextortion", "financially motivated"],
        "indicators": ["Number of sextortion victims reported by industry"]})
    report = _record(db, title="Financially motivated sextortion of teenage boys",
                     text="Industry reported a rise in sextortion victims among boys.")
    match = db.session.execute(select(ReportMatch).where(
        ReportMatch.report_id == report.id, ReportMatch.requirement_id == r058.id)
    ).scalar_one()
    assert set(match.matched_terms[:2]) == {"sextortion", "financially motivated"}
    assert match.indicators_matched == ["Number of sextortion victims reported by industry"]
    assert match.score >= 40 + 15

    r058 = _requirement(db, "R-058")
    services.update_requirement(manager, r058.id, r058.version, {"exclude_terms": ["boys"]})
    vetoed = _record(db, title="Financially motivated sextortion of teenage boys",
                     text="Industry reported a rise in sextortion victims among boys.")
    assert r058.id not in {match.requirement_id for match in _matches(db, vetoed.id)}


def test_only_open_requirements_of_published_assessments_are_proposed(db):
    manager = _user(db, "manager")
    r059 = _task(db, "R-059")
    services.transition_requirement(manager, r059.id, "cancelled", "Superseded.", r059.version)
    report = _record(db)
    assert r059.id not in {match.requirement_id for match in _matches(db, report.id)}


def test_requirements_of_a_draft_assessment_are_never_proposed(db):
    db.session.execute(Assessment.__table__.update().values(status="draft"))
    db.session.commit()
    assert _matches(db, _record(db).id) == []


@pytest.mark.parametrize(("change", "field"), [
    ({"found_on": TODAY + timedelta(days=1)}, "found_on"),
    ({"source": "A source that does not exist"}, "source"),
    ({"grading": "4/B/P"}, "grading"),
    ({"grading": "2/B/C"}, "handling_conditions"),
    ({"title": "  "}, "title"),
    ({"marking": "RESTRICTED"}, "marking"),
])
def test_a_bad_report_is_refused_and_nothing_is_written(db, change, field):
    with pytest.raises(InvalidValue) as refused:
        _record(db, **change)
    assert refused.value.field == field
    assert db.session.execute(select(func.count(Report.id))).scalar_one() == 0
    assert db.session.execute(select(func.count(ReportMatch.id))).scalar_one() == 0


def test_the_api_records_a_report_and_answers_its_ranked_proposals(client, api_token, db):
    response = client.post("/api/v1/reports", headers=api_token("manager"), json={
        "title": GROOMING_TITLE, "text": GROOMING_TEXT, "source": SOURCE,
        "found_on": (TODAY - timedelta(days=1)).isoformat(), "grading": "1/A/P"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["id"] and body["grading"] == "1/A/P" and body["marking"] == "OFFICIAL"
    proposals = body["proposed_matches"]
    assert proposals[0]["ref"] == "R-059"
    assert [p["score"] for p in proposals] == sorted((p["score"] for p in proposals),
                                                     reverse=True)
    assert {"requirement_id", "ref", "score", "matched_terms", "indicators_matched"} <= set(
        proposals[0])
    again = client.get(f"/api/v1/reports/{body['id']}", headers=api_token("reviewer"))
    assert again.status_code == 200 and again.get_json()["proposed_matches"] == proposals
    listed = client.get("/api/v1/reports?state=waiting", headers=api_token("manager"))
    assert [item["id"] for item in listed.get_json()["items"]] == [body["id"]]


@pytest.mark.parametrize("body", [
    {"title": "No text"},
    {"title": "T", "text": "x", "source": SOURCE, "found_on": "yesterday", "grading": "2/B/P"},
    {"title": "T", "text": "x", "source": SOURCE, "found_on": "2020-01-01", "grading": "9/Z/Q"},
    {"title": "T", "text": "x", "source": "Nobody", "found_on": "2020-01-01", "grading": "2/B/P"},
])
def test_the_api_refuses_bad_reports_with_422_and_writes_nothing(client, api_token, db, body):
    response = client.post("/api/v1/reports", headers=api_token("collector"), json=body)
    assert response.status_code == 422, response.get_json()
    assert db.session.execute(select(func.count(Report.id))).scalar_one() == 0


def test_a_collector_sees_only_proposals_for_their_own_teams_requirements(
        db, client, api_token, login_as):
    r059 = _task(db, "R-059")  # the collector's team
    r006 = _requirement(db, "R-006")
    other_team = db.session.execute(select(User.team_id).where(
        User.email == "manager@example.org")).scalar_one()
    assert r006.owner_team_id != r059.owner_team_id and other_team != r059.owner_team_id
    report = _record(db, text=GROOMING_TEXT + " Overseas offenders and UK offenders alike.")
    stored = {match.requirement_id for match in _matches(db, report.id)}
    assert r059.id in stored and len(stored) > 1  # every match is stored

    body = client.get(f"/api/v1/reports/{report.id}", headers=api_token("collector")).get_json()
    assert [match["ref"] for match in body["proposed_matches"]] == ["R-059"]
    page = login_as("collector").get(f"/reports/{report.id}").get_data(as_text=True)
    assert "R-059" in page
    for requirement_id in stored - {r059.id}:
        ref = db.session.get(Requirement, requirement_id).ref
        assert f">{ref}<" not in page, ref
        refused = client.post(f"/api/v1/reports/{report.id}/matches/{requirement_id}",
                              headers=api_token("collector"), json={"decision": "reject"})
        assert refused.status_code == 404
    manager_page = login_as("manager").get(f"/reports/{report.id}").get_data(as_text=True)
    assert all(f">{db.session.get(Requirement, key).ref}<" in manager_page for key in stored)


def test_a_collector_reads_only_reports_of_their_team_or_matched_to_its_requirements(
        db, client, api_token):
    unmatched = _record(db, title="Weather", text="It rained in Manchester on Tuesday.")
    own = _record(db, "collector", title="Weather again", text="It rained in Leeds too.")
    assert _matches(db, unmatched.id) == []
    headers = api_token("collector")
    assert client.get(f"/api/v1/reports/{unmatched.id}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/reports/{own.id}", headers=headers).status_code == 200
    listed = client.get("/api/v1/reports", headers=headers).get_json()
    assert [item["id"] for item in listed["items"]] == [own.id]


def test_confirming_records_a_contribution_linked_to_the_report(db, login_as):
    r059 = _task(db, "R-059")
    report = _record(db, handling_conditions=None, grading="1/B/P")
    collector = login_as("collector")
    response = collector.post(f"/reports/{report.id}/matches/{r059.id}",
                              data={"decision": "confirm"})
    assert response.status_code == 302
    contribution = _requirement(db, "R-059").contributions[-1]
    assert contribution.report_id == report.id
    assert contribution.text.startswith(GROOMING_TITLE + ": Industry referrals")
    assert contribution.source.name == SOURCE and contribution.grading == "1/B/P"
    assert contribution.found_on == report.found_on
    assert contribution.author.email == "collector@example.org"
    match = db.session.execute(select(ReportMatch).where(
        ReportMatch.report_id == report.id, ReportMatch.requirement_id == r059.id)).scalar_one()
    assert match.state == "confirmed" and match.contribution_id == contribution.id
    page = collector.get(f"/requirements/{r059.id}").get_data(as_text=True)
    assert f"From report RPT-{report.id}" in page and GROOMING_TITLE in page
    events = db.session.execute(select(AuditEvent.action).where(
        AuditEvent.entity_type == "report", AuditEvent.entity_id == report.id)).scalars().all()
    assert {"create", "propose_matches", "confirm_match"} <= set(events)

    with pytest.raises(InvalidValue, match="already confirmed"):
        services.decide_match(_user(db, "manager"), report.id, r059.id, "reject")


def test_a_rejected_pair_is_never_proposed_again(db, client, api_token):
    r059 = _requirement(db, "R-059")
    report = _record(db)
    response = client.post(f"/api/v1/reports/{report.id}/matches/{r059.id}",
                           headers=api_token("manager"),
                           json={"decision": "reject", "reason": "About gaming, not grooming."})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["state"] == "rejected"
    assert response.get_json()["reason"] == "About gaming, not grooming."
    before = len(_matches(db, report.id))
    assert services.match_again(_user(db, "manager"), report.id) == 0
    db.session.expire_all()
    matches = _matches(db, report.id)
    assert len(matches) == before
    assert [m.state for m in matches if m.requirement_id == r059.id] == ["rejected"]


def test_confirming_a_draft_requirement_says_why_not(db, client, api_token):
    r059 = _requirement(db, "R-059")  # draft in the seed
    report = _record(db)
    response = client.post(f"/api/v1/reports/{report.id}/matches/{r059.id}",
                           headers=api_token("manager"), json={"decision": "confirm"})
    assert response.status_code == 422
    assert "being collected" in response.get_json()["error"]["message"]
    db.session.expire_all()
    assert [m.state for m in _matches(db, report.id) if m.requirement_id == r059.id] == [
        "proposed"]


def test_reviewers_read_reports_but_do_not_triage(db, client, api_token, login_as):
    report = _record(db)
    r059 = _requirement(db, "R-059")
    reviewer = login_as("reviewer")
    page = reviewer.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "R-059" in page and "Reject" not in page
    response = client.post(f"/api/v1/reports/{report.id}/matches/{r059.id}",
                           headers=api_token("reviewer"), json={"decision": "reject"})
    assert response.status_code == 403


def test_the_pages_record_a_report_and_list_those_waiting(db, login_as):
    manager = login_as("manager")
    assert "No report is waiting for triage" in manager.get("/dashboard").get_data(as_text=True)
    response = manager.post("/reports/new", data={
        "title": GROOMING_TITLE, "text": GROOMING_TEXT, "source": SOURCE,
        "found_on": [str(TODAY.day), str(TODAY.month), str(TODAY.year)],
        "source_grade": "2", "intelligence_grade": "B", "handling_code": "P",
        "marking": "OFFICIAL-SENSITIVE"})
    assert response.status_code == 302, response.get_data(as_text=True)
    page = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert "R-059" in page and "OFFICIAL-SENSITIVE" in page and "Waiting for triage" in page
    dashboard = manager.get("/dashboard").get_data(as_text=True)
    assert "1 report has proposed matches" in dashboard
    waiting = manager.get("/reports?state=waiting").get_data(as_text=True)
    assert GROOMING_TITLE in waiting
    refused = manager.post("/reports/new", data={"title": "Only a title"})
    assert refused.status_code == 400
    assert db.session.execute(select(func.count(Report.id))).scalar_one() == 1
    method = manager.get("/reports/how-matching-works").get_data(as_text=True)
    assert "Snowball" in method and "exclude terms" in method


def _import(runner, tmp_path, name: str, content: str):
    feed = tmp_path / name
    feed.write_text(content, encoding="utf-8")
    return runner.invoke(args=["import-reports", str(feed), "--by", "collector@example.org"])


def test_import_reports_from_csv_and_json_lines(runner, db, tmp_path):
    csv_feed = ("title,text,source,found_on,grading,marking\n"
                f"\"{GROOMING_TITLE}\",\"{GROOMING_TEXT}\",{SOURCE},2026-01-02,2/B/P,OFFICIAL\n"
                f"Weather,It rained.,{SOURCE},02/01/2026,3/C/P,\n")
    result = _import(runner, tmp_path, "feed.csv", csv_feed)
    assert result.exit_code == 0, result.output
    assert "Imported 2 reports from feed.csv" in result.output
    lines = "\n".join(__import__("json").dumps(
        {"title": f"Report {number}", "text": GROOMING_TEXT, "source": SOURCE,
         "found_on": "2026-01-03", "grading": "2/C/C", "handling_conditions": "UK only"})
        for number in range(3))
    result = _import(runner, tmp_path, "feed.jsonl", lines + "\n")
    assert result.exit_code == 0, result.output
    assert "Imported 3 reports" in result.output
    reports = db.session.execute(select(Report).order_by(Report.id)).scalars().all()
    assert len(reports) == 5 and reports[-1].handling_conditions == "UK only"
    assert all(report.recorded_by.email == "collector@example.org" for report in reports)


def test_import_reports_names_bad_rows_by_line_and_writes_nothing(runner, db, tmp_path):
    good = {"title": "Fine", "text": GROOMING_TEXT, "source": SOURCE, "found_on": "2026-01-03",
            "grading": "2/B/P"}
    dumps = __import__("json").dumps
    lines = [dumps(good), dumps(good | {"grading": "7/B/P"}), "{not json", "",
             dumps(good | {"source": "Nowhere"}), dumps(good | {"colour": "red"})]
    result = _import(runner, tmp_path, "feed.jsonl", "\n".join(lines))
    assert result.exit_code == 1
    assert "line 3: not JSON" in result.output
    result = _import(runner, tmp_path, "feed.jsonl", "\n".join(lines[:2] + lines[3:]))
    assert result.exit_code == 1
    assert "line 2:" in result.output and "line 4: There is no source named 'Nowhere'" in \
        result.output and "line 5: Unknown columns: colour" in result.output
    assert "line 1" not in result.output
    assert db.session.execute(select(func.count(Report.id))).scalar_one() == 0
    assert db.session.execute(select(func.count(AuditEvent.id)).where(
        AuditEvent.entity_type == "report")).scalar_one() == 0


def test_a_requirement_page_lists_its_reports_waiting_only_for_those_who_may_triage(
        db, login_as):
    r059 = _task(db, "R-059")
    report = _record(db)
    for role, shown in (("manager", True), ("collector", True), ("reviewer", False)):
        page = login_as(role).get(f"/requirements/{r059.id}").get_data(as_text=True)
        assert (f"RPT-{report.id}</a>: {GROOMING_TITLE}" in page) is shown, role
    collector = login_as("collector")
    dashboard = collector.get("/dashboard").get_data(as_text=True)
    assert "1 report has proposed matches to our requirements" in dashboard
    services.decide_match(_user(db, "collector"), report.id, r059.id, "confirm")
    page = login_as("reviewer").get(f"/requirements/{r059.id}").get_data(as_text=True)
    assert f"RPT-{report.id}</a>: {GROOMING_TITLE}" in page and "Confirmed" in page
    assert "No report is waiting for our triage" in collector.get("/dashboard").get_data(
        as_text=True)
