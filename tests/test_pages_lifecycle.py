"""The lifecycle through the pages: the forms obey the same rules as the API."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from gaps.models import AuditEvent, Gap, KeyJudgement, Requirement, User

TODAY = datetime.now(UTC).date()
LTIOV = TODAY + timedelta(days=60)


def _date_parts(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


@pytest.fixture
def collector(db):
    """The demo collector."""
    return db.session.execute(select(User).where(User.email == "collector@example.org")
                              ).scalar_one()


def _requirement(db, ref: str) -> Requirement:
    db.session.expire_all()
    return db.session.execute(select(Requirement).filter_by(ref=ref)).scalar_one()


def _owned_draft(db, collector) -> Requirement:
    return db.session.execute(select(Requirement).where(
        Requirement.owner_team_id == collector.team_id).order_by(Requirement.ref)
    ).scalars().first()


def _task_through_the_form(browser, requirement, team_name) -> None:
    response = browser.post(f"/requirements/{requirement.id}/task", data={
        "version": requirement.version, "owner_team": team_name,
        "sources": [source.name for source in requirement.sources],
        "ltiov": _date_parts(LTIOV), "review_date": ["", "", ""]})
    assert response.status_code == 302, response.text


def test_a_manager_writes_and_tasks_a_requirement_and_a_collector_works_it(
        login_as, db, collector):
    manager = login_as("manager")
    gap = db.session.execute(select(Gap).filter_by(ref="G-059")).scalar_one()
    response = manager.post(f"/requirements/new?gap_id={gap.id}", data={
        "question": "How many UK children were groomed online in 2016?",
        "rationale": "Undermines KJ2.", "marking": "OFFICIAL",
        # It reads like R-059 (a narrower year): the manager saves it anyway, deliberately.
        "save_anyway": "y"})
    assert response.status_code == 302
    requirement = _requirement(db, "R-059-1")
    assert requirement.status == "draft"
    assert requirement.question in manager.get(response.headers["Location"]).text

    _task_through_the_form(manager, _requirement(db, "R-059"), collector.team.name)
    tasked = _requirement(db, "R-059")
    assert tasked.status == "tasked" and tasked.ltiov == LTIOV and tasked.review_date

    worker = login_as("collector")
    assert "R-059" in worker.get("/dashboard").text
    response = worker.post(f"/requirements/{tasked.id}/contributions/new", data={
        "text": "Referral data for 2016 shows 3,000 cases.", "found_on": _date_parts(TODAY),
        "source": tasked.sources[0].name, "source_grade": "2", "intelligence_grade": "B",
        "handling_code": "P", "likelihood": "", "confidence": ""})
    assert response.status_code == 302, response.text
    page = worker.get(f"/requirements/{tasked.id}").text
    assert "2/B/P" in page and "Referral data for 2016" in page

    current = _requirement(db, "R-059")
    response = worker.post(f"/requirements/{current.id}/transition",
                           data={"target": "partially_satisfied", "version": current.version})
    assert response.status_code == 302
    assert _requirement(db, "R-059").status == "partially_satisfied"

    # Proposing satisfied asks first, and wants to know what answers the question.
    current = _requirement(db, "R-059")
    page = worker.get(f"/requirements/{current.id}").text
    confirm_url = f"/requirements/{current.id}/moves/satisfied"
    assert f'href="{confirm_url}"' in page
    asked = worker.get(confirm_url).text
    assert "Propose that this requirement is satisfied?" in asked
    refused = worker.post(confirm_url, data={"version": current.version, "reason": ""})
    assert refused.status_code == 400 and "Say why" in refused.text
    assert _requirement(db, "R-059").status == "partially_satisfied"
    response = worker.post(confirm_url, data={"version": current.version,
                                              "reason": "The 2016 referral data answers it."},
                           follow_redirects=True)
    assert "R-059 is proposed as satisfied: it waits for a manager" in response.text
    assert _requirement(db, "R-059").status == "satisfied"
    history = response.text.split("govuk-table__caption--m\">History")[1]
    assert "Proposed satisfied (awaiting confirmation)" in history
    assert "The 2016 referral data answers it." in history

    current = _requirement(db, "R-059")
    refused = worker.post(f"/requirements/{current.id}/transition",
                          data={"target": "closed", "version": current.version})
    assert refused.status_code == 403
    assert _requirement(db, "R-059").status == "satisfied"
    assert "R-059" in manager.get("/dashboard").text.split("waiting for confirmation (")[1]


def test_the_task_form_needs_team_source_and_ltiov(login_as, db):
    requirement = _requirement(db, "R-034")
    response = login_as("manager").post(f"/requirements/{requirement.id}/task", data={
        "version": requirement.version, "owner_team": "", "ltiov": ["", "", ""]})
    assert response.status_code == 400
    assert "Choose the team that will collect" in response.text
    assert "Choose at least one source" in response.text
    assert "Enter the date after which an answer is of no value" in response.text
    assert _requirement(db, "R-034").status == "draft"


def test_a_refused_transition_is_explained_on_the_page(login_as, db):
    requirement = _requirement(db, "R-034")
    manager = login_as("manager")
    response = manager.post(f"/requirements/{requirement.id}/transition",
                            data={"target": "satisfied", "version": requirement.version},
                            headers={"Referer": f"http://localhost/requirements/{requirement.id}"})
    assert response.status_code == 302
    page = manager.get(response.headers["Location"]).text
    assert "A requirement cannot go from draft to proposed satisfied." in page
    assert _requirement(db, "R-034").status == "draft"


def test_cancelling_needs_a_reason_and_keeps_it(login_as, db):
    requirement = _requirement(db, "R-034")
    manager = login_as("manager")
    manager.post(f"/requirements/{requirement.id}/transition",
                 data={"target": "cancelled", "version": requirement.version, "reason": ""})
    assert _requirement(db, "R-034").status == "draft"
    manager.post(f"/requirements/{requirement.id}/transition",
                 data={"target": "cancelled", "version": requirement.version,
                       "reason": "Superseded by R-036"})
    assert _requirement(db, "R-034").status == "cancelled"
    page = manager.get(f"/requirements/{requirement.id}").text
    assert "Superseded by R-036" in page


def test_a_stale_edit_is_refused_with_who_and_when_and_keeps_the_input(login_as, db):
    requirement = _requirement(db, "R-059")
    first, second = login_as("manager"), login_as("admin")
    assert 'name="version" value="1"' in second.get(f"/requirements/{requirement.id}/edit").text
    form = {"version": "1", "question": "First manager's question?", "rationale": "r",
            "marking": "OFFICIAL", "owner_team": "", "ltiov": ["", "", ""],
            "review_date": ["", "", ""], "harm": "", "likelihood": "", "knowledge_gap": "",
            "organisational_position": ""}
    assert first.post(f"/requirements/{requirement.id}/edit", data=form).status_code == 302

    response = second.post(f"/requirements/{requirement.id}/edit",
                           data={**form, "question": "Second manager's question?"})
    assert response.status_code == 409
    assert "was changed by manager@example.org" in response.text
    assert "Second manager&#39;s question?" in response.text
    assert 'name="version" value="2"' in response.text
    assert _requirement(db, "R-059").question == "First manager's question?"

    again = second.post(f"/requirements/{requirement.id}/edit",
                        data={**form, "version": "2", "question": "Second manager's question?"})
    assert again.status_code == 302
    assert _requirement(db, "R-059").question == "Second manager's question?"


def test_invalid_edit_values_are_form_errors(login_as, db):
    requirement = _requirement(db, "R-059")
    response = login_as("manager").post(f"/requirements/{requirement.id}/edit", data={
        "version": "1", "question": "", "marking": "NOPE", "ltiov": ["31", "2", "2027"],
        "harm": "9"})
    assert response.status_code == 400
    assert "Enter the question" in response.text
    assert "Not a valid choice" in response.text
    assert _requirement(db, "R-059").version == 1


def test_gaps_are_recorded_edited_and_linked_through_pages(login_as, db):
    manager = login_as("manager")
    judgements = db.session.execute(select(KeyJudgement).order_by(KeyJudgement.number)
                                    ).scalars().all()
    response = manager.post(f"/gaps/new?assessment_id={judgements[0].assessment_id}", data={
        "title": "Extortion by overseas offenders", "paragraphs": "64, 65",
        "statement": "The scale of extortion is unknown.", "theme": "Online exploitation",
        "section": "Extortion", "ref": "", "key_judgements": [str(judgements[2].id)]})
    assert response.status_code == 302, response.text
    gap = db.session.execute(select(Gap).filter_by(ref="G-064")).scalar_one()
    assert gap.paragraphs == [64, 65] and [kj.number for kj in gap.key_judgements] == [3]

    response = manager.post(f"/gaps/{gap.id}/edit", data={
        "version": str(gap.version), "ref": "G-064", "title": "Sexual extortion",
        "statement": gap.statement, "paragraphs": "64", "section": "", "theme": ""})
    assert response.status_code == 302
    manager.post(f"/gaps/{gap.id}/key-judgements", data={"key_judgement": judgements[3].id})
    manager.post(f"/gaps/{gap.id}/key-judgements/{judgements[2].id}/unlink", data={})
    db.session.expire_all()
    gap = db.session.get(Gap, gap.id)
    assert gap.title == "Sexual extortion" and gap.paragraphs == [64]
    assert [kj.number for kj in gap.key_judgements] == [4]
    page = manager.get(f"/gaps/{gap.id}").text
    assert "Extortion by overseas offenders" in page  # the old title, in the history
    assert page.count("KJ4") >= 1


def test_bad_paragraphs_are_a_form_error(login_as, db):
    judgement = db.session.execute(select(KeyJudgement)).scalars().first()
    response = login_as("manager").post(f"/gaps/new?assessment_id={judgement.assessment_id}",
                                        data={"title": "t", "statement": "s",
                                              "paragraphs": "twelve"})
    assert response.status_code == 422
    assert "Paragraphs must be numbers" in response.text


def test_rewording_a_key_judgement_flags_requirements_until_a_manager_clears_it(login_as, db):
    judgement = db.session.execute(select(KeyJudgement).filter_by(number=3)).scalar_one()
    linked = {requirement.ref for gap in judgement.gaps for requirement in gap.requirements}
    manager = login_as("manager")
    response = manager.post(f"/key-judgements/{judgement.id}/edit", data={
        "version": judgement.version, "text": judgement.text + " Further blurring is likely.",
        "likelihood": "likely or probable", "confidence": "moderate"})
    assert response.status_code == 302
    dashboard = manager.get("/dashboard").text.split("Key judgement changed, review (")[1]
    for ref in linked:
        assert f">{ref}</a>" in dashboard
    requirement = _requirement(db, sorted(linked)[0])
    page = manager.get(f"/requirements/{requirement.id}").text
    assert "Key judgement changed, review this requirement." in page
    manager.post(f"/requirements/{requirement.id}/clear-flag",
                 data={"version": requirement.version})
    assert not _requirement(db, requirement.ref).key_judgement_changed
    assert "Key judgement changed, review this requirement." not in manager.get(
        f"/requirements/{requirement.id}").text


def test_the_requirement_page_shows_its_history(login_as, db):
    requirement = _requirement(db, "R-059")
    manager = login_as("manager")
    manager.post(f"/requirements/{requirement.id}/transition",
                 data={"target": "cancelled", "version": 1, "reason": "No longer needed"})
    page = manager.get(f"/requirements/{requirement.id}").text
    history = page.split("govuk-table__caption--m\">History")[1]
    assert "manager@example.org" in history and "No longer needed" in history
    assert re.search(r"Draft</td>\s*<td[^>]*>Cancelled", history)


def test_child_questions_form_a_tree(login_as, db):
    parent = _requirement(db, "R-059")
    manager = login_as("manager")
    manager.post(f"/requirements/new?parent_id={parent.id}",
                 data={"question": "Which platforms?", "marking": "OFFICIAL"})
    child = _requirement(db, "R-059.1")
    manager.post(f"/requirements/new?parent_id={child.id}",
                 data={"question": "Which apps on those platforms?", "marking": "OFFICIAL"})
    page = manager.get(f"/requirements/{parent.id}").text
    tree = page.split("Child questions")[1]
    assert "R-059.1</a>" in tree and "R-059.1.1</a>" in tree
    assert tree.index("R-059.1</a>") < tree.index("R-059.1.1</a>")


def test_the_admin_audit_page_lists_and_filters_events(login_as, db):
    login_as("manager")
    client = login_as("admin")
    everything = client.get("/admin/audit").text
    assert "sign in" in everything
    only = client.get("/admin/audit", query_string={"actor": "manager@", "action": "sign_in"}).text
    row = r"<tr class=\"govuk-table__row\">\s*<td[^>]*>[^<]*</td>\s*<td[^>]*>([^<]*)</td>"
    rows = re.findall(row, only)
    assert rows and set(rows) == {"manager@example.org"}
    count = db.session.execute(select(AuditEvent)).scalars().all()
    assert len(count) > 0


@pytest.mark.parametrize("url", ["/requirements/1/edit", "/requirements/1/task",
                                 "/gaps/new?assessment_id=1", "/gaps/1/edit",
                                 "/key-judgements/1/edit", "/dashboard"])
def test_a_reviewer_gets_403_on_manager_pages(login_as, url):
    assert login_as("reviewer").get(url).status_code == 403


def test_a_collector_cannot_edit_or_task(login_as, db, collector):
    requirement = _owned_draft(db, collector)
    browser = login_as("collector")
    assert browser.get(f"/requirements/{requirement.id}/edit").status_code == 403
    assert browser.post(f"/requirements/{requirement.id}/task", data={}).status_code == 403


def test_select_values_sent_in_lower_case_by_the_browser_are_accepted(login_as, db, collector):
    """GOV.UK's select template writes option values in lower case; forms must still work."""
    manager = login_as("manager")
    gap = db.session.execute(select(Gap).filter_by(ref="G-059")).scalar_one()
    response = manager.post(f"/requirements/new?gap_id={gap.id}", data={
        "question": "Which platforms?", "marking": "official-sensitive"})
    assert response.status_code == 302
    assert _requirement(db, "R-059-1").marking == "OFFICIAL-SENSITIVE"
    requirement = _requirement(db, "R-059")
    response = manager.post(f"/requirements/{requirement.id}/task", data={
        "version": requirement.version, "owner_team": collector.team.name.lower(),
        "sources": [source.name for source in requirement.sources],
        "ltiov": _date_parts(LTIOV)})
    assert response.status_code == 302, response.text
    assert _requirement(db, "R-059").owner_team.name == collector.team.name
    html = manager.get("/gaps", query_string={"theme": "victims"}).text
    assert ">G-036</a>" in html and ">G-059</a>" not in html
