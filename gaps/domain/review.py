"""Review cadence: how often a requirement is reviewed depends on its priority band."""

from datetime import date, timedelta

from gaps.domain.errors import InvalidValue

DEFAULT_CADENCE_DAYS: dict[str, int] = {"high": 90, "medium": 180, "low": 360}


def parse_cadence(text: str) -> dict[str, int]:
    """A cadence written `90/180/360` (high/medium/low), as in the settings."""
    parts = [part.strip() for part in (text or "").split("/")]
    if len(parts) != 3 or not all(part.isdigit() and int(part) > 0 for part in parts):
        raise InvalidValue(f"'{text}' is not a review cadence: write three numbers of days "
                           "for high/medium/low priority, such as 90/180/360.")
    high, medium, low = (int(part) for part in parts)
    return {"high": high, "medium": medium, "low": low}


def next_review_date(from_day: date, band: str, cadence: dict[str, int],
                     ltiov: date | None = None) -> date:
    """When a requirement of this priority band is next due for review: after the cadence's
    days, but never after its latest time of value (a review after it is of no use)."""
    due = from_day + timedelta(days=cadence[band])
    return min(due, ltiov) if ltiov is not None else due


def check_review_date(review_date: date | None, ltiov: date | None) -> date | None:
    """A review date, if it falls on or before the LTIOV (or either is not set)."""
    if review_date is not None and ltiov is not None and review_date > ltiov:
        raise InvalidValue(f"The next review must be on or before the latest time of value "
                           f"({ltiov.day} {ltiov:%B %Y}).", field="review_date")
    return review_date


def is_review_due(review_date: date | None, today: date) -> bool:
    """Whether a requirement's review date has come."""
    return review_date is not None and review_date <= today


def is_ltiov_passed(ltiov: date | None, today: date) -> bool:
    """Whether the latest time the information is of value has gone by."""
    return ltiov is not None and ltiov < today


# The lists a dashboard's "see all" links narrow the requirement list to.
LTIOV_SOON_DAYS = 14
DUE_LISTS: dict[str, str] = {
    "ltiov_passed": "Open, latest time of value passed",
    "review_due": "Open, review due",
    "flagged": "Open, key judgement changed",
    "ltiov_soon": f"Open, latest time of value within {LTIOV_SOON_DAYS} days",
    "overdue": "Being collected, LTIOV passed or review due",
    "collecting": "Being collected (tasked, partially or proposed satisfied)",
}
