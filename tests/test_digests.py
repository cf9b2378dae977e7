"""Daily digests, delivered to a real SMTP server the tests start (aiosmtpd) and read back:
recipients, subjects, parts, links, need to know, opt-out, no repeat, nothing due, failures."""

import email
import socket
from datetime import timedelta
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from gaps import services
from gaps.models import DigestSent, Requirement, Team, User, utcnow

BASE_URL = "https://gaps.example.test"


class Inbox:
    """An SMTP handler keeping what it receives, refusing chosen recipients."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        """Accept a recipient unless told to refuse it."""
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        """Keep the message."""
        self.messages.append((list(envelope.rcpt_tos),
                              email.message_from_bytes(envelope.content, policy=default)))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        """Messages delivered to an address."""
        return [message for recipients, message in self.messages if address in recipients]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox():
    """A running SMTP server on a free loopback port, and what it received."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


@pytest.fixture
def app_overrides(inbox) -> dict:
    """Send to the test's SMTP server; links point at an example address."""
    return {"GAPS_SMTP_URL": f"smtp://127.0.0.1:{inbox.port}", "GAPS_BASE_URL": BASE_URL,
            "GAPS_MAIL_FROM": "gaps@example.test"}


def _user(db, role: str) -> User:
    return db.session.execute(select(User).where(User.email == f"{role}@example.org")
                              ).scalar_one()


@pytest.fixture
def due(db):
    """Something due for each role: a task new today for the collector's team with its LTIOV
    in ten days; another team's requirement due in five (which the collector may not know
    of); a requirement proposed satisfied for the managers; a snapshot for the reviewers."""
    manager, collector = _user(db, "manager"), _user(db, "collector")
    other_team = db.session.execute(select(Team).where(Team.id != collector.team_id)
                                    .order_by(Team.name)).scalars().first()
    today = utcnow().date()
    drafts = db.session.execute(select(Requirement).where(Requirement.status == "draft")
                                .order_by(Requirement.ref)).scalars().all()
    mine, theirs = drafts[0], drafts[1]
    source = "NCMEC referrals from US online service providers"
    services.task_requirement(manager, mine.id, mine.version, owner_team=collector.team.name,
                              sources=[source], ltiov=today + timedelta(days=10))
    services.task_requirement(manager, theirs.id, theirs.version, owner_team=other_team.name,
                              sources=[source], ltiov=today + timedelta(days=5))
    services.record_contribution(collector, mine.id, text="Found it.", source=source,
                                 grading="2/B/P")
    services.transition_requirement(collector, mine.id, "satisfied", "Answers it.", None)
    services.take_snapshot(manager, "SGG digest meeting")
    return {"mine": db.session.get(Requirement, mine.id),
            "theirs": db.session.get(Requirement, theirs.id)}


def _send(runner, *arguments):
    return runner.invoke(args=["notify", "send", *arguments])


def _text(message) -> str:
    return message.get_body(("plain",)).get_content()


def _html(message) -> str:
    return message.get_body(("html",)).get_content()


def test_each_role_gets_its_digest_with_both_parts_the_marking_and_links(runner, inbox, due):
    result = _send(runner)
    assert result.exit_code == 0, result.output
    recipients = sorted(address for recipients, _ in inbox.messages for address in recipients)
    assert {"manager@example.org", "collector@example.org",
            "reviewer@example.org"} <= set(recipients)
    assert "admin@example.org" not in recipients
    assert len(recipients) == len(set(recipients))
    collector = inbox.to("collector@example.org")[0]
    assert collector["Subject"].startswith("[OFFICIAL")
    assert "due for you on" in collector["Subject"]
    assert collector["From"] == "gaps@example.test"
    assert {part.get_content_type() for part in collector.walk()} >= {"text/plain",
                                                                       "text/html"}
    text, html = _text(collector), _html(collector)
    marking = collector["Subject"][1:].split("]")[0]
    assert text.startswith(marking) and text.rstrip().endswith(marking)
    assert "New tasks for your team" in text and "Latest time of value within 14 days" in text
    mine = due["mine"]
    link = f"{BASE_URL}/requirements/{mine.id}"
    assert link in text and f'href="{link}"' in html
    assert f"{BASE_URL}/account" in text
    manager = _text(inbox.to("manager@example.org")[0])
    assert "Proposed satisfied, awaiting your confirmation" in manager and mine.ref in manager
    reviewer = _text(inbox.to("reviewer@example.org")[0])
    assert "SGG digest meeting" in reviewer and f"{BASE_URL}/register/snapshots/" in reviewer


def test_a_collector_is_told_nothing_of_another_teams_requirements(runner, inbox, due):
    _send(runner)
    collector = inbox.to("collector@example.org")[0]
    for part in (_text(collector), _html(collector)):
        assert due["theirs"].ref not in part
        assert due["theirs"].question not in part
        assert f"/requirements/{due['theirs'].id}" not in part


def test_no_one_gets_two_digests_on_the_same_day(runner, inbox, db, due):
    assert _send(runner).exit_code == 0
    first = len(inbox.messages)
    result = _send(runner)
    assert result.exit_code == 0
    assert len(inbox.messages) == first
    assert "Sent 0 digest(s)" in result.output
    assert db.session.execute(select(func.count(DigestSent.id))).scalar_one() == first


def test_someone_who_opts_out_at_account_gets_nothing(runner, inbox, login_as, due):
    browser = login_as("manager")
    page = browser.get("/account")
    assert page.status_code == 200 and "Daily e-mail" in page.get_data(as_text=True)
    response = browser.post("/account/digest", data={}, follow_redirects=True)
    assert response.status_code == 200
    assert "Your daily e-mail is off" in response.get_data(as_text=True)
    _send(runner)
    assert inbox.to("manager@example.org") == []
    assert inbox.to("collector@example.org")
    browser.post("/account/digest", data={"receives_digest": "yes"})
    assert 'value="yes" checked' in browser.get("/account").get_data(as_text=True)


def test_someone_with_nothing_due_gets_no_email(runner, inbox, db, due):
    quiet = db.session.execute(select(Team).outerjoin(Requirement, Requirement.owner_team_id
                                                      == Team.id)
                               .where(Requirement.id.is_(None))).scalars().first() or Team(
        name="Quiet team")
    if quiet.id is None:
        db.session.add(quiet)
        db.session.commit()
    services.create_user("quiet@example.org", "collector", "a-long-enough-password",
                         team_name=quiet.name)
    result = _send(runner)
    assert result.exit_code == 0
    assert inbox.to("quiet@example.org") == []
    assert "with nothing due" in result.output


def test_a_failure_for_one_person_is_reported_and_the_others_still_go(runner, inbox, due):
    inbox.refuse.add("manager@example.org")
    result = _send(runner)
    assert result.exit_code == 1
    assert "Not sent to manager@example.org" in result.output
    assert inbox.to("collector@example.org") and inbox.to("reviewer@example.org")
    inbox.refuse.clear()
    again = _send(runner)
    assert again.exit_code == 0
    assert len(inbox.to("manager@example.org")) == 1
    assert len(inbox.to("collector@example.org")) == 1


def test_an_unreachable_server_fails_every_send_and_says_so(runner, app, inbox, due):
    app.config["GAPS_SMTP_URL"] = f"smtp://127.0.0.1:{_free_port()}"
    result = _send(runner)
    assert result.exit_code == 1
    assert "Not sent to collector@example.org" in result.output
    assert inbox.messages == []


def test_dry_run_prints_what_would_go_and_sends_nothing(runner, inbox, db, due):
    result = _send(runner, "--dry-run")
    assert result.exit_code == 0
    assert "Would send to collector@example.org" in result.output
    assert due["mine"].ref in result.output
    assert inbox.messages == []
    assert db.session.execute(select(func.count(DigestSent.id))).scalar_one() == 0


def test_reports_waiting_for_triage_reach_those_who_may_triage_them(runner, inbox, db, due):
    manager, collector = _user(db, "manager"), _user(db, "collector")
    waiting = db.session.execute(select(Requirement).where(Requirement.status == "draft")
                                 .order_by(Requirement.ref)).scalars().first()
    services.task_requirement(manager, waiting.id, waiting.version,
                              owner_team=collector.team.name,
                              sources=["NCMEC referrals from US online service providers"],
                              ltiov=utcnow().date() + timedelta(days=60))
    report = services.record_report(manager, title="Partner reporting",
                                    text=f"{waiting.question} {waiting.gap.statement}",
                                    source="NCMEC referrals from US online service providers",
                                    found_on=utcnow().date(), grading="2/B/P")
    assert _send(runner).exit_code == 0
    link = f"{BASE_URL}/reports/{report.id}"
    for address in ("collector@example.org", "manager@example.org"):
        text = _text(inbox.to(address)[0])
        assert "Reports waiting for your triage" in text and link in text
        assert "Partner reporting" in text
    assert "Reports waiting for your triage" not in _text(inbox.to("reviewer@example.org")[0])
