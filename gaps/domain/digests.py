"""Daily digests, pure: what one holds, its subject, since when it reports, the SMTP setting."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

from gaps.domain.dates import uk_date
from gaps.domain.errors import InvalidValue
from gaps.domain.vocabulary import highest_marking

PLAIN, SSL, STARTTLS = "plain", "ssl", "starttls"
SCHEMES = {"smtp": (PLAIN, 25), "smtps": (SSL, 465), "smtp+starttls": (STARTTLS, 587)}
LOOK_BACK = timedelta(days=1)


@dataclass(frozen=True)
class DigestLine:
    """One thing due: what it is, a few words about it, its address and its marking."""

    text: str
    detail: str
    url: str
    marking: str | None = None


@dataclass(frozen=True)
class DigestSection:
    """One kind of thing due: a heading, how many there are, the first of them, and where
    the whole list is."""

    key: str
    title: str
    total: int
    lines: tuple[DigestLine, ...]
    more_url: str | None = None

    @property
    def more(self) -> int:
        """How many are not listed."""
        return max(0, self.total - len(self.lines))


@dataclass(frozen=True)
class Digest:
    """One person's digest for one day."""

    email: str
    day: object
    sections: tuple[DigestSection, ...]
    marking: str

    @property
    def total(self) -> int:
        """Everything due, across the sections."""
        return sum(section.total for section in self.sections)

    @property
    def subject(self) -> str:
        """The subject line: the marking first, then what and when."""
        things = "1 thing" if self.total == 1 else f"{self.total} things"
        return f"[{self.marking}] gaps: {things} due for you on {uk_date(self.day)}"


def make_digest(email: str, day, sections: list[DigestSection | None],
                default_marking: str) -> Digest | None:
    """The digest of the sections that hold something, or None when nothing is due."""
    held = tuple(section for section in sections if section is not None and section.total)
    if not held:
        return None
    markings = [line.marking for section in held for line in section.lines]
    return Digest(email, day, held, highest_marking(markings, default_marking))


def reporting_since(last_sent: datetime | None, now: datetime) -> datetime:
    """What counts as new: since the last digest sent to this person, or the last day."""
    return last_sent if last_sent is not None else now - LOOK_BACK


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send mail."""

    security: str
    host: str
    port: int
    username: str | None = None
    password: str | None = None


def parse_smtp_url(url: str) -> SmtpSettings:
    """`smtp://host:25`, `smtps://user:password@host:465` or `smtp+starttls://…:587` (also
    `smtp://…?starttls=true`) as settings; refused in plain words otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise InvalidValue("GAPS_SMTP_URL must look like smtp://host:25, "
                           "smtp+starttls://user:password@host:587 or "
                           "smtps://user:password@host:465.", field="GAPS_SMTP_URL")
    security, port = SCHEMES[parts.scheme]
    if security == PLAIN and parse_qs(parts.query).get("starttls", [""])[0].lower() in (
            "1", "true", "yes"):
        security = STARTTLS
    try:
        port = parts.port or port
    except ValueError as error:
        raise InvalidValue("The port in GAPS_SMTP_URL is not a number.",
                           field="GAPS_SMTP_URL") from error
    return SmtpSettings(security, parts.hostname, port,
                        unquote(parts.username) if parts.username else None,
                        unquote(parts.password) if parts.password else None)
