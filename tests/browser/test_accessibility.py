"""axe-core on the pages in the states people reach them in (forms refused, filters open, a
table zoomed): no violation of any impact (WCAG 2.2 AA and best practice).

Each page is opened in Chromium signed in as a role that uses it, by following the links and
forms a person would, and axe-core (from npm) checks what the browser shows. The site's
Content-Security-Policy refuses injected scripts, so these contexts bypass it for axe alone.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    axe_violations,
    describe_violations,
    fill_date,
    sign_in,
    submit,
    today,
)

pytestmark = pytest.mark.browser_context_args(bypass_csp=True)


def go(path: str) -> Callable[[Page, str], None]:
    """Open a path of the site."""
    return lambda page, base: page.goto(base + path)


def click(*steps: tuple[str, str]) -> Callable[[Page, str], None]:
    """Follow links (role "link") or press buttons (role "button") by name, in turn."""
    def follow(page: Page, base: str) -> None:
        for role, name in steps:
            page.get_by_role(role, name=name, exact=True).first.click()
    return follow


def then(*actions: Callable[[Page, str], None]) -> Callable[[Page, str], None]:
    """Do these in turn."""
    def run(page: Page, base: str) -> None:
        for action in actions:
            action(page, base)
    return run


def sign_in_with_nothing(page: Page, base: str) -> None:
    page.goto(f"{base}/sign-in")
    page.get_by_role("button", name="Sign in").click()


def take_snapshot(page: Page, base: str) -> None:
    page.goto(f"{base}/register/snapshots")
    page.get_by_label("Snapshot title").fill("SGG meeting, accessibility check")
    submit(page, "Take a snapshot")


def task_r059_then_sign_in_as_collector(page: Page, base: str) -> None:
    """A manager tasks R-059 (seeded to the collector's team and its sources); then the
    collector opens it."""
    page.goto(f"{base}/requirements?q=R-059")
    click(("link", "R-059"), ("link", "Task"))(page, base)
    fill_date(page, "Latest time of value (LTIOV)", today() + timedelta(days=60))
    submit(page, "Task requirement")
    expect(page.locator(".govuk-caption-l .govuk-tag")).to_have_text("Tasked")
    page.context.clear_cookies()
    sign_in(page, base, "collector")
    page.goto(f"{base}/requirements?q=R-059")
    click(("link", "R-059"), ("link", "Record a contribution"))(page, base)


@dataclass(frozen=True)
class Screen:
    """A page to check: who opens it, how, and the heading that proves it is there."""

    name: str
    role: str | None
    reach: Callable[[Page, str], None]
    heading: str | re.Pattern


SCREENS = [
    Screen("sign-in", None, go("/sign-in"), "Sign in to gaps"),
    Screen("sign-in with errors", None, sign_in_with_nothing, "Sign in to gaps"),
    Screen("manager dashboard", "manager", go("/dashboard"), "What needs attention"),
    Screen("collector dashboard", "collector", go("/dashboard"),
           "NCA CEOP Intelligence Collection: our tasks"),
    # With one assessment, "Assessments" opens it directly.
    Screen("assessment overview", "manager", go("/assessments"),
           "Annual Strategic Assessment: Child Sexual Exploitation and Abuse 2016"),
    Screen("key judgement", "reviewer",
           then(go("/gaps"), click(("link", "G-059"), ("link", "KJ2"))), "Key judgement 2"),
    Screen("gap list", "reviewer", go("/gaps"), "Intelligence gaps"),
    Screen("gap page", "manager", then(go("/gaps"), click(("link", "G-059"))),
           "Scale of online grooming of UK children"),
    Screen("requirement list", "manager", go("/requirements"), "Requirements"),
    Screen("collector's requirement list", "collector", go("/requirements"), "Our tasks"),
    Screen("requirement page", "manager",
           then(go("/requirements?q=R-059"), click(("link", "R-059"))),
           re.compile(r"^How many UK-based children were groomed online")),
    Screen("requirement edit form", "manager",
           then(go("/requirements?q=R-059"), click(("link", "R-059"), ("link", "Edit"))),
           "Edit requirement"),
    Screen("write a requirement form", "manager",
           then(go("/gaps"), click(("link", "G-059"), ("link", "Write a requirement"))),
           "Write a requirement"),
    Screen("task form", "manager",
           then(go("/requirements?q=R-059"), click(("link", "R-059"), ("link", "Task"))),
           "Task this requirement"),
    Screen("task form with errors", "manager",
           then(go("/requirements?q=R-059"), click(("link", "R-059"), ("link", "Task"),
                                                  ("button", "Task requirement"))),
           "Task this requirement"),
    Screen("contribution form", "manager", task_r059_then_sign_in_as_collector,
           "Record a contribution"),
    Screen("contribution form with errors", "manager",
           then(task_r059_then_sign_in_as_collector, click(("button", "Record contribution"))),
           "Record a contribution"),
    Screen("register", "reviewer", go("/register"), "Priority register"),
    Screen("register with its filters open", "reviewer",
           then(go("/register"),
                lambda page, base: page.locator("details.app-filter summary").click()),
           "Priority register"),
    Screen("how scores are made", "reviewer", go("/register/how-scores-are-made"),
           "How scores are made"),
    Screen("snapshots list", "reviewer", then(take_snapshot, go("/register/snapshots")),
           "Register snapshots"),
    Screen("snapshot page", "reviewer", take_snapshot, "SGG meeting, accessibility check"),
    Screen("diff page", "reviewer",
           then(take_snapshot, click(("link", "What has changed since this snapshot"))),
           re.compile(r"^What changed from")),
    Screen("traceability", "reviewer", go("/register/traceability"),
           "Traceability: key judgements, gaps and requirements"),
    Screen("import page", "manager", go("/assessments/import"), "Import an assessment"),
    Screen("audit trail", "admin", go("/admin/audit"), "Audit trail"),
    Screen("scoring settings", "admin", go("/admin/scoring"), "Scoring"),
    Screen("accounts", "admin", go("/admin/users"), "Accounts"),
    Screen("page not found", "manager", go("/requirements/999999"), "Page not found"),
]


# Pages with wide tables, checked again 640 pixels wide (a 1280-pixel screen zoomed to 200%),
# where their tables scroll sideways and must still be reachable from the keyboard.
WIDE_TABLES = [screen for screen in SCREENS if screen.name in {
    "gap list", "requirement list", "requirement page", "register", "snapshot page",
    "traceability", "audit trail"}]


def check(page: Page, base_url: str, axe_script, screen: Screen) -> None:
    if screen.role:
        sign_in(page, base_url, screen.role)
    screen.reach(page, base_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(screen.heading)

    violations = axe_violations(page, axe_script)

    assert not violations, describe_violations(page.url, violations)


@pytest.mark.parametrize("screen", SCREENS, ids=[screen.name for screen in SCREENS])
def test_no_accessibility_violations(live_server, page, axe_script, screen):
    check(page, live_server, axe_script, screen)


@pytest.mark.browser_context_args(bypass_csp=True, viewport={"width": 640, "height": 900})
@pytest.mark.parametrize("screen", WIDE_TABLES, ids=[screen.name for screen in WIDE_TABLES])
def test_no_accessibility_violations_zoomed_in(live_server, page, axe_script, screen):
    check(page, live_server, axe_script, screen)
