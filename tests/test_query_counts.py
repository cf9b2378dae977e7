"""Lists never issue a query per row: statement counts do not grow with the list."""

import pytest
from sqlalchemy import select

from gaps.models import Gap, Requirement, Source, Team, User


def _add_requirements(db, count: int) -> None:
    """Many requirements, each with its own new gap, team and source, so that any lazy load
    per row would show as extra statements."""
    template = db.session.execute(select(Gap).where(Gap.ref == "G-059")).scalar_one()
    collector_team = db.session.execute(
        select(User.team_id).where(User.email == "collector@example.org")).scalar_one()
    for number in range(count):
        gap = Gap(assessment_id=template.assessment_id, ref=f"G-X{number:04d}",
                  title=f"Gap {number}", statement="Unknown.", paragraphs=[number + 1],
                  theme=f"Theme {number}")
        db.session.add(gap)
        gap.key_judgements = list(template.key_judgements)
        team = Team(name=f"Team {number}") if number % 2 else db.session.get(Team, collector_team)
        db.session.add(Requirement(ref=f"R-X{number:04d}", gap=gap, question=f"Question {number}?",
                                   owner_team=team, sources=[Source(name=f"Source {number}",
                                                                    kind="inspection")]))
    db.session.commit()


@pytest.mark.parametrize(("role", "url"), [
    ("manager", "/requirements"),
    ("collector", "/requirements"),
    ("manager", "/gaps"),
    ("reviewer", "/assessments"),
])
def test_page_statement_count_is_the_same_for_few_and_many_rows(
        app, db, login_as, count_statements, role, url):
    app.config["GAPS_PAGE_SIZE"] = 200
    browser = login_as(role)
    with count_statements() as few:
        assert browser.get(url, follow_redirects=True).status_code == 200
    _add_requirements(db, 150)
    with count_statements() as many:
        assert browser.get(url, follow_redirects=True).status_code == 200
    assert few.count == many.count, (few.statements, many.statements)
