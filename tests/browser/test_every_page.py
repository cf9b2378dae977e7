"""Every page each role may open, in Chromium: none wider than its window at 1280 and 390
pixels, and axe-core (WCAG 2.0, 2.1 and 2.2 A and AA, and best practice) finds no violation
of any impact. The pages come from the URL map, so a new page is checked without being listed.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select

from gaps import services
from gaps.config import PROJECT_ROOT
from gaps.domain.actions import ActionDraft
from gaps.importer import read_assessment
from gaps.models import (
    Action,
    Assessment,
    CandidateGap,
    Gap,
    KeyJudgement,
    Paragraph,
    Requirement,
    User,
)
from gaps.policy import ROLES_ATTRIBUTE
from tests.browser.conftest import axe_violations, describe_violations, sign_in, today

pytestmark = pytest.mark.browser_context_args(bypass_csp=True)

WIDTHS = ((1280, 900), (390, 844))
FRAUD = PROJECT_ROOT / "tests" / "importer" / "documents" / "fraud-2024.txt"
# Not pages: files, images and the API, each tested where they are built.
NOT_PAGES = ("/api/", "/static/", "/export", "/charts/", "/assets/", "/healthz", "/sign-out")


def _user(db, role: str) -> User:
    return db.session.execute(select(User).where(User.email == f"{role}@example.org")
                              ).scalar_one()


def _prepare(db) -> dict:
    """What the pages show: a requirement tasked to the collector's team with a contribution
    and a child question, a snapshot, and a draft import waiting for review."""
    manager, collector = _user(db, "manager"), _user(db, "collector")
    requirement = db.session.execute(select(Requirement).filter_by(ref="R-059")).scalar_one()
    source = requirement.sources[0].name if requirement.sources else "NCMEC referrals from US " \
        "online service providers"
    services.task_requirement(manager, requirement.id, requirement.version,
                              owner_team=collector.team.name, sources=[source],
                              ltiov=today() + timedelta(days=60))
    services.issue_api_token(collector.email, name="Nightly export", scope="write")
    services.issue_api_token(manager.email, name="Dashboard feed")
    services.record_contribution(collector, requirement.id, text="Referral data answers it.",
                                 source=source, grading="2/B/P")
    services.create_requirement(manager, gap_id=requirement.gap_id, parent_id=requirement.id,
                                question="Which platforms first?")
    snapshot = services.take_snapshot(manager, "SGG meeting, every-page check")
    decided = services.decide_snapshot(
        _user(db, "reviewer"), snapshot.id, "returned", "Bring online grooming forward.",
        [ActionDraft(text="Reassess R-059's sources.", owner_user_id=manager.id,
                     due_on=today() + timedelta(days=14), requirement_ref="R-059")])
    report = services.record_report(
        collector, title="Grooming on gaming platforms",
        text="UK children were groomed online on gaming platforms by overseas offenders.",
        source=source, found_on=today(), grading="2/B/P")
    text = FRAUD.read_text(encoding="utf-8")
    draft = services.import_assessment(manager, read_assessment(text), full_text=text)
    gap = db.session.execute(select(Gap).filter_by(ref="G-059")).scalar_one()
    published = db.session.execute(select(Assessment).filter_by(status="published")).scalar()
    return {
        "requirement_id": requirement.id, "gap_id": gap.id, "snapshot_id": snapshot.id,
        "key_judgement_id": db.session.execute(select(KeyJudgement.id).filter_by(
            assessment_id=published.id)).scalar(),
        "published_assessment_id": published.id, "draft_assessment_id": draft.id,
        "paragraph_id": db.session.execute(select(Paragraph.id).filter_by(
            assessment_id=draft.id)).scalar(),
        "candidate_id": db.session.execute(select(CandidateGap.id).filter_by(
            assessment_id=draft.id)).scalar(),
        "report_id": report.id,
        "action_id": db.session.execute(select(Action.id).filter_by(
            snapshot_id=decided.id)).scalar(),
        "user_id": collector.id,
    }


def _pages(app, role: str, found: dict) -> list[str]:
    """Every page (GET, HTML) this role may open, with real objects in its address."""
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            view = app.view_functions[rule.endpoint]
            roles = getattr(view, ROLES_ATTRIBUTE, None)
            if "GET" not in rule.methods or roles is None or role not in roles:
                continue
            if rule.rule.startswith(NOT_PAGES) or any(part in rule.rule for part in NOT_PAGES):
                continue
            values = {}
            for name in rule.arguments:
                if name == "assessment_id":
                    drafts = rule.endpoint.startswith("imports.")
                    values[name] = found["draft_assessment_id" if drafts
                                         else "published_assessment_id"]
                elif name == "target":
                    values[name] = "satisfied" if role == "collector" else "cancelled"
                else:
                    values[name] = found[name]
            if rule.endpoint == "requirements.new":
                values["gap_id"] = found["gap_id"]
            if rule.endpoint == "gaps.new":
                values["assessment_id"] = found["published_assessment_id"]
            urls.append(app.url_map.bind("localhost").build(rule.endpoint, values))
    return sorted(set(urls))


@pytest.mark.parametrize("role", ["manager", "collector", "reviewer", "admin"])
def test_every_page_fits_its_window_and_passes_axe(live_server, page, axe_script, app, db,
                                                     role):
    found = _prepare(db)
    pages = _pages(app, role, found)
    assert len(pages) > 5, pages
    sign_in(page, live_server, role)
    problems = []
    for path in pages:
        for width, height in WIDTHS:
            page.set_viewport_size({"width": width, "height": height})
            response = page.goto(live_server + path)
            if response.status != 200:
                problems.append(f"{path}: {response.status}")
                break
            wide = page.evaluate("() => [document.documentElement.scrollWidth, "
                                 "window.innerWidth]")
            if wide[0] > wide[1]:
                problems.append(f"{path} at {width} px: {wide[0]} px wide")
            if width == 1280:
                violations = axe_violations(page, axe_script)
                if violations:
                    problems.append(describe_violations(path, violations))
    assert not problems, "\n".join(problems)
