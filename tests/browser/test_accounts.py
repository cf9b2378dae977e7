"""Accounts in a real browser: an admin creates an account whose generated password is shown
once, the new user is sent to change it before anything else, then makes an API token shown
once; every page on the way fits 390 px and passes axe-core."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    DEMO_PASSWORD,
    axe_violations,
    describe_violations,
    sign_in,
    submit,
)

pytestmark = pytest.mark.browser_context_args(bypass_csp=True)
NEW_PASSWORD = "a quiet harbour at dusk"  # noqa: S105


def _check(page: Page, axe_script, problems: list[str]) -> None:
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 844})
        wide = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if wide[0] > wide[1]:
            problems.append(f"{page.url} at {width} px: {wide[0]} px wide")
    violations = axe_violations(page, axe_script)
    if violations:
        problems.append(describe_violations(page.url, violations))
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_account_from_creation_to_its_first_token(live_server, page, axe_script):
    problems: list[str] = []
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server}/admin/users")
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email address").fill("new.reviewer@example.org")
    page.get_by_label("Full name").fill("New Reviewer")
    page.get_by_label("Role").select_option("reviewer")
    page.get_by_label("Your current password").fill(DEMO_PASSWORD)
    submit(page, "Create account")
    expect(page.get_by_role("heading", name="Account created")).to_be_visible()
    _check(page, axe_script, problems)
    password = page.locator("#password").inner_text()

    page.get_by_role("button", name="Sign out").click()
    newcomer = page
    sign_in(newcomer, live_server, "new.reviewer@example.org", password)
    newcomer.goto(f"{live_server}/register")
    assert newcomer.url.endswith("/account/password")
    _check(newcomer, axe_script, problems)
    newcomer.get_by_label("Your current password").fill(password)
    newcomer.get_by_label("New password (at least 12 characters)").fill(NEW_PASSWORD)
    newcomer.get_by_label("New password again").fill(NEW_PASSWORD)
    submit(newcomer, "Change password")
    newcomer.goto(f"{live_server}/account/tokens/new")
    newcomer.get_by_label("Name (what the token is for)").fill("Register feed")
    newcomer.get_by_label("Your current password").fill(NEW_PASSWORD)
    submit(newcomer, "Create token")
    expect(newcomer.get_by_role("heading", name="API token created")).to_be_visible()
    _check(newcomer, axe_script, problems)
    newcomer.goto(f"{live_server}/account")
    expect(newcomer.get_by_role("cell", name="Register feed", exact=True)).to_be_visible()
    _check(newcomer, axe_script, problems)
    assert not problems, "\n".join(problems)
