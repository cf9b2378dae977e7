"""Composing digests as e-mail (plain text and HTML) and sending them over SMTP."""

import contextlib
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template

from gaps import services
from gaps.domain.digests import (
    SSL,
    STARTTLS,
    Digest,
    SmtpSettings,
    make_digest,
    parse_smtp_url,
    reporting_since,
)
from gaps.extensions import db
from gaps.models import User, utcnow
from gaps.notify.queries import digest_recipients
from gaps.notify.sections import SECTIONS, DigestContext

SMTP_TIMEOUT_SECONDS = 30


@dataclass
class SendReport:
    """What a run did: to whom digests went, who had nothing due, and what failed."""

    sent: list[str] = field(default_factory=list)
    nothing_due: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def build_digest(user: User, context: DigestContext) -> Digest | None:
    """This user's digest for the day, or None when nothing is due for them."""
    sections = [section.collect(user, context) for section in SECTIONS.get(user.role, [])]
    return make_digest(user.email, context.today, sections,
                       current_app.config["GAPS_DEFAULT_MARKING"])


def compose(digest: Digest) -> EmailMessage:
    """The digest as a message with a plain-text part and an HTML part."""
    message = EmailMessage()
    message["Subject"] = digest.subject
    message["From"] = current_app.config["GAPS_MAIL_FROM"]
    message["To"] = digest.email
    message["Message-ID"] = make_msgid(domain="gaps")
    account = current_app.config["GAPS_BASE_URL"].rstrip("/") + "/account"
    message.set_content(render_template("notify/digest.txt", digest=digest, account=account))
    message.add_alternative(render_template("notify/digest.html", digest=digest,
                                            account=account), subtype="html")
    return message


class Mailer:
    """One SMTP connection, opened when first needed and opened again after a failure."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self.connection: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        settings = self.settings
        if settings.security == SSL:
            connection: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS,
                context=ssl.create_default_context())
        else:
            connection = smtplib.SMTP(settings.host, settings.port,
                                      timeout=SMTP_TIMEOUT_SECONDS)
            if settings.security == STARTTLS:
                connection.starttls(context=ssl.create_default_context())
        if settings.username:
            connection.login(settings.username, settings.password or "")
        return connection

    def send(self, message: EmailMessage) -> None:
        """Send one message; a failure closes the connection so the next one starts afresh."""
        try:
            if self.connection is None:
                self.connection = self._open()
            self.connection.send_message(message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused,
                smtplib.SMTPDataError):
            raise  # the connection is still good for the next message
        except (smtplib.SMTPException, OSError):
            self.close()
            raise

    def close(self) -> None:
        """Say goodbye to the server, if connected."""
        if self.connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):  # already gone
                self.connection.quit()
            self.connection = None


def send_digests(dry_run: bool = False, echo: Callable[[str], None] = print) -> SendReport:
    """Each person's digest for today, at most once a day each; with `dry_run`, print what
    would go and send nothing. One person's failure is reported and the others still go."""
    now = utcnow()
    today = now.date()
    report = SendReport()
    mailer = None if dry_run else Mailer(parse_smtp_url(current_app.config["GAPS_SMTP_URL"]))
    recipients = db.session.execute(digest_recipients(tuple(SECTIONS), today)).all()
    base_url = current_app.config["GAPS_BASE_URL"]
    try:
        for user, last_sent in recipients:
            with current_app.test_request_context(base_url=base_url):
                digest = build_digest(user, DigestContext(today, reporting_since(last_sent,
                                                                                 now)))
                message = compose(digest) if digest is not None else None
            if digest is None:
                report.nothing_due.append(user.email)
                continue
            if dry_run:
                echo(f"Would send to {user.email}: {digest.subject}")
                echo(message.get_body(("plain",)).get_content())
                report.sent.append(user.email)
                continue
            try:
                mailer.send(message)
            except (smtplib.SMTPException, OSError) as error:
                report.failed.append((user.email, str(error) or type(error).__name__))
                continue
            services.record_digest_sent(user.id, today, digest.total)
            report.sent.append(user.email)
    finally:
        if mailer is not None:
            mailer.close()
    return report
