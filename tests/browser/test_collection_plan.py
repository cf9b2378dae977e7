"""The collection plan in Chromium: thirty sources fit a 1280-pixel window without scrolling
the table; at 390 pixels the page does not overflow (the table scrolls in its wrapper); axe
finds nothing on either."""

import pytest
from sqlalchemy import select

from gaps.models import Requirement, Source
from tests.browser.conftest import axe_violations, describe_violations, sign_in

pytestmark = pytest.mark.browser_context_args(bypass_csp=True)

SOURCE_COUNT = 30
KINDS = ("official statistics", "operational reporting", "industry reporting", "partner agency",
         "academic research", "human sources")


def _thirty_sources_with_tasking(db) -> None:
    """Enough sources for thirty columns (long names, several kinds), each requirement tasked
    to a spread of them so that many cells are filled."""
    existing = db.session.execute(select(Source).order_by(Source.id)).scalars().all()
    for number in range(len(existing), SOURCE_COUNT):
        db.session.add(Source(name=f"Regional organised crime unit number {number} "
                                   f"(intelligence development and analysis)",
                              kind=KINDS[number % len(KINDS)]))
    db.session.flush()
    sources = db.session.execute(select(Source).order_by(Source.id)).scalars().all()
    assert len(sources) == SOURCE_COUNT
    for index, requirement in enumerate(db.session.execute(
            select(Requirement).order_by(Requirement.id)).scalars()):
        if index % 4:
            requirement.sources = [source for position, source in enumerate(sources)
                                   if (position + index) % 3 == 0]
    db.session.commit()


@pytest.mark.parametrize("role", ["manager", "collector"])
def test_thirty_sources_fit_at_1280_and_nothing_overflows_at_390(live_server, page, axe_script,
                                                                  db, role):
    _thirty_sources_with_tasking(db)
    sign_in(page, live_server, role)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server}/collection-plan")
    headers = page.locator("table.app-plan thead th.app-plan__source")
    assert headers.count() == SOURCE_COUNT
    fits = page.evaluate("""() => {
        const wrapper = document.querySelector('.app-plan-wrapper');
        return [wrapper.scrollWidth, wrapper.clientWidth,
                document.documentElement.scrollWidth, window.innerWidth];
    }""")
    assert fits[0] <= fits[1], f"the table is {fits[0]} px in a {fits[1]} px wrapper"
    assert fits[2] <= fits[3], fits
    violations = axe_violations(page, axe_script)
    assert not violations, describe_violations("/collection-plan", violations)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/collection-plan")
    wide = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert wide[0] <= wide[1], wide
    assert page.locator(".app-plan-wrapper[tabindex='0'][role='region']").count() == 1
