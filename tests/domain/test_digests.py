"""Digests' pure rules: the SMTP setting, what a digest holds and says, what counts as new."""

from datetime import UTC, date, datetime, timedelta

import pytest

from gaps.domain.digests import (
    DigestLine,
    DigestSection,
    SmtpSettings,
    make_digest,
    parse_smtp_url,
    reporting_since,
)
from gaps.domain.errors import InvalidValue


@pytest.mark.parametrize(("url", "expected"), [
    ("smtp://mail.example.org", SmtpSettings("plain", "mail.example.org", 25)),
    ("smtp://mail.example.org:2525", SmtpSettings("plain", "mail.example.org", 2525)),
    ("smtps://gaps:s%40cret@mail.example.org:465",
     SmtpSettings("ssl", "mail.example.org", 465, "gaps", "s@cret")),
    ("smtps://mail.example.org", SmtpSettings("ssl", "mail.example.org", 465)),
    ("smtp+starttls://u:p@mail.example.org", SmtpSettings("starttls", "mail.example.org", 587,
                                                          "u", "p")),
    ("smtp://mail.example.org:587?starttls=true",
     SmtpSettings("starttls", "mail.example.org", 587)),
])
def test_smtp_urls(url, expected):
    assert parse_smtp_url(url) == expected


@pytest.mark.parametrize("url", ["http://mail.example.org", "smtp://", "mail.example.org:25",
                                 "smtp://mail.example.org:port"])
def test_bad_smtp_urls_are_refused(url):
    with pytest.raises(InvalidValue):
        parse_smtp_url(url)


def _section(key: str, total: int, markings: tuple[str | None, ...] = ()) -> DigestSection:
    lines = tuple(DigestLine(f"R-{n}", "", f"https://x/{n}", marking)
                  for n, marking in enumerate(markings))
    return DigestSection(key, key.title(), total, lines)


@pytest.mark.parametrize(("sections", "subject"), [
    ([None, _section("empty", 0)], None),
    ([_section("a", 1, ("OFFICIAL",))],
     "[OFFICIAL] gaps: 1 thing due for you on 3 December 2026"),
    ([_section("a", 3, ("OFFICIAL", "OFFICIAL-SENSITIVE")), _section("b", 2)],
     "[OFFICIAL-SENSITIVE] gaps: 5 things due for you on 3 December 2026"),
    ([_section("a", 1, (None,))], "[OFFICIAL] gaps: 1 thing due for you on 3 December 2026"),
])
def test_a_digest_holds_only_sections_with_something_due(sections, subject):
    digest = make_digest("x@example.org", date(2026, 12, 3), sections, "OFFICIAL")
    if subject is None:
        assert digest is None
    else:
        assert digest.subject == subject
        assert all(section.total for section in digest.sections)


def test_more_counts_what_is_not_listed():
    assert _section("a", 25, ("OFFICIAL",) * 10).more == 15


def test_new_means_since_the_last_digest_or_the_last_day():
    now = datetime(2026, 12, 3, 7, tzinfo=UTC)
    assert reporting_since(None, now) == now - timedelta(days=1)
    earlier = datetime(2026, 11, 28, 7, tzinfo=UTC)
    assert reporting_since(earlier, now) == earlier
