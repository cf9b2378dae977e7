"""Writing a requirement that reads like an open one, in Chromium (with and without
JavaScript): the first save lists it with a link, nothing is saved; "Save anyway" saves."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from gaps.models import Requirement
from tests.browser.conftest import axe_violations, describe_violations, sign_in

DUPLICATE_OF_R059 = ("On which platforms does online grooming of UK children begin, and how many "
                     "of the offenders are overseas?")


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_manager_is_shown_the_similar_requirement_then_saves_anyway(
        live_server, browser, axe_script, db, javascript):
    gap_id = db.session.execute(select(Requirement.gap_id).filter_by(ref="R-059")).scalar_one()
    context = browser.new_context(java_script_enabled=javascript, bypass_csp=True)
    page = context.new_page()
    try:
        sign_in(page, live_server, "manager")
        page.goto(f"{live_server}/requirements/new?gap_id={gap_id}")
        page.get_by_label("Question").fill(DUPLICATE_OF_R059)
        page.get_by_role("button", name="Save requirement").click()
        banner = page.get_by_role("region", name="Check before saving")
        expect(banner).to_contain_text("Similar requirements already exist")
        expect(banner.get_by_role("link", name="R-059")).to_have_count(1)
        expect(page.get_by_label("Question")).to_have_value(DUPLICATE_OF_R059)
        if javascript:
            violations = axe_violations(page, axe_script)
            assert not violations, describe_violations(page.url, violations)
        page.get_by_label("Save anyway").check()
        page.get_by_role("button", name="Save requirement").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(DUPLICATE_OF_R059)
        expect(page.locator("main")).to_contain_text("Requirement R-059-1 written as a draft.")
    finally:
        context.close()
