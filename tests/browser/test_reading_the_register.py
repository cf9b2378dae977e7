"""The register as the governance group reads it, in Chromium: the top of the register in the
first screen, a diff that reads the same from either snapshot, and an import that changes
nothing anyone sees until it is published."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from gaps import services
from gaps.config import PROJECT_ROOT
from gaps.models import Requirement, User
from tests.browser.conftest import sign_in, submit

FRAUD = PROJECT_ROOT / "tests" / "importer" / "documents" / "fraud-2024.txt"


@pytest.mark.browser_context_args(viewport={"width": 1280, "height": 900})
def test_ranks_one_to_ten_are_in_the_first_screen_and_one_to_twenty_within_1500_pixels(
        live_server, page):
    sign_in(page, live_server, "reviewer")
    page.goto(f"{live_server}/register")
    bottoms = page.evaluate("() => Array.from(document.querySelectorAll("
                            "'table.app-register tbody tr')).slice(0, 20)"
                            ".map(row => row.getBoundingClientRect().bottom + window.scrollY)")
    assert len(bottoms) == 20
    assert max(bottoms[:10]) <= 900, bottoms
    assert max(bottoms) <= 1500, bottoms
    ranks = page.locator("table.app-register tbody tr td.app-rank").all_inner_texts()[:10]
    assert [int(rank.rstrip("*")) for rank in ranks] == list(range(1, 11))


def _user(db, role):
    return db.session.execute(select(User).where(User.email == f"{role}@example.org")
                              ).scalar_one()


def test_a_diff_reads_from_the_older_snapshot_to_the_newer_from_either_link(live_server, page,
                                                                              db):
    manager = _user(db, "manager")
    services.take_snapshot(manager, "SGG March")
    rescored = db.session.execute(select(Requirement).filter_by(ref="R-042")).scalar_one()
    services.update_requirement(manager, rescored.id, rescored.version,
                                {"harm": 5, "likelihood": 5, "knowledge_gap": 5,
                                 "organisational_position": 5})
    services.take_snapshot(manager, "SGG June")
    sign_in(page, live_server, "reviewer")
    seen = []
    for start, other in (("SGG March", "SGG June"), ("SGG June", "SGG March")):
        page.goto(f"{live_server}/register/snapshots")
        page.get_by_role("link", name=start, exact=True).click()
        page.get_by_role("link", name=other, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "What changed from “SGG March” to “SGG June”")
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name="R-042"))
        expect(row).to_contain_text(re.compile(r"moved up \d+ places? \(rank \d+ → 1\)"))
        seen.append(page.locator("main").inner_text())
    assert seen[0] == seen[1]


def test_an_import_changes_no_list_until_it_is_published(live_server, page):
    sign_in(page, live_server, "manager")
    counts = {}
    for path in ("/gaps", "/requirements", "/register"):
        page.goto(live_server + path)
        counts[path] = page.locator("main").inner_text()
    page.goto(f"{live_server}/assessments/import")
    page.set_input_files("input[type=file]", str(FRAUD))
    submit(page, "Import")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Review:")
    expect(page.locator("main")).to_contain_text("still to decide")
    for path, before in counts.items():
        page.goto(live_server + path)
        assert page.locator("main").inner_text() == before, path
