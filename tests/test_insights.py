"""Insights: figures from the audit trail checked against a small history whose answers are
known; need to know; the page, its charts, the CSV and the API; statement counts."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from gaps import insights
from gaps.domain.insights import insights_range
from gaps.models import (
    Assessment,
    AuditEvent,
    Gap,
    KeyJudgement,
    Requirement,
    Team,
    User,
    gap_key_judgement,
)

RANGE = "?from=2020-01-01&to=2020-06-30&by=quarter"


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def _status(requirement: Requirement, day: str, old: str, new: str) -> AuditEvent:
    return AuditEvent(at=_at(day), actor="manager@example.org", action="transition",
                      entity_type="requirement", entity_id=requirement.id,
                      entity_ref=requirement.ref, field="status", old=old, new=new)


def _contribution(requirement: Requirement, day: str) -> AuditEvent:
    return AuditEvent(at=_at(day), actor="collector@example.org", action="contribution",
                      entity_type="requirement", entity_id=requirement.id,
                      entity_ref=requirement.ref, field="contributions", new="2/B/P found")


@pytest.fixture
def history(db):
    """Four requirements of a 2020 assessment with chosen histories (see each comment):
    R1 and R2 owned by the collector's team, R3 and R4 by another; KJ1 covers gaps 1 and 2."""
    collector_team = db.session.execute(
        select(Team).join(User, User.team_id == Team.id)
        .where(User.email == "collector@example.org")).scalar_one()
    other_team = Team(name="Insights other team")
    assessment = Assessment(title="Insights 2020", reference="INS-2020", version="1",
                            marking="OFFICIAL", status="published")
    db.session.add_all([other_team, assessment])
    db.session.flush()
    judgement = KeyJudgement(assessment_id=assessment.id, number=1, text="It grows.")
    gaps = [Gap(assessment_id=assessment.id, ref=f"INS-G{n}", title=f"Gap {n}",
                statement="Unknown.") for n in (1, 2, 3)]
    db.session.add_all([judgement, *gaps])
    db.session.flush()
    db.session.execute(gap_key_judgement.insert(), [
        {"gap_id": gaps[0].id, "key_judgement_id": judgement.id},
        {"gap_id": gaps[1].id, "key_judgement_id": judgement.id}])

    def requirement(ref, gap, team, created, status, ltiov=None, review=None):
        made = Requirement(ref=ref, gap_id=gap.id, question=f"{ref}?", owner_team_id=team.id,
                           created_at=_at(created), status=status, ltiov=ltiov,
                           review_date=review)
        db.session.add(made)
        db.session.flush()
        return made

    r1 = requirement("INS-R1", gaps[0], collector_team, "2020-01-01", "closed",
                     ltiov=date(2020, 6, 1))
    r2 = requirement("INS-R2", gaps[1], collector_team, "2020-01-01", "satisfied",
                     ltiov=date(2020, 3, 1), review=date(2020, 6, 30))
    r3 = requirement("INS-R3", gaps[2], other_team, "2020-02-01", "cancelled",
                     ltiov=date(2020, 3, 15))
    requirement("INS-R4", gaps[2], other_team, "2020-04-01", "draft")
    db.session.add_all([
        # R1: tasked after 10 days, contribution 10 days later, proposed 30 days after
        # tasking, confirmed 10 days after that.
        _status(r1, "2020-01-11", "draft", "tasked"), _contribution(r1, "2020-01-21"),
        _status(r1, "2020-02-10", "tasked", "satisfied"),
        _status(r1, "2020-02-20", "satisfied", "closed"),
        # R2: tasked after 30 days; first contribution 70 days later (Q2); proposed 90 days
        # after tasking (Q2); never confirmed. LTIOV 1 March: past it at both quarters' ends.
        _status(r2, "2020-01-31", "draft", "tasked"), _contribution(r2, "2020-04-10"),
        _status(r2, "2020-04-30", "tasked", "satisfied"),
        # R3: tasked after 20 days, cancelled in Q2; past its LTIOV at the end of Q1 only.
        _status(r3, "2020-02-21", "draft", "tasked"),
        _status(r3, "2020-05-01", "tasked", "cancelled"),
    ])
    db.session.commit()
    return {"judgement": judgement, "collector_team": collector_team, "other_team": other_team}


def _user(db, role):
    return db.session.execute(select(User).where(User.email == f"{role}@example.org")
                              ).scalar_one()


def _figures(db, role):
    wanted = insights_range("2020-01-01", "2020-06-30", "quarter", date(2026, 12, 3))
    return insights.insights(_user(db, role), wanted)


def test_the_figures_match_a_history_whose_answers_are_known(db, history):
    found = _figures(db, "manager")
    assert [period.label for period in found.periods] == ["2020 Q1", "2020 Q2"]
    durations = found.overall.durations
    q1, q2 = (durations["draft_to_tasked"][index] for index in (0, 1))
    assert (q1.count, q1.median, q1.p90) == (3, 20.0, 28.0)  # 10, 20 and 30 days
    assert q2.count == 0 and q2.median is None
    assert [(s.count, s.median) for s in durations["tasked_to_first_contribution"]] == [
        (1, 10.0), (1, 70.0)]
    assert [(s.count, s.median) for s in durations["tasked_to_proposed"]] == [
        (1, 30.0), (1, 90.0)]
    assert [(s.count, s.median) for s in durations["proposed_to_confirmed"]] == [
        (1, 10.0), (0, None)]
    counts = found.overall.counts
    assert counts["opened"] == [3, 1]
    assert counts["closed"] == [1, 0]
    assert counts["cancelled"] == [0, 1]
    assert counts["past_ltiov"] == [2, 1]
    assert counts["past_review"] == [0, 1]


def test_the_figures_per_team_and_per_key_judgement(db, history):
    found = _figures(db, "manager")
    teams = {team.label: team for team in found.teams}
    mine = teams[history["collector_team"].name]
    assert (mine.durations["draft_to_tasked"][0].median,
            mine.durations["draft_to_tasked"][0].p90) == (20.0, 28.0)  # 10 and 30 days
    assert mine.counts["past_ltiov"] == [1, 1]
    other = teams["Insights other team"]
    assert other.durations["draft_to_tasked"][0].median == 20.0
    assert other.counts["opened"] == [1, 1]
    assert other.counts["cancelled"] == [0, 1]
    judgement = next(item for item in found.key_judgements if item.label == "INS-2020 KJ1")
    assert judgement.counts["opened"] == [2, 0]
    assert judgement.durations["draft_to_tasked"][0].count == 2
    # Gap 1 of its two had a requirement confirmed as satisfied by the end of Q1.
    assert judgement.share_satisfied == [50.0, 50.0]


def test_a_collector_sees_only_their_own_teams_figures(db, history):
    found = _figures(db, "collector")
    assert found.overall.counts["opened"] == [2, 0]
    assert found.overall.durations["draft_to_tasked"][0].count == 2
    assert [team.label for team in found.teams] == [history["collector_team"].name]
    assert found.key_judgements == []


def test_the_page_shows_figures_definitions_and_charts(login_as, history):
    page = login_as("manager").get("/insights" + RANGE)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Draft to tasked" in text and "90th percentile" in text
    assert "Insights other team" in text and "INS-2020 KJ1" in text
    assert "counted in the period in which it was tasked" in text  # a definition
    assert "/insights/charts/durations.svg?" in text
    chart = login_as("manager").get("/insights/charts/durations.svg" + RANGE)
    assert chart.status_code == 200 and chart.mimetype == "image/svg+xml"
    assert b"<script" not in chart.data


def test_the_page_for_a_collector_names_no_other_team(login_as, history):
    text = login_as("collector").get("/insights" + RANGE).get_data(as_text=True)
    assert "Insights other team" not in text and "INS-2020 KJ1" not in text


def test_the_csv_download_holds_the_page_figures(login_as, history):
    response = login_as("reviewer").get("/insights/export.csv" + RANGE)
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    row = next(row for row in rows if row["group"] == "All requirements"
               and row["measure"] == "Draft to tasked" and row["period"] == "2020 Q1")
    assert (row["count"], row["median_days"], row["p90_days"]) == ("3", "20.0", "28.0")
    opened = next(row for row in rows if row["group"] == "All requirements"
                  and row["measure"] == "Opened" and row["period"] == "2020 Q2")
    assert opened["count"] == "1"


def test_the_api_gives_the_same_figures(client, api_token, history):
    response = client.get("/api/v1/insights" + RANGE, headers=api_token("manager"))
    assert response.status_code == 200
    body = response.get_json()
    assert [period["label"] for period in body["periods"]] == ["2020 Q1", "2020 Q2"]
    overall = body["overall"]
    assert overall["durations"]["draft_to_tasked"][0] == {"count": 3, "median": 20.0,
                                                          "p90": 28.0}
    assert overall["counts"]["past_ltiov"] == [2, 1]
    assert body["definitions"]["draft_to_tasked"].startswith("Days from")


@pytest.mark.parametrize(("query", "status"), [
    ("?from=2020-13-01", 422), ("?from=yesterday", 422), ("?from=2021-01-01&to=2020-01-01", 422),
    ("?from=2000-01-01&to=2020-01-01", 422), ("?by=week", 422),
])
def test_bad_ranges_are_refused_clearly(client, api_token, login_as, query, status):
    response = client.get("/api/v1/insights" + query, headers=api_token("manager"))
    assert response.status_code == status
    assert response.get_json()["error"]["message"]
    page = login_as("manager").get("/insights" + query)
    assert page.status_code == 400
    assert "govuk-error-summary" in page.get_data(as_text=True)


def test_statement_count_does_not_grow_with_the_data(app, db, login_as, count_statements):
    from gaps.benchdata import populate

    browser = login_as("manager")
    with count_statements() as few:
        assert browser.get("/insights").status_code == 200
    populate(200, 2_000)
    with count_statements() as many:
        assert browser.get("/insights").status_code == 200
    assert few.count == many.count, (few.statements, many.statements)
    assert many.count <= 6  # the signed-in user, then five reads
    # The generated histories give the figures something to measure.
    body = browser.get("/api/v1/insights").get_json()
    assert sum(item["count"] for item in body["overall"]["durations"]["draft_to_tasked"])
