"""The three journeys of the tracker, in a real browser, through the real pages and forms.

A manager writes and tasks a requirement for gap G-059; a collector of the owning team
records a graded contribution and proposes the requirement satisfied (with JavaScript on and
off: the pages are server-rendered and must work without it); a reviewer finds it in the
ranked register, opens its score breakdown, takes a snapshot and downloads the PDF.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from pdfminer.high_level import extract_text
from playwright.sync_api import Page, expect

from gaps.domain.dates import uk_date, uk_short_date
from tests.browser.conftest import fill_date, sign_in, submit, today

TEAM = "NCA CEOP Intelligence Collection"
SOURCES = ("NCMEC referrals from US online service providers",
           "Communication service providers (industry reporting)")
OTHER_TEAMS_REQUIREMENT = "R-058"  # owned by Research and Partnerships in the seed
QUESTION = ("Which three platforms did most UK-based children groomed online in the last "
            "six months first meet their groomer on?")


@dataclass
class Tasked:
    """A requirement the manager has written and tasked."""

    ref: str
    url: str
    ltiov: date


def summary_value(page: Page, key: str):
    """The value beside a key of the page's summary list."""
    return page.locator(".govuk-summary-list__row", has=page.get_by_text(key, exact=True)) \
        .locator(".govuk-summary-list__value")


def write_and_task_requirement(page: Page, base_url: str) -> Tasked:
    """As a manager: open G-059 from the gap list, write a requirement for it and task it."""
    sign_in(page, base_url, "manager")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Gaps").click()
    page.get_by_role("link", name="G-059", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Scale of online grooming of UK children")

    page.get_by_role("link", name="Write a requirement").click()
    page.get_by_label("Question").fill(QUESTION)
    page.get_by_label("Rationale").fill("Where grooming starts tells collection where to look.")
    page.get_by_role("combobox", name="Protective marking").select_option("OFFICIAL-SENSITIVE")
    submit(page, "Save requirement")
    expect(page.get_by_role("heading", level=1)).to_have_text(QUESTION)
    ref = re.match(r"(\S+) ·", page.locator(".govuk-caption-l").inner_text()).group(1)

    page.get_by_role("link", name="Task", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Task this requirement")
    page.get_by_role("combobox", name="Owner team").select_option(label=TEAM)
    for source in SOURCES:
        page.get_by_label(source).check()
    ltiov = today() + timedelta(days=75)
    fill_date(page, "Latest time of value (LTIOV)", ltiov)
    submit(page, "Task requirement")
    expect(page.get_by_role("heading", level=1)).to_have_text(QUESTION)
    return Tasked(ref=ref, url=page.url, ltiov=ltiov)


def test_a_manager_writes_a_requirement_for_a_gap_and_tasks_it(live_server, page):
    tasked = write_and_task_requirement(page, live_server)

    expect(page.locator(".govuk-caption-l .govuk-tag")).to_have_text("Tasked")
    expect(summary_value(page, "Owner team")).to_have_text(TEAM)
    sources = summary_value(page, "Sources")
    for source in SOURCES:
        expect(sources).to_contain_text(source)
    expect(summary_value(page, "Latest time of value (LTIOV)")).to_have_text(
        uk_date(tasked.ltiov))  # for example "16 August 2027"
    expect(summary_value(page, "Protective marking")).to_have_text("OFFICIAL-SENSITIVE")
    expect(page.locator("[data-marking=top]")).to_have_text("OFFICIAL-SENSITIVE")
    # The gap now lists it, tasked to the team.
    page.get_by_role("link", name="G-059: Scale of online grooming of UK children").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=tasked.ref))
    expect(row).to_contain_text(TEAM)
    expect(row).to_contain_text("Tasked")


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_collector_reports_against_their_teams_task_and_proposes_it_satisfied(
        live_server, browser, page, javascript):
    tasked = write_and_task_requirement(page, live_server)
    page.goto(f"{live_server}/requirements?q={OTHER_TEAMS_REQUIREMENT}")
    page.get_by_role("link", name=OTHER_TEAMS_REQUIREMENT, exact=True).click()
    other_teams_url = page.url

    context = browser.new_context(java_script_enabled=javascript)
    collector = context.new_page()
    try:
        sign_in(collector, live_server, "collector")
        nav = collector.get_by_role("navigation", name="Main")
        nav.get_by_role("link", name="Our tasks").click()
        expect(collector.get_by_role("heading", level=1)).to_have_text("Our tasks")
        rows = collector.locator("tbody tr")
        expect(rows.filter(has=collector.get_by_role("link", name=tasked.ref))).to_have_count(1)
        owners = [rows.nth(index).locator("td").nth(3).inner_text()
                  for index in range(rows.count())]
        assert owners and set(owners) == {TEAM}, owners
        expect(collector.get_by_role("link", name=OTHER_TEAMS_REQUIREMENT)).to_have_count(0)

        response = collector.goto(other_teams_url)
        assert response.status == 404
        expect(collector.get_by_role("heading", level=1)).to_have_text("Page not found")

        nav.get_by_role("link", name="Our tasks").click()
        collector.get_by_role("link", name=tasked.ref, exact=True).click()
        collector.get_by_role("link", name="Record a contribution").click()
        collector.get_by_label("What was found").fill(
            "Industry referrals show most first contacts on two gaming chat platforms.")
        fill_date(collector, "Date found", today() - timedelta(days=1))
        collector.get_by_role("combobox", name="Source", exact=True).select_option(
            label=SOURCES[0])
        collector.get_by_label("2 – Untested").check()
        collector.get_by_label("B – Known indirectly but corroborated").check()
        collector.get_by_label("P – Lawful sharing permitted").check()
        submit(collector, "Record contribution")

        assert collector.url == tasked.url
        contributions = collector.get_by_role("table").filter(
            has=collector.get_by_role("columnheader", name="What was found"))
        contribution = contributions.get_by_role("row").filter(has_text="gaming chat platforms")
        expect(contribution).to_contain_text("2/B/P")
        expect(contribution).to_contain_text(SOURCES[0])

        # A proposal asks first, and wants what answers the question.
        collector.get_by_role("link", name="Propose satisfied…").click()
        expect(collector.get_by_role("heading", level=1)).to_have_text(
            "Propose that this requirement is satisfied?")
        collector.get_by_role("button", name="Propose satisfied", exact=True).click()
        expect(collector.locator(".govuk-error-summary")).to_contain_text("Say why")
        collector.get_by_label("Why").fill("Two platforms account for most first contacts.")
        submit(collector, "Propose satisfied")
        assert collector.url == tasked.url
        expect(collector.locator(".govuk-notification-banner")).to_contain_text(
            "is proposed as satisfied: it waits for a manager")
        expect(collector.locator(".govuk-caption-l .govuk-tag")).to_have_text(
            "Proposed satisfied (awaiting confirmation)")
        expect(collector.get_by_role("link", name="Propose satisfied…")).to_have_count(0)
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_collector_records_a_report_confirms_a_match_and_the_requirement_shows_it(
        live_server, browser, page, javascript):
    tasked = write_and_task_requirement(page, live_server)

    context = browser.new_context(java_script_enabled=javascript)
    collector = context.new_page()
    try:
        sign_in(collector, live_server, "collector")
        collector.get_by_role("navigation", name="Main").get_by_role("link", name="Reports") \
            .click()
        expect(collector.get_by_role("heading", level=1)).to_have_text("Incoming reports")
        collector.get_by_role("link", name="Record a report").click()
        collector.get_by_label("Title").fill("Where UK children are first groomed online")
        collector.get_by_label("Text of the report").fill(
            "Industry referrals show that most UK-based children groomed online in the last six "
            "months first met their groomer on three gaming platforms.")
        collector.get_by_role("combobox", name="Source", exact=True).select_option(
            label=SOURCES[0])
        fill_date(collector, "Date found", today() - timedelta(days=1))
        collector.get_by_label("2 – Untested").check()
        collector.get_by_label("B – Known indirectly but corroborated").check()
        collector.get_by_label("P – Lawful sharing permitted").check()
        submit(collector, "Record report")

        expect(collector.locator(".govuk-notification-banner")).to_contain_text("recorded")
        report_ref = re.match(r"(RPT-\d+)", collector.locator(".govuk-caption-l").inner_text()
                              ).group(1)
        proposal = collector.locator(".app-match").filter(
            has=collector.get_by_role("link", name=tasked.ref, exact=True))
        expect(proposal).to_contain_text("Waiting for triage")
        expect(proposal).to_contain_text("groomed")
        proposal.get_by_role("button", name=f"Confirm {tasked.ref}").click()
        collector.wait_for_load_state()
        expect(collector.locator(".govuk-notification-banner")).to_contain_text(
            f"a contribution is recorded on {tasked.ref}")
        expect(proposal).to_contain_text("Confirmed")

        proposal.get_by_role("link", name=tasked.ref, exact=True).click()
        assert collector.url == tasked.url
        contributions = collector.get_by_role("table").filter(
            has=collector.get_by_role("columnheader", name="What was found"))
        contribution = contributions.get_by_role("row").filter(has_text="three gaming platforms")
        expect(contribution).to_contain_text("2/B/P")
        expect(contribution).to_contain_text(SOURCES[0])
        expect(contribution.get_by_role("link", name=f"From report {report_ref}")).to_be_visible()
    finally:
        context.close()


def test_a_reviewer_reads_the_ranked_register_takes_a_snapshot_and_downloads_it(
        live_server, browser, page, tmp_path: Path):
    tasked = write_and_task_requirement(page, live_server)

    context = browser.new_context(accept_downloads=True)
    reviewer = context.new_page()
    try:
        sign_in(reviewer, live_server, "reviewer")
        reviewer.get_by_role("navigation", name="Main").get_by_role("link", name="Register") \
            .click()
        expect(reviewer.get_by_role("heading", level=1)).to_have_text("Priority register")

        row = reviewer.locator("table.app-register tbody tr").filter(
            has=reviewer.get_by_role("link", name=tasked.ref, exact=True))
        expect(row).to_have_count(1)
        expect(row.locator("td").first).to_have_text(re.compile(r"^\d+\*?$"))
        expect(row).to_contain_text(TEAM)
        expect(row).to_contain_text("Tasked")
        expect(row).to_contain_text(uk_short_date(tasked.ltiov))

        row.get_by_role("link", name=tasked.ref, exact=True).click()
        breakdown = reviewer.locator("details").filter(has_text="How the score is made")
        expect(breakdown.locator(".govuk-details__text")).to_be_hidden()
        breakdown.locator("summary").click()
        expect(breakdown.get_by_role("rowheader", name="Harm")).to_be_visible()
        expect(breakdown).to_contain_text("Urgency")
        expect(breakdown).to_contain_text("of 100")

        reviewer.get_by_role("navigation", name="Main").get_by_role("link", name="Register") \
            .click()
        reviewer.get_by_role("link", name="Take a snapshot of the register").click()
        reviewer.get_by_label("Snapshot title").fill("SGG meeting, browser test")
        submit(reviewer, "Take a snapshot")
        expect(reviewer.get_by_role("heading", level=1)).to_have_text("SGG meeting, browser test")
        expect(reviewer.get_by_role("cell", name=tasked.ref, exact=True)).to_be_visible()

        with reviewer.expect_download() as download_info:
            reviewer.get_by_role("link", name="PDF", exact=True).click()
        download = download_info.value
        saved = tmp_path / (download.suggested_filename or "snapshot.pdf")
        download.save_as(saved)
        content = saved.read_bytes()
        assert content.startswith(b"%PDF")
        text = extract_text(BytesIO(content))
        assert "OFFICIAL-SENSITIVE" in text
        assert tasked.ref in text
    finally:
        context.close()
