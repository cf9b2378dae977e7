"""The priority register: ranking, snapshots, decisions, diffs, exports, traceability."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTTextContainer
from sqlalchemy import select

from gaps import services
from gaps.models import AuditEvent, Requirement, Team, User
from gaps.page_cache import page_cache_of

TODAY = datetime.now(UTC).date()


def _requirement(db, ref) -> Requirement:
    db.session.expire_all()
    return db.session.execute(select(Requirement).filter_by(ref=ref)).scalar_one()


def _user(db, role) -> User:
    return db.session.execute(select(User).where(User.email == f"{role}@example.org")
                              ).scalar_one()


def _page_rows(html: str) -> list[tuple[str, str, str]]:
    """(rank, reference, score) of each register row on the page."""
    return re.findall(r'app-rank">(\d+)(?:<abbr[^>]*>\*</abbr>)?</td>\s*'
                      r'<td[^>]*><a[^>]*>([^<]+)</a>.*?data-score>([\d.]+)<', html, flags=re.S)


def test_the_register_ranks_open_requirements_with_their_breakdown(login_as, client, api_token,
                                                                   db):
    html = login_as("reviewer").get("/register").text
    rows = _page_rows(html)
    assert len(rows) == 28
    assert [int(rank) for rank, *_ in rows] == list(range(1, 29))
    scores = [float(score) for *_, score in rows]
    assert scores == sorted(scores, reverse=True)
    first_page = login_as("reviewer").get(
        f"/requirements/{_requirement(db, rows[0][1]).id}").text
    # Its breakdown, on demand in a <details>: points that add up to the total.
    assert re.search(r"Harm</th>\s*<td[^>]*>5 of 5 \(severe\) × weight 3</td>\s*"
                     r"<td[^>]*>30 of 30</td>", first_page)
    assert f"<strong>{rows[0][2].removesuffix('.0')} of 100</strong>" in first_page
    assert "Rank 1 · " in first_page
    body = client.get("/api/v1/register?per_page=200", headers=api_token("reviewer")).get_json()
    assert [(str(item["rank"]), item["ref"], f"{item['score']}") for item in body["items"]] == [
        (rank, ref, score) for rank, ref, score in rows]
    first = body["items"][0]
    assert set(first["score_breakdown"]) == {"harm", "likelihood", "knowledge_gap",
                                             "organisational_position", "urgency"}
    assert {"id", "ref", "question", "gap_id", "status", "owner_team", "ltiov",
            "marking"} <= set(first)


def test_collectors_may_not_see_the_register(login_as, client, api_token):
    assert login_as("collector").get("/register").status_code == 403
    assert client.get("/api/v1/register", headers=api_token("collector")).status_code == 403


def _close(db, ref, team_name, source_name):
    manager, collector = _user(db, "manager"), _user(db, "collector")
    requirement = _requirement(db, ref)
    services.task_requirement(manager, requirement.id, requirement.version,
                              owner_team=team_name, sources=[source_name],
                              ltiov=TODAY + timedelta(days=20))
    services.record_contribution(manager, requirement.id, text="Found it.", source=source_name,
                                 grading="1/A/P")
    for target in ("satisfied", "closed"):
        requirement = _requirement(db, ref)
        services.transition_requirement(manager, requirement.id, target,
                                        "Found it." if target == "satisfied" else None,
                                        requirement.version)
    assert collector  # the collector exists; the manager did the collection here


def test_a_snapshot_stays_as_it_was_and_the_diff_names_each_change(login_as, db, client,
                                                                     api_token):
    manager = login_as("manager")
    response = manager.post("/register/snapshots", data={"title": "SGG March"})
    assert response.status_code == 302
    snapshot_url = response.headers["Location"]
    before = manager.get(snapshot_url).text

    actor = _user(db, "manager")
    rescored = _requirement(db, "R-006")
    services.update_requirement(actor, rescored.id, rescored.version, {"harm": 1})
    reowned = _requirement(db, "R-059")
    services.update_requirement(actor, reowned.id, reowned.version,
                                {"owner_team": "Research and Partnerships"})
    source = _requirement(db, "R-034").sources[0].name
    _close(db, "R-034", "Research and Partnerships", source)

    assert manager.get(snapshot_url).text.count("R-034") == before.count("R-034")
    snapshot_id = int(snapshot_url.rsplit("/", 1)[1])
    frozen = client.get(f"/api/v1/register/snapshots/{snapshot_id}",
                        headers=api_token("reviewer")).get_json()
    assert frozen["row_count"] == 28
    by_ref = {row["ref"]: row for row in frozen["rows"]}
    assert by_ref["R-034"]["status"] == "draft"
    assert by_ref["R-059"]["owner_team"] == "NCA CEOP Intelligence Collection"

    diff = client.get(f"/api/v1/register/snapshots/{snapshot_id}/diff",
                      headers=api_token("reviewer")).get_json()
    kinds = {change["ref"]: change["kinds"] for change in diff["changes"]}
    assert kinds["R-034"] == ["closed"]
    assert "rescored" in kinds["R-006"] and "moved_down" in kinds["R-006"]
    assert "owner_changed" in kinds["R-059"]
    page = manager.get(f"{snapshot_url}/diff").text
    rows = {cells[0]: cells[1] for cells in re.findall(
        r'<a class="govuk-link" href="/requirements/\d+">(R-[\d-]+)</a>[^<]*</td>\s*'
        r'<td[^>]*>([^<]*)</td>', page)}
    assert rows["R-034"] == "closed (confirmed satisfied)"
    assert "owner NCA CEOP Intelligence Collection → Research and Partnerships" in rows["R-059"]
    assert "rescored" in rows["R-006"] and "moved down" in rows["R-006"]
    assert "1 closed" in re.sub(r"<[^>]+>", "", page)
    movement = manager.get("/register").text
    assert "down " in movement or "up " in movement


def test_a_diff_between_two_snapshots(db, client, api_token):
    first = client.post("/api/v1/register/snapshots", headers=api_token("manager"),
                        json={"title": "One"})
    assert first.status_code == 201
    requirement = _requirement(db, "R-042")
    services.update_requirement(_user(db, "manager"), requirement.id, requirement.version,
                                {"harm": 5, "likelihood": 5, "knowledge_gap": 5,
                                 "organisational_position": 5})
    second = client.post("/api/v1/register/snapshots", headers=api_token("manager"),
                         json={"title": "Two"}).get_json()
    diff = client.get(f"/api/v1/register/snapshots/{first.get_json()['id']}/diff"
                      f"?against={second['id']}", headers=api_token("reviewer")).get_json()
    change = next(change for change in diff["changes"] if change["ref"] == "R-042")
    assert change["kinds"][0] == "moved_up" and change["new_rank"] == 1
    assert change["description"].startswith(f"moved up {change['old_rank'] - 1} places")
    backwards = client.get(f"/api/v1/register/snapshots/{second['id']}/diff"
                           f"?against={first.get_json()['id']}",
                           headers=api_token("reviewer")).get_json()
    assert (backwards["snapshot_id"], backwards["against"]) == (diff["snapshot_id"],
                                                                 diff["against"])
    assert backwards["changes"] == diff["changes"]  # always from the older to the newer
    assert client.get(f"/api/v1/register/snapshots/{second['id']}/diff?against=999",
                      headers=api_token("reviewer")).status_code == 404


def test_managers_and_reviewers_take_snapshots_and_only_reviewers_decide(login_as, client,
                                                                         api_token):
    assert client.post("/api/v1/register/snapshots", headers=api_token("collector"),
                       json={"title": "x"}).status_code == 403
    assert client.post("/api/v1/register/snapshots", headers=api_token("reviewer"),
                       json={"title": "x"}).status_code == 201
    snapshot = client.post("/api/v1/register/snapshots", headers=api_token("manager"),
                           json={"title": "Meeting"}).get_json()
    url = f"/api/v1/register/snapshots/{snapshot['id']}/decision"
    assert client.post(url, headers=api_token("manager"),
                       json={"decision": "approved"}).status_code == 403
    refused = client.post(url, headers=api_token("reviewer"), json={"decision": "returned"})
    assert refused.status_code == 422 and "directs" in refused.get_json()["error"]["message"]
    reviewer = login_as("reviewer")
    due = TODAY + timedelta(days=30)
    response = reviewer.post(f"/register/snapshots/{snapshot['id']}/decision",
                             data={"decision": "returned",
                                   "direction": "Raise R-070 above R-059.",
                                   "action_1_text": "Re-score R-070.",
                                   "action_1_owner": "team:1",
                                   "action_1_due": [str(due.day), str(due.month),
                                                    str(due.year)]})
    assert response.status_code == 302
    page = reviewer.get(f"/register/snapshots/{snapshot['id']}").text
    assert "Returned</strong> by reviewer@example.org" in page
    assert "Raise R-070 above R-059." in page
    again = client.post(url, headers=api_token("reviewer"), json={"decision": "approved"})
    assert again.status_code == 422


def test_a_manager_overrides_a_rank_with_a_rationale(login_as, db):
    manager = login_as("manager")
    requirement = _requirement(db, "R-099")
    url = f"/register/requirements/{requirement.id}/override"
    refused = manager.post(url, data={"version": requirement.version, "rank": "1",
                                      "rationale": ""})
    assert refused.status_code == 422
    assert "Write the rationale" in refused.text
    manager.post(url, data={"version": requirement.version, "rank": "1",
                            "rationale": "Ministerial priority for 2017."})
    rows = _page_rows(manager.get("/register").text)
    assert rows[0][1] == "R-099"
    assert "Ministerial priority for 2017." in manager.get("/register").text
    event = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "override_rank", AuditEvent.field == "rank_override")
    ).scalar_one()
    assert (event.old, event.new, event.reason) == (None, "1", "Ministerial priority for 2017.")


def test_filters_and_grouping(login_as, db):
    reviewer = login_as("reviewer")
    team = db.session.execute(select(Team).filter_by(name="International Liaison Network")
                              ).scalar_one()
    html = reviewer.get("/register", query_string={"team": team.id}).text
    refs = {ref for _, ref, _ in _page_rows(html)}
    owned = {requirement.ref for requirement in db.session.execute(
        select(Requirement).where(Requirement.owner_team_id == team.id)).scalars()}
    assert refs == owned
    grouped = reviewer.get("/register", query_string={"group": "key_judgement"}).text
    for number in (1, 2, 3, 4):
        assert f'govuk-table__caption--m">KJ{number}</caption>' in grouped
    assert reviewer.get("/register", query_string={"overdue": "yes"}).status_code == 200
    assert "No open requirement matches" in reviewer.get(
        "/register", query_string={"overdue": "yes"}).text


def _csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_and_xlsx_exports_equal_the_page_and_neutralise_formulas(login_as, db):
    requirement = _requirement(db, "R-075")
    services.update_requirement(_user(db, "manager"), requirement.id, requirement.version,
                                {"question": "=HYPERLINK(\"http://evil\")"})
    reviewer = login_as("reviewer")
    page = _page_rows(reviewer.get("/register").text)

    response = reviewer.get("/register/export?format=csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _csv_rows(response.data)
    assert rows[0][:3] == ["Rank", "Reference", "Question"]
    assert [(row[0], row[1], row[7]) for row in rows[1:]] == page
    formula = next(row for row in rows if row[1] == "R-075")
    assert formula[2] == "'=HYPERLINK(\"http://evil\")"

    workbook = openpyxl.load_workbook(io.BytesIO(reviewer.get("/register/export?format=xlsx").data))
    sheet = workbook.active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [(str(row[0]), row[1], float(row[7])) for row in values[1:]] == [
        (rank, ref, float(score)) for rank, ref, score in page]
    cell = next(row for row in sheet.iter_rows() if row[1].value == "R-075")[2]
    assert cell.data_type == "s" and cell.value.startswith("'=")


def test_exports_hold_every_filtered_row_not_one_page(login_as, app):
    app.config["GAPS_PAGE_SIZE"] = 5
    reviewer = login_as("reviewer")
    assert len(_page_rows(reviewer.get("/register").text)) == 5
    assert len(_csv_rows(reviewer.get("/register/export?format=csv").data)) == 29


def _pdf_pages(body: bytes) -> list[str]:
    pages = []
    for layout in extract_pages(io.BytesIO(body)):
        pages.append(" ".join(element.get_text() for element in layout
                              if isinstance(element, LTTextContainer)))
    return pages


def test_the_pdf_shows_the_marking_on_every_page(login_as):
    response = login_as("reviewer").get("/register/export?format=pdf")
    assert response.headers["Content-Type"] == "application/pdf"
    pages = _pdf_pages(response.data)
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert "OFFICIAL-SENSITIVE" in text, f"page {number} has no marking"
        assert f"Page {number} of {len(pages)}" in text
    assert "Generated" in pages[0] and "R-034" in " ".join(pages)


@pytest.mark.parametrize(("url", "what"), [
    ("/register/export?format=json", "priority register"),
    ("/requirements/export?format=csv", "requirement list"),
    ("/gaps/export?format=xlsx", "gap list"),
])
def test_every_export_is_audited(login_as, db, url, what):
    assert login_as("manager").get(url).status_code == 200
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "export")
                               ).scalars().one()
    assert (event.actor, event.new) == ("manager@example.org", what)
    assert event.field == url.rsplit("=", 1)[1]


def test_an_unknown_export_format_is_refused(login_as, client, api_token):
    assert login_as("reviewer").get("/register/export?format=doc").status_code == 422
    assert client.get("/api/v1/register/export?format=doc",
                      headers=api_token("reviewer")).status_code == 422


def test_snapshot_exports_read_as_taken(login_as, client, api_token):
    taken = client.post("/api/v1/register/snapshots", headers=api_token("manager"),
                        json={"title": "Frozen"}).get_json()
    assert taken["row_count"] == 28 and "rows" not in taken
    snapshot = client.get(f"/api/v1/register/snapshots/{taken['id']}",
                          headers=api_token("reviewer")).get_json()
    rows = _csv_rows(login_as("reviewer").get(
        f"/register/snapshots/{taken['id']}/export?format=csv").data)
    assert [row[1] for row in rows[1:]] == [row["ref"] for row in snapshot["rows"]]


def test_snapshot_rows_come_a_page_at_a_time(client, api_token):
    taken = client.post("/api/v1/register/snapshots", headers=api_token("manager"),
                        json={"title": "Paged"}).get_json()
    url = f"/api/v1/register/snapshots/{taken['id']}"
    first = client.get(f"{url}?per_page=10", headers=api_token("reviewer")).get_json()
    last = client.get(f"{url}?per_page=10&page=3", headers=api_token("reviewer")).get_json()
    assert [row["rank"] for row in first["rows"]] == list(range(1, 11))
    assert [row["rank"] for row in last["rows"]] == list(range(21, 29))
    assert (first["row_count"], last["page"], last["per_page"]) == (28, 3, 10)


def test_traceability_shows_coverage_and_gaps_without_requirements(login_as):
    html = login_as("reviewer").get("/register/traceability").text
    assert html.count("At risk") >= 4  # nothing is satisfied yet
    assert "Every gap has at least one requirement." in html


def test_scoring_settings_are_changed_by_an_admin_and_audited(login_as, db):
    admin = login_as("admin")
    form = {"harm": "10", "likelihood": "0", "knowledge_gap": "0",
            "organisational_position": "0", "urgency": "0", "horizons": "14/45/90/180",
            "high": "70", "medium": "45"}
    assert admin.post("/admin/scoring", data={**form, "horizons": "1/2"}).status_code == 422
    assert admin.post("/admin/scoring", data=form).status_code == 302
    harm_first = _page_rows(admin.get("/register").text)[0]
    assert float(harm_first[2]) == 100.0
    fields = set(db.session.execute(select(AuditEvent.field).where(
        AuditEvent.action == "scoring_settings")).scalars())
    assert "weight of harm" in fields and "weight of urgency" in fields
    assert login_as("manager").get("/admin/scoring").status_code == 403


def test_the_register_command_line(runner, tmp_path, db):
    result = runner.invoke(args=["register", "snapshot", "--title", "From the command line"])
    assert result.exit_code == 0 and "28 requirements" in result.output
    output = tmp_path / "register.xlsx"
    result = runner.invoke(args=["register", "export", "--format", "xlsx", "-o", str(output)])
    assert result.exit_code == 0
    sheet = openpyxl.load_workbook(output).active
    assert sheet.max_row == 29


def test_the_register_issues_as_many_statements_for_1000_requirements_as_for_10(
        app, db, login_as, client, api_token, count_statements):
    reviewer = login_as("reviewer")
    headers = api_token("reviewer")
    gap_ids = [requirement.gap_id for requirement in
               db.session.execute(select(Requirement)).scalars()]
    teams = db.session.execute(select(Team)).scalars().all()

    def fill(total: int) -> None:
        existing = len(db.session.execute(select(Requirement.id)).all())
        for number in range(existing, total):
            db.session.add(Requirement(ref=f"R-N{number:05d}", gap_id=gap_ids[number % 28],
                                       question=f"Question {number}?", harm=number % 5 + 1,
                                       owner_team=teams[number % len(teams)]))
        db.session.commit()

    counts = []
    # A token's first use in a minute writes its last-used time: use it once before counting.
    assert client.get("/api/v1/register", headers=headers).status_code == 200
    for total in (28, 1000):
        fill(total)
        page_cache_of(app).clear()  # counted as rendered, not as kept by the page cache
        with count_statements() as page:
            assert reviewer.get("/register").status_code == 200
        with count_statements() as api:
            assert client.get("/api/v1/register", headers=headers).status_code == 200
        counts.append((page.count, api.count))
    assert counts[0] == counts[1], counts
