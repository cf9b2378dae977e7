"""Pages for each role: overview, key judgement, gaps, requirements; markings; need to know."""

import re

import pytest
from sqlalchemy import select

from gaps.models import Assessment, Gap, KeyJudgement, Requirement, Team, User


def _id(db, model, **criteria):
    return db.session.execute(select(model.id).filter_by(**criteria)).scalar_one()


def _markings(html: str) -> list[tuple[str, str]]:
    return re.findall(r'data-marking="(top|bottom)">([A-Z -]+)<', html)


@pytest.mark.parametrize("role", ["admin", "manager", "reviewer"])
def test_the_assessment_overview_lists_key_judgements_with_gap_counts(login_as, db, role):
    response = login_as(role).get("/assessments", follow_redirects=True)
    assert response.status_code == 200
    html = response.text
    assert "Annual Strategic Assessment: Child Sexual Exploitation and Abuse 2016" in html
    assert "0300-CSEA" in html and "16 August 2016" in html
    judgement = db.session.execute(select(KeyJudgement).filter_by(number=2)).scalar_one()
    link = f'href="/gaps?key_judgement={judgement.id}">{len(judgement.gaps)}</a>'
    assert link in html


def test_every_page_shows_its_marking_at_top_and_bottom(login_as, db):
    browser = login_as("manager")
    official_sensitive = db.session.execute(
        select(Requirement).where(Requirement.marking == "OFFICIAL-SENSITIVE")).scalars().first()
    official = db.session.execute(
        select(Requirement).where(Requirement.marking == "OFFICIAL")).scalars().first()
    assessment_id = _id(db, Assessment, reference="0300-CSEA")
    assert _markings(browser.get(f"/assessments/{assessment_id}").text) == [
        ("top", "OFFICIAL"), ("bottom", "OFFICIAL")]
    assert _markings(browser.get(f"/requirements/{official_sensitive.id}").text) == [
        ("top", "OFFICIAL-SENSITIVE"), ("bottom", "OFFICIAL-SENSITIVE")]
    assert _markings(browser.get(f"/requirements/{official.id}").text) == [
        ("top", "OFFICIAL"), ("bottom", "OFFICIAL")]
    # A list shows the highest marking of what it lists.
    assert _markings(browser.get("/requirements").text)[0] == ("top", "OFFICIAL-SENSITIVE")


def test_a_key_judgement_page_lists_its_gaps(login_as, db):
    judgement = db.session.execute(select(KeyJudgement).filter_by(number=4)).scalar_one()
    html = login_as("reviewer").get(f"/key-judgements/{judgement.id}").text
    assert judgement.text in html
    for gap in judgement.gaps:
        assert f">{gap.ref}</a>" in html


def test_the_gap_list_filters_by_key_judgement_theme_and_words(login_as, db):
    browser = login_as("manager")
    judgement = db.session.execute(select(KeyJudgement).filter_by(number=4)).scalar_one()
    html = browser.get("/gaps", query_string={"key_judgement": judgement.id}).text
    refs = set(re.findall(r">(G-\d{3}[a-z]?)</a>", html))
    assert refs == {gap.ref for gap in judgement.gaps}

    html = browser.get("/gaps", query_string={"theme": "Victims"}).text
    themes = {gap.theme for gap in db.session.execute(select(Gap)).scalars()
              if gap.ref in re.findall(r">(G-\d{3}[a-z]?)</a>", html)}
    assert themes == {"Victims"}

    html = browser.get("/gaps", query_string={"q": "grooming"}).text
    assert ">G-059</a>" in html
    assert ">G-034</a>" not in html


def test_nonsense_filters_do_not_break_the_gap_list(login_as):
    response = login_as("manager").get("/gaps", query_string={"key_judgement": "abc",
                                                              "page": "-4", "theme": "<b>"})
    assert response.status_code == 200


def test_the_gap_page_shows_statement_paragraphs_judgements_and_requirements(login_as, db):
    gap = db.session.execute(select(Gap).filter_by(ref="G-085")).scalar_one()
    html = login_as("reviewer").get(f"/gaps/{gap.id}").text
    assert "¶85, ¶89" in html
    assert "there is an intelligence gap in this area" in html
    for judgement in gap.key_judgements:
        assert f">KJ{judgement.number}</a>" in html
    assert f">{gap.requirements[0].ref}</a>" in html


def test_a_collector_sees_only_their_own_teams_requirements(login_as, db):
    collector = db.session.execute(
        select(User).where(User.email == "collector@example.org")).scalar_one()
    own = db.session.execute(select(Requirement).where(
        Requirement.owner_team_id == collector.team_id)).scalars().all()
    other = db.session.execute(select(Requirement).where(
        Requirement.owner_team_id != collector.team_id)).scalars().first()
    unowned = db.session.execute(select(Requirement).where(
        Requirement.owner_team_id.is_(None))).scalars().first()
    browser = login_as("collector")
    html = browser.get("/requirements").text
    listed = set(re.findall(r">(R-\d{3}[a-z]?)</a>", html))
    assert listed == {requirement.ref for requirement in own}
    assert browser.get(f"/requirements/{own[0].id}").status_code == 200
    assert browser.get(f"/requirements/{other.id}").status_code == 404
    assert browser.get(f"/requirements/{unowned.id}").status_code == 404
    # Filtering by another team does not widen the view.
    html = browser.get("/requirements", query_string={"team": other.owner_team_id}).text
    assert not re.findall(r">(R-\d{3}[a-z]?)</a>", html)


def test_a_collector_lands_on_their_tasks(login_as):
    response = login_as("collector").get("/", follow_redirects=True)
    assert "Our tasks" in response.text


def test_the_requirement_page_shows_its_gap_and_key_judgements(login_as, db):
    requirement = db.session.execute(select(Requirement).filter_by(ref="R-059")).scalar_one()
    html = login_as("manager").get(f"/requirements/{requirement.id}").text
    assert requirement.question in html
    assert "is unknown and is an intelligence gap for development" in html
    assert "KJ2:" in html and "KJ3:" in html


def test_user_text_is_escaped(login_as, db):
    gap = db.session.execute(select(Gap).filter_by(ref="G-059")).scalar_one()
    gap.title = "<script>alert('x')</script>"
    db.session.commit()
    html = login_as("manager").get(f"/gaps/{gap.id}").text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_missing_objects_are_404_pages(login_as):
    browser = login_as("manager")
    for url in ("/gaps/99999", "/requirements/99999", "/key-judgements/99999",
                "/assessments/99999"):
        response = browser.get(url)
        assert response.status_code == 404
        assert "Page not found" in response.text


def test_lists_paginate(login_as, db, app):
    app.config["GAPS_PAGE_SIZE"] = 10
    browser = login_as("manager")
    first = set(re.findall(r">(G-\d{3}[a-z]?)</a>", browser.get("/gaps").text))
    second = set(re.findall(r">(G-\d{3}[a-z]?)</a>", browser.get("/gaps?page=2").text))
    assert len(first) == 10 and len(second) == 10 and not first & second
    assert "28 in all." in browser.get("/gaps").text


def test_the_admin_page_lists_accounts_with_their_teams(login_as, db):
    team = db.session.execute(select(Team).join(User).where(
        User.email == "collector@example.org")).scalar_one()
    html = login_as("admin").get("/admin/users").text
    assert "collector@example.org" in html and team.name in html


def test_govuk_frontend_assets_are_served(client):
    assert client.get("/frontend/govuk-frontend.min.js").status_code == 200
    assert client.get("/static/build/app.css").status_code == 200
    assert client.get("/assets/images/favicon.ico").status_code == 200
