"""No duplicate requirements or gaps: similar open ones are shown before saving (pages) or
returned with the 201 (API); saving anyway is allowed and recorded."""

from sqlalchemy import func, select

from gaps import queries
from gaps.benchdata import populate
from gaps.domain.similarity import SIMILARITY_THRESHOLD
from gaps.models import Assessment, AuditEvent, Gap, Requirement, User

DUPLICATE_OF_R059 = ("On which platforms does online grooming of UK children begin, and how many "
                     "of the offenders are overseas?")
DISTINCT = "Which forces hold the largest backlog of seized devices awaiting forensic examination?"


def _requirement(db, ref) -> Requirement:
    return db.session.execute(select(Requirement).filter_by(ref=ref)).scalar_one()


def _count(db, model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def _similar_events(db) -> list[AuditEvent]:
    return db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "saved_despite_similar").order_by(AuditEvent.id)).scalars().all()


def test_a_similar_requirement_is_shown_first_and_saved_only_when_the_writer_says_so(
        login_as, db):
    r059 = _requirement(db, "R-059")
    browser = login_as("manager")
    url = f"/requirements/new?gap_id={r059.gap_id}"
    before = _count(db, Requirement)
    first = browser.post(url, data={"question": DUPLICATE_OF_R059, "marking": "OFFICIAL"})
    assert first.status_code == 200
    assert "Similar requirements already exist" in first.text
    assert f'href="/requirements/{r059.id}">R-059</a>' in first.text
    assert "% similar" in first.text and 'name="save_anyway"' in first.text
    assert DUPLICATE_OF_R059 in first.text  # what was typed is kept
    assert _count(db, Requirement) == before and not _similar_events(db)

    saved = browser.post(url, data={"question": DUPLICATE_OF_R059, "marking": "OFFICIAL",
                                    "save_anyway": "y"})
    assert saved.status_code == 302
    assert _count(db, Requirement) == before + 1
    [event] = _similar_events(db)
    assert event.entity_type == "requirement" and "R-059" in event.new
    assert event.reason == "saved anyway after being shown similar ones"
    assert event.actor == "manager@example.org"


def test_a_requirement_unlike_any_other_is_saved_at_once(login_as, db):
    gap_id = _requirement(db, "R-059").gap_id
    response = login_as("manager").post(f"/requirements/new?gap_id={gap_id}",
                                        data={"question": DISTINCT, "marking": "OFFICIAL"})
    assert response.status_code == 302
    assert not _similar_events(db)


def test_the_api_saves_and_answers_with_the_similar_ones(client, api_token, db):
    r059 = _requirement(db, "R-059")
    headers = api_token("manager")
    response = client.post("/api/v1/requirements", headers=headers,
                           json={"gap_id": r059.gap_id, "question": DUPLICATE_OF_R059})
    assert response.status_code == 201
    body = response.get_json()
    assert body["similar"][0]["ref"] == "R-059"
    assert body["similar"][0]["id"] == r059.id
    assert body["similar"][0]["title"]
    assert body["similar"][0]["similarity"] >= SIMILARITY_THRESHOLD
    assert body["ref"] not in [item["ref"] for item in body["similar"]]
    [event] = _similar_events(db)
    assert event.entity_id == body["id"]
    distinct = client.post("/api/v1/requirements", headers=headers,
                           json={"gap_id": r059.gap_id, "question": DISTINCT}).get_json()
    assert distinct["similar"] == []


def test_a_similar_gap_is_shown_first_and_the_api_lists_it(login_as, client, api_token, db):
    gap = db.session.execute(select(Gap).filter_by(ref="G-059")).scalar_one()
    browser = login_as("manager")
    url = f"/gaps/new?assessment_id={gap.assessment_id}"
    data = {"title": gap.title, "statement": gap.statement, "paragraphs": "",
            "section": "", "theme": "", "ref": ""}
    before = _count(db, Gap)
    first = browser.post(url, data=data)
    assert first.status_code == 200 and "Similar gaps already exist" in first.text
    assert f'href="/gaps/{gap.id}">G-059</a>' in first.text
    assert _count(db, Gap) == before
    assert browser.post(url, data={**data, "save_anyway": "y"}).status_code == 302
    assert _count(db, Gap) == before + 1
    body = client.post("/api/v1/gaps", headers=api_token("manager"), json={
        "assessment_id": gap.assessment_id, "title": "Online grooming of children: its scale",
        "statement": gap.statement}).get_json()
    assert "G-059" in [item["ref"] for item in body["similar"]]
    assert len(_similar_events(db)) == 2


def test_a_draft_assessments_gaps_are_not_offered_to_other_assessments(db):
    gap = db.session.execute(select(Gap).filter_by(ref="G-059")).scalar_one()
    text = f"{gap.title} {gap.statement}"
    assert gap.id in [item.id for item in queries.similar_gaps(text)]
    db.session.get(Assessment, gap.assessment_id).status = "draft"
    db.session.commit()
    assert queries.similar_gaps(text) == []
    assert gap.id in [item.id for item in queries.similar_gaps(text, gap.assessment_id)]


def test_need_to_know_applies_to_what_is_listed(db):
    collector = db.session.execute(select(User).filter_by(email="collector@example.org")
                                   ).scalar_one()
    manager = db.session.execute(select(User).filter_by(email="manager@example.org")
                                 ).scalar_one()
    r059 = _requirement(db, "R-059")
    assert r059.id in [item.id for item in queries.similar_requirements(manager,
                                                                        DUPLICATE_OF_R059)]
    r059.owner_team_id = None if r059.owner_team_id == collector.team_id else r059.owner_team_id
    db.session.commit()
    assert r059.owner_team_id != collector.team_id
    assert queries.similar_requirements(collector, DUPLICATE_OF_R059) == []


def test_closed_and_cancelled_requirements_are_not_offered(db):
    manager = db.session.execute(select(User).filter_by(email="manager@example.org")
                                 ).scalar_one()
    r059 = _requirement(db, "R-059")
    r059.status = "cancelled"
    db.session.commit()
    assert r059.id not in [item.id for item in queries.similar_requirements(manager,
                                                                            DUPLICATE_OF_R059)]


def test_candidates_are_found_in_one_bounded_statement_whatever_the_size(db, count_statements):
    populate(400, 0, seed=3)
    manager = db.session.execute(select(User).filter_by(email="manager@example.org")
                                 ).scalar_one()
    with count_statements() as counter:
        found = queries.similar_requirements(manager, DUPLICATE_OF_R059)
    assert counter.count == 1
    assert "LIMIT" in counter.statements[0].upper()
    assert "R-059" in [item.ref for item in found]


def test_a_child_question_is_not_a_duplicate_of_the_questions_it_refines(login_as, db):
    parent = _requirement(db, "R-059")
    browser = login_as("manager")
    refining = {"question": "On which platforms did the online grooming of UK children begin?",
                "marking": "OFFICIAL"}
    assert browser.post(f"/requirements/new?parent_id={parent.id}",
                        data=refining).status_code == 302
    child = _requirement(db, "R-059.1")
    grandchild = {"question": "Which apps on the platforms where online grooming of UK "
                              "children began?", "marking": "OFFICIAL"}
    assert browser.post(f"/requirements/new?parent_id={child.id}",
                        data=grandchild).status_code == 302
    # The same refinement again, under the same parent, is a duplicate of its sibling.
    again = browser.post(f"/requirements/new?parent_id={parent.id}", data=refining)
    assert again.status_code == 200 and ">R-059.1</a>" in again.text
