"""Only published assessments' content is listed, counted, searched, ranked, exported or served
by the API: a draft import (here, the next version of the example, which carries its gaps
forward, with one more gap and a draft requirement) changes nothing until it is published."""

import csv
import io
import re

import pytest
from sqlalchemy import select

from gaps import services
from gaps.config import PROJECT_ROOT
from gaps.importer import read_assessment
from gaps.models import Assessment, CandidateGap, Gap, KeyJudgement, User

SEED_TEXT = PROJECT_ROOT / "seed_data" / "assessments" / "asa-csea-2016" / "text.txt"

PAGES = {
    "manager": ["/gaps", "/gaps?q=grooming", "/requirements", "/requirements?q=grooming",
                "/dashboard", "/register", "/register/traceability", "/assessments",
                "/register/charts/status-by-key-judgement.svg", "/register/charts/age.svg"],
    "reviewer": ["/gaps", "/register", "/assessments"],
    "collector": ["/requirements", "/dashboard"],
}
EXPORTS = ["/gaps/export?format=csv", "/requirements/export?format=csv",
           "/register/export?format=csv"]
API = ["/api/v1/gaps?per_page=200", "/api/v1/key-judgements?per_page=200",
       "/api/v1/requirements?per_page=200", "/api/v1/register?per_page=200",
       "/api/v1/assessments?per_page=200", "/api/v1/gaps?q=grooming"]


def _user(db, role: str) -> User:
    return db.session.execute(select(User).where(User.email == f"{role}@example.org")
                              ).scalar_one()


def _without_tokens(html: str) -> str:
    """A page with what changes on every request (CSRF tokens, nonces, times) taken out."""
    html = re.sub(r'(name="csrf_token"[^>]*value=")[^"]+', r"\1", html)
    html = re.sub(r'value="[^"]{40,}"', 'value=""', html)
    html = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "", html)
    return re.sub(r'nonce="[^"]+"', 'nonce=""', html)


def _everything(login_as, client, api_token) -> dict:
    seen = {}
    for role, urls in PAGES.items():
        browser = login_as(role)
        for url in urls:
            response = browser.get(url, follow_redirects=True)
            assert response.status_code == 200, (role, url)
            seen[(role, url)] = _without_tokens(response.text)
    reviewer = login_as("reviewer")
    for url in EXPORTS:
        rows = list(csv.reader(io.StringIO(reviewer.get(url).data.decode("utf-8-sig"))))
        seen[("export", url)] = rows
    headers = api_token("reviewer")
    for url in API:
        body = client.get(url, headers=headers).get_json()
        seen[("api", url)] = (body["total"], [item.get("id") for item in body["items"]])
    return seen


def _import_next_version(db) -> Assessment:
    """Version 3.0 of the example as a draft: its 28 gaps carried forward, one more accepted
    with a first draft requirement, the other proposals still to decide."""
    manager = _user(db, "manager")
    text = SEED_TEXT.read_text(encoding="utf-8")
    draft = services.import_assessment(manager, read_assessment(text), full_text=text,
                                       reference="0300-CSEA", version="3.0")
    candidate = db.session.execute(select(CandidateGap).where(
        CandidateGap.assessment_id == draft.id, CandidateGap.status == "proposed")
        .order_by(CandidateGap.id)).scalars().first()
    if candidate is not None:
        judgement = db.session.execute(select(KeyJudgement.id).where(
            KeyJudgement.assessment_id == draft.id)).scalars().first()
        services.accept_candidate(manager, candidate.id, candidate.version,
                                  title="Scale of online grooming, again",
                                  statement=candidate.statement,
                                  key_judgement_ids=[judgement] if judgement else [],
                                  theme="Online", question="How many children are groomed?")
    return db.session.get(Assessment, draft.id)


def test_a_draft_import_changes_no_list_count_export_or_api_answer(login_as, client, api_token,
                                                                   db):
    before = _everything(login_as, client, api_token)
    draft = _import_next_version(db)
    assert db.session.execute(select(Gap).where(Gap.assessment_id == draft.id)).first()
    after = _everything(login_as, client, api_token)
    changed = [key for key in before if before[key] != after[key]]
    # The assessments list shows managers the draft, as a link to its review page, and
    # nothing else of it.
    assert changed == [("manager", "/assessments")]
    assert "Draft: review" in after[("manager", "/assessments")]


def test_publishing_brings_the_draft_into_every_list(login_as, client, api_token, db):
    draft = _import_next_version(db)
    manager = _user(db, "manager")
    for candidate in db.session.execute(select(CandidateGap).where(
            CandidateGap.assessment_id == draft.id, CandidateGap.status == "proposed")
            ).scalars().all():
        services.reject_candidate(manager, candidate.id, candidate.version)
    before = client.get("/api/v1/gaps?per_page=1", headers=api_token("reviewer")).get_json()
    services.publish_assessment(manager, draft.id)
    after = client.get("/api/v1/gaps?per_page=1", headers=api_token("reviewer")).get_json()
    assert after["total"] > before["total"]
    register = client.get("/api/v1/register?per_page=200",
                          headers=api_token("reviewer")).get_json()
    assert "How many children are groomed?" in {item["question"] for item in register["items"]}


@pytest.mark.parametrize("role", ["reviewer", "collector"])
def test_a_drafts_gap_is_not_found_by_those_who_cannot_edit_it(login_as, db, role):
    draft = _import_next_version(db)
    gap = db.session.execute(select(Gap).where(Gap.assessment_id == draft.id)).scalars().first()
    assert login_as(role).get(f"/gaps/{gap.id}").status_code in (403, 404)
    assert login_as("manager").get(f"/gaps/{gap.id}").status_code == 200
