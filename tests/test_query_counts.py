"""Pages and API lists never issue a query per row: statement counts stay the same as the data
grows, and stay small (at most six, the sign-in's own included)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from gaps import queries, services
from gaps.benchdata import populate
from gaps.domain.actions import ActionDraft
from gaps.models import Gap, ReportMatch, Requirement, Source, Team, User

MOST_STATEMENTS = 6


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


def _hot_requirement(db) -> int:
    """The requirement with the longest history and a child question."""
    child = db.session.execute(select(Requirement).where(Requirement.parent_id.is_not(None))
                               .order_by(Requirement.id)).scalars().first()
    return child.parent_id if child is not None else 1


PAGES = [
    ("reviewer", "/actions"),
    ("manager", "/actions?state=open"),
    ("reviewer", "/register"),
    ("reviewer", "/register?sort=score&status=tasked"),
    ("manager", "/dashboard"),
    ("collector", "/dashboard"),
    ("manager", "/requirements"),
    ("collector", "/requirements"),
    ("manager", "/gaps"),
    ("manager", "/requirements/{hot}"),
    ("manager", "/collection-plan"),
    ("collector", "/collection-plan"),
    ("reviewer", "/collection-plan?band=high&without_source=yes"),
    ("collector", "/requirements/{hot_own}"),
    ("manager", "/reports"),
    ("collector", "/reports?state=waiting"),
    ("manager", "/reports/{report}"),
    ("collector", "/reports/{report}"),
]
API_LISTS = [
    "/api/v1/register", "/api/v1/requirements", "/api/v1/gaps",
    "/api/v1/requirements/{hot}/history", "/api/v1/register/snapshots", "/api/v1/actions",
    "/api/v1/collection-plan",
    "/api/v1/reports", "/api/v1/reports?state=waiting", "/api/v1/reports/{report}",
]


def _add_actions(db, snapshot_id: int | None, count: int) -> int:
    """Open actions from a returned snapshot, each owned by a manager or a team and about a
    requirement (a new snapshot when none is given), so that a load per row would show."""
    reviewer, manager = (db.session.execute(select(User).where(User.email == email))
                         .scalar_one() for email in ("reviewer@example.org",
                                                     "manager@example.org"))
    refs = db.session.execute(queries.published_requirement().with_only_columns(
        Requirement.ref).order_by(Requirement.id).limit(count)).scalars().all()
    teams = db.session.execute(select(Team.id)).scalars().all()
    due = date.today() + timedelta(days=30)  # noqa: DTZ011 (the tests' own clock)
    drafts = [ActionDraft(text=f"Action {number} on {ref}.", due_on=due, requirement_ref=ref,
                          owner_user_id=manager.id if number % 2 else None,
                          owner_team_id=None if number % 2 else teams[number % len(teams)])
              for number, ref in enumerate(refs, start=1)]
    if snapshot_id is None:
        snapshot_id = services.take_snapshot(manager, "For actions").id
        services.decide_snapshot(reviewer, snapshot_id, "returned", "Act.", drafts[:1])
        drafts = drafts[1:]
    for start in range(0, len(drafts), 20):
        services.add_actions(reviewer, snapshot_id, drafts[start:start + 20])
    return snapshot_id


def _add_reports(db, count: int) -> int:
    """Reports matched to many requirements (the collector's team's among them), some
    confirmed; the one with the most matches, whose page is counted."""
    manager = db.session.execute(select(User).where(User.email == "manager@example.org")
                                 ).scalar_one()
    source = db.session.execute(select(Source.name).order_by(Source.id)).scalars().first()
    for number in range(count):
        services.record_report(
            manager, title=f"Report {number} on offenders, children and platforms",
            text="Offenders groomed UK children online and overseas; the scale of abuse, the "
                 "platforms used, victims' ages and the number of offenders are described.",
            source=source, found_on=date.today(), grading="2/B/P")  # noqa: DTZ011
    return db.session.execute(
        select(ReportMatch.report_id).group_by(ReportMatch.report_id)
        .order_by(func.count().desc(), ReportMatch.report_id).limit(1)).scalar_one()


def _collector_requirement(db, collector_team: int) -> int:
    """The collector's team's requirement with the most matched reports."""
    return db.session.execute(
        select(Requirement.id).outerjoin(ReportMatch, ReportMatch.requirement_id
                                         == Requirement.id)
        .where(Requirement.owner_team_id == collector_team).group_by(Requirement.id)
        .order_by(func.count(ReportMatch.id).desc(), Requirement.id).limit(1)).scalar_one()


def test_statement_counts_do_not_grow_with_the_data_and_stay_small(
        app, db, login_as, api_token, client, count_statements):
    """Counted on the seed (28 requirements), then again with a register of a few hundred
    requirements built by the benchmark's generator (children, overrides, history, snapshot)."""
    browsers = {role: login_as(role) for role in ("reviewer", "manager", "collector")}
    headers = api_token("reviewer")
    client.get("/api/v1/teams", headers=headers)  # its first use in a minute writes its time
    collector_team = db.session.execute(
        select(User.team_id).where(User.email == "collector@example.org")).scalar_one()
    # Something in each of the collector's lists at both sizes (an empty list is not read).
    db.session.execute(Requirement.__table__.update().where(Requirement.ref == "R-059")
                       .values(status="tasked", owner_team_id=collector_team,
                               ltiov=date(2020, 1, 1)))
    db.session.commit()

    def counts(hot: int, report: int) -> dict[str, int]:
        found = {}
        hot_own = _collector_requirement(db, collector_team)
        for role, url in PAGES:
            with count_statements() as counter:
                response = browsers[role].get(url.format(hot=hot, report=report,
                                                         hot_own=hot_own))
            assert response.status_code == 200, (role, url)
            found[f"{role} {url}"] = counter.count
        for url in API_LISTS:
            with count_statements() as counter:
                response = client.get(url.format(hot=hot, report=report), headers=headers)
            assert response.status_code == 200, url
            found[url] = counter.count
        return found

    snapshot_id = _add_actions(db, None, 2)
    few = counts(_hot_requirement(db), _add_reports(db, 1))
    populate(300, 3_000, seed=7)
    _add_actions(db, snapshot_id, 60)
    db.session.execute(Requirement.__table__.update()
                       .where(Requirement.id % 3 == 0).values(owner_team_id=collector_team))
    db.session.commit()
    many = counts(_hot_requirement(db), _add_reports(db, 60))
    assert many == few
    assert max(many.values()) <= MOST_STATEMENTS, many
