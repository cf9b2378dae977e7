"""The collection plan: open requirements in register order against collection sources."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import openpyxl
from sqlalchemy import select

from gaps import services
from gaps.models import AuditEvent, Requirement, Source, User

TODAY = datetime.now(UTC).date()


def _user(db, role) -> User:
    return db.session.execute(select(User).where(User.email == f"{role}@example.org")
                              ).scalar_one()


def _requirement(db, ref) -> Requirement:
    db.session.expire_all()
    return db.session.execute(select(Requirement).filter_by(ref=ref)).scalar_one()


def _task(db, ref: str, team: str, sources: list[str]) -> Requirement:
    requirement = _requirement(db, ref)
    return services.task_requirement(_user(db, "manager"), requirement.id, requirement.version,
                                     owner_team=team, sources=sources,
                                     ltiov=TODAY + timedelta(days=90))


def _plan(client, headers, query: str = "") -> dict:
    response = client.get(f"/api/v1/collection-plan?per_page=200{query}", headers=headers)
    assert response.status_code == 200, response.text
    return response.get_json()


def test_rows_follow_the_register_and_cells_say_tasked_and_contributions(
        login_as, client, api_token, db):
    collector = _user(db, "collector")
    source = db.session.execute(select(Source).order_by(Source.name)).scalars().first().name
    other = db.session.execute(select(Source).order_by(Source.name.desc())).scalars().first()
    _task(db, "R-059", collector.team.name, [source])
    services.record_contribution(collector, _requirement(db, "R-059").id, text="Found it.",
                                 source=source, grading="2/B/P")
    services.record_contribution(collector, _requirement(db, "R-059").id, text="And again.",
                                 source=source, grading="1/A/P")
    services.record_contribution(collector, _requirement(db, "R-059").id, text="Unasked.",
                                 source=other.name, grading="2/C/P")
    headers = api_token("reviewer")
    register = client.get("/api/v1/register?per_page=200", headers=headers).get_json()
    plan = _plan(client, headers)
    assert [(row["rank"], row["ref"]) for row in plan["items"]] == [
        (item["rank"], item["ref"]) for item in register["items"]]
    assert plan["total"] == register["total"]
    row = next(row for row in plan["items"] if row["ref"] == "R-059")
    cells = {cell["source_id"]: cell for cell in row["cells"]}
    source_id = db.session.execute(select(Source.id).filter_by(name=source)).scalar_one()
    assert cells[source_id] == {"source_id": source_id, "tasked": True, "contributions": 2}
    assert cells[other.id] == {"source_id": other.id, "tasked": False, "contributions": 1}
    assert len(cells) == 2
    assert {item["name"] for item in plan["sources"]} == set(
        db.session.execute(select(Source.name)).scalars())
    assert all(item["abbreviation"] for item in plan["sources"])

    html = login_as("manager").get("/collection-plan").text
    assert "Tasked, 2 contributions" in html
    assert "1 contribution" in html
    assert "Key to the sources" in html


def test_rows_with_no_source_and_sources_with_no_open_tasking_stand_out(
        login_as, client, api_token, db):
    db.session.add(Source(name="Dormant informant network", kind="human sources"))
    db.session.commit()
    headers = api_token("manager")
    plan = _plan(client, headers)
    untasked = [row["ref"] for row in plan["items"] if row["without_source"]]
    assert untasked and plan["without_source"] == len(untasked)
    dormant = next(item for item in plan["sources"] if item["name"] == "Dormant informant network")
    assert dormant["open_tasking"] == 0
    assert dormant["id"] in plan["sources_without_open_tasking"]
    only = _plan(client, headers, "&without_source=true")
    assert [row["ref"] for row in only["items"]] == untasked

    browser = login_as("manager")
    html = browser.get("/collection-plan").text
    assert re.search(rf"data-without-source>{len(untasked)}<", html)
    assert html.count("No source</strong>") == len(untasked)
    assert "Dormant informant network" in html.split("Key to the sources")[0]  # in the summary
    assert "No open tasking" in html
    filtered = browser.get("/collection-plan?without_source=yes").text
    assert filtered.count("No source</strong>") == len(untasked)


def test_filters_narrow_rows_but_ranks_stay_those_of_the_whole_register(
        client, api_token, db, app):
    headers = api_token("reviewer")
    everything = {row["ref"]: row["rank"] for row in _plan(client, headers)["items"]}
    for query in ("&band=high", "&status=draft", "&q=online", "&band=low"):
        narrowed = _plan(client, headers, query)
        assert narrowed["total"] == len(narrowed["items"]) <= len(everything)
        for row in narrowed["items"]:
            assert everything[row["ref"]] == row["rank"]
            if "band" in query:
                assert row["band"] == query.split("=")[1]
    assert client.get("/api/v1/collection-plan?band=urgent", headers=headers).status_code == 422


def test_the_page_is_paged_fifty_at_a_time_with_global_ranks(login_as, app):
    app.config["GAPS_PAGE_SIZE"] = 10
    browser = login_as("manager")
    second = browser.get("/collection-plan?page=2").text
    ranks = [int(rank) for rank in re.findall(
        r'<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td>', second)]
    assert ranks == list(range(11, 21))
    assert 'aria-label="Page 3"' in second


def test_a_collector_sees_only_their_own_teams_requirements(login_as, client, api_token, db):
    collector = _user(db, "collector")
    team_refs = set(db.session.execute(select(Requirement.ref).where(
        Requirement.owner_team_id == collector.team_id,
        Requirement.status.notin_(("closed", "cancelled")))).scalars())
    other_refs = set(db.session.execute(select(Requirement.ref).where(
        Requirement.owner_team_id != collector.team_id)).scalars())
    assert team_refs and other_refs
    plan = _plan(client, api_token("collector"))
    assert {row["ref"] for row in plan["items"]} == team_refs
    assert plan["total"] == len(team_refs)
    html = login_as("collector").get("/collection-plan").text
    for ref in other_refs:
        assert f">{ref}</a>" not in html
    # Open tasking counts only what the collector may know of.
    every_source = _plan(client, api_token("manager"))["sources"]
    assert sum(item["open_tasking"] for item in plan["sources"]) < sum(
        item["open_tasking"] for item in every_source)
    # Downloads are for those who may export any list; collectors may not.
    assert login_as("collector").get("/collection-plan/export?format=csv").status_code == 403


def test_draft_assessments_stay_out_of_the_plan(client, api_token, db):
    from gaps.models import Assessment

    published = db.session.execute(select(Assessment)).scalars().first()
    before = _plan(client, api_token("manager"))["total"]
    published.status = "draft"
    db.session.commit()
    assert _plan(client, api_token("manager"))["total"] == 0 < before


def test_csv_and_xlsx_carry_every_row_the_marking_and_inert_cells(login_as, db, app):
    app.config["GAPS_PAGE_SIZE"] = 5
    requirement = _requirement(db, "R-059")
    services.update_requirement(_user(db, "manager"), requirement.id, requirement.version,
                                {"short_title": "=HYPERLINK(\"http://x\")",
                                 "marking": "OFFICIAL-SENSITIVE"})
    browser = login_as("reviewer")
    response = browser.get("/collection-plan/export?format=csv")
    assert response.status_code == 200
    assert response.headers["X-Protective-Marking"] == "OFFICIAL-SENSITIVE"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    sources = db.session.execute(select(Source.name)).scalars().all()
    assert rows[0][:3] == ["Rank", "Reference", "Requirement"]
    assert set(rows[0][9:]) == set(sources)
    total = len(rows) - 1
    assert total > 5  # every row, not one page
    assert [int(row[0]) for row in rows[1:]] == sorted(int(row[0]) for row in rows[1:])
    r059 = next(row for row in rows[1:] if row[1] == "R-059")
    assert r059[2].startswith("'=")
    assert any(cell.startswith("Tasked") for cell in r059[9:]) or r059[8] == "0"

    workbook = openpyxl.load_workbook(io.BytesIO(
        browser.get("/collection-plan/export?format=xlsx").data))
    sheet = workbook.active
    assert "OFFICIAL-SENSITIVE" in sheet.oddHeader.center.text
    assert sheet.max_row - 1 == total
    assert browser.get("/collection-plan/export?format=pdf").status_code == 422
    assert db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "export", AuditEvent.new == "collection plan")).first()


def test_every_role_may_read_the_plan(login_as):
    for role in ("manager", "reviewer", "admin", "collector"):
        assert login_as(role).get("/collection-plan").status_code == 200
