"""Decisions become actions, in a real browser: a reviewer returns a snapshot with a direction
and actions (with JavaScript on and off: the rows are plain form fields), the manager who owns
one finds it on their dashboard and closes it with a note; axe-core checks the new pages."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from gaps.domain.dates import uk_date
from tests.browser.conftest import (
    axe_violations,
    describe_violations,
    sign_in,
    submit,
    today,
)

TEAM = "Research and Partnerships"
FIRST = "Re-score R-059 with the new harm evidence and report to the group."
SECOND = "Say which sources could answer R-058 within three months."


def fill_action(page: Page, number: int, text: str, owner: str, due: date,
                requirement: str = "") -> None:
    """Fill one action row of the decision form, found by its legend."""
    row = page.get_by_role("group", name=f"Action {number}", exact=True)
    row.get_by_label("What is to be done").fill(text)
    row.get_by_role("combobox", name="Owner").select_option(label=owner)
    due_by = row.get_by_role("group", name="Due by")
    due_by.get_by_label("Day").fill(str(due.day))
    due_by.get_by_label("Month").fill(str(due.month))
    due_by.get_by_label("Year").fill(str(due.year))
    row.get_by_label("Requirement reference (optional)").fill(requirement)


def actions_table(page: Page) -> Locator:
    """The table of a page's actions."""
    return page.get_by_role("table").filter(
        has=page.get_by_role("columnheader", name="What is to be done"))


def assert_accessible(page: Page, axe_script) -> None:
    violations = axe_violations(page, axe_script)
    assert not violations, describe_violations(page.url, violations)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_returned_decision_reaches_the_managers_dashboard_and_is_closed_with_a_note(
        live_server, browser, axe_script, javascript):
    due = today() + timedelta(days=21)
    reviewer_context = browser.new_context(java_script_enabled=javascript, bypass_csp=True)
    manager_context = browser.new_context(bypass_csp=True)
    try:
        reviewer = reviewer_context.new_page()
        sign_in(reviewer, live_server, "reviewer")
        reviewer.get_by_role("navigation", name="Main").get_by_role("link", name="Register") \
            .click()
        reviewer.get_by_role("link", name="Take a snapshot of the register").click()
        reviewer.get_by_label("Snapshot title").fill("SGG meeting, actions")
        submit(reviewer, "Take a snapshot")
        expect(reviewer.get_by_role("heading", level=1)).to_have_text("SGG meeting, actions")
        if javascript:
            assert_accessible(reviewer, axe_script)

        # Returned without an action: refused, saying what is missing, nothing recorded.
        reviewer.get_by_label("Returned with a direction").check()
        reviewer.get_by_label("Direction (when returned)").fill(
            "Re-score the grooming requirements before the next meeting.")
        reviewer.get_by_role("button", name="Record the decision").click()
        summary = reviewer.locator(".govuk-error-summary")
        expect(summary).to_contain_text("Add at least one action")
        if javascript:
            assert_accessible(reviewer, axe_script)

        fill_action(reviewer, 1, FIRST, "manager@example.org (manager)", due, "R-059")
        fill_action(reviewer, 2, SECOND, f"Team: {TEAM}", due + timedelta(days=14))
        submit(reviewer, "Record the decision")
        expect(reviewer.locator(".govuk-notification-banner")).to_contain_text(
            "Decision recorded: returned with a direction; 2 actions created.")
        table = actions_table(reviewer)
        first_row = table.get_by_role("row").filter(has_text=FIRST)
        expect(first_row).to_contain_text("manager@example.org")
        expect(first_row).to_contain_text(uk_date(due))
        expect(first_row).to_contain_text("Open")
        expect(first_row.get_by_role("link", name="R-059")).to_be_visible()
        expect(table.get_by_role("row").filter(has_text=SECOND)).to_contain_text(f"Team: {TEAM}")
        reference = re.match(r"A-\d+", first_row.locator("td").first.inner_text()).group(0)

        manager = manager_context.new_page()
        sign_in(manager, live_server, "manager")
        manager.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard") \
            .click()
        expect(manager.get_by_role("heading", name=re.compile(
            r"^Open actions from the governance group \(2\)"))).to_be_visible()
        mine = actions_table(manager).get_by_role("row").filter(has_text=FIRST)
        expect(mine).to_contain_text("You")
        expect(mine).to_contain_text("SGG meeting, actions")
        assert_accessible(manager, axe_script)

        mine.get_by_role("link", name=f"Close action {reference}").click()
        expect(manager.get_by_role("heading", level=1)).to_have_text("Close this action?")
        expect(manager.locator(".govuk-summary-list")).to_contain_text(FIRST)
        manager.get_by_role("button", name="Close action").click()
        expect(manager.locator(".govuk-error-summary")).to_contain_text("Say what was done")
        assert_accessible(manager, axe_script)
        manager.get_by_label("What was done").fill("Re-scored: harm 5, knowledge gap 4.")
        submit(manager, "Close action")

        expect(manager.get_by_role("heading", level=1)).to_have_text("What needs attention")
        expect(manager.locator(".govuk-notification-banner")).to_contain_text(
            f"Action {reference} closed.")
        expect(manager.get_by_role("heading", name=re.compile(
            r"^Open actions from the governance group \(1\)"))).to_be_visible()
        expect(actions_table(manager).get_by_role("row").filter(has_text=FIRST)).to_have_count(0)

        manager.get_by_role("link", name="All actions, open and closed").click()
        expect(manager.get_by_role("heading", level=1)).to_have_text(
            "Actions from the governance group")
        closed = actions_table(manager).get_by_role("row").filter(has_text=FIRST)
        expect(closed).to_contain_text("Closed")
        expect(closed).to_contain_text("Re-scored: harm 5, knowledge gap 4.")
        assert_accessible(manager, axe_script)

        reviewer.reload()
        expect(actions_table(reviewer).get_by_role("row").filter(has_text=FIRST)) \
            .to_contain_text("by manager@example.org: Re-scored: harm 5, knowledge gap 4.")
    finally:
        reviewer_context.close()
        manager_context.close()
