"""Incoming intelligence reports: what a valid one holds, a feed's rows, excerpts, decisions."""

from dataclasses import dataclass
from datetime import date, datetime

from gaps.domain.errors import InvalidValue
from gaps.domain.grading import Grading, make_grading, parse_grading
from gaps.domain.vocabulary import MARKINGS

TITLE_LIMIT = 300
TEXT_LIMIT = 50_000
EXCERPT_LIMIT = 2_000  # what a confirmed match carries into the contribution
REASON_LIMIT = 2_000
MATCH_DECISIONS = ("confirm", "reject")
REPORT_STATES = ("waiting", "all")  # what the report list shows
FEED_COLUMNS = ("title", "text", "source", "found_on", "grading", "handling_conditions",
                "marking")
FEED_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass(frozen=True)
class ReportValues:
    """A report's values, checked."""

    title: str
    text: str
    source: str
    found_on: date
    grade: Grading
    marking: str


class FeedRefused(InvalidValue):
    """A feed with bad rows: every problem, by line; nothing of it is written (422)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} row(s) cannot be read, so nothing was imported: "
                         + "; ".join(problems))
        self.problems = problems


def _text(value: object, name: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(f"Enter the report's {name}.", field=name)
    value = value.strip()
    if len(value) > limit:
        raise InvalidValue(f"The {name} must be at most {limit:,} characters.", field=name)
    return value


def check_report(*, title: object, text: object, source: object, found_on: object,
                 today: date, grading: str | None = None, source_grade: str | None = None,
                 intelligence_grade: str | None = None, handling_code: str | None = None,
                 handling_conditions: str | None = None,
                 marking: object = "OFFICIAL") -> ReportValues:
    """A report's values if they hold: title, text and source given, found on a date not in
    the future, a 3x5x2 grade (written `2/B/P` or in parts) and a protective marking."""
    title = _text(title, "title", TITLE_LIMIT)
    text = _text(text, "text", TEXT_LIMIT)
    if not isinstance(source, str) or not source.strip():
        raise InvalidValue("Choose the report's source.", field="source")
    if not isinstance(found_on, date) or isinstance(found_on, datetime):
        raise InvalidValue("Enter the date the report was found.", field="found_on")
    if found_on > today:
        raise InvalidValue("The date found cannot be in the future.", field="found_on")
    if grading is not None:
        grade = parse_grading(grading, handling_conditions)
    else:
        grade = make_grading(source_grade or "", intelligence_grade or "", handling_code or "",
                             handling_conditions)
    if marking not in MARKINGS:
        raise InvalidValue(f"The protective marking must be one of {', '.join(MARKINGS)}.",
                           field="marking")
    return ReportValues(title, text, source.strip(), found_on, grade, marking)


def parse_feed_date(value: object) -> date:
    """A feed's date: 2026-11-30 or 30/11/2026."""
    if isinstance(value, str):
        for form in FEED_DATE_FORMATS:
            try:
                return datetime.strptime(value.strip(), form).date()  # noqa: DTZ007 (a date)
            except ValueError:
                continue
    raise InvalidValue(f"'{value}' is not a date: write it like 2026-11-30.", field="found_on")


def report_from_row(row: dict, today: date) -> ReportValues:
    """A report from one row of a feed (CSV or JSON Lines): the FEED_COLUMNS, text values."""
    if not isinstance(row, dict):
        raise InvalidValue("Each row must be an object of named values.")
    unknown = set(row) - set(FEED_COLUMNS)
    if unknown:
        raise InvalidValue(f"Unknown columns: {', '.join(sorted(map(str, unknown)))}.")
    grading = row.get("grading")
    if not isinstance(grading, str):
        raise InvalidValue("Give the 3x5x2 grading, like 2/B/P.", field="grading")
    conditions = row.get("handling_conditions") or None
    if conditions is not None and not isinstance(conditions, str):
        raise InvalidValue("The handling conditions must be text.",
                           field="handling_conditions")
    return check_report(title=row.get("title"), text=row.get("text"), source=row.get("source"),
                        found_on=parse_feed_date(row.get("found_on")), today=today,
                        grading=grading, handling_conditions=conditions,
                        marking=row.get("marking") or "OFFICIAL")


def excerpt(title: str, text: str, limit: int = EXCERPT_LIMIT) -> str:
    """What a confirmed match records as found: the title and the text, cut at a word."""
    whole = f"{title}: {text}"
    if len(whole) <= limit:
        return whole
    cut = whole[:limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def check_decision(decision: object, reason: object) -> tuple[str, str | None]:
    """A triage decision (confirm or reject) and its optional reason."""
    if decision not in MATCH_DECISIONS:
        raise InvalidValue("The decision must be confirm or reject.", field="decision")
    if reason is not None and not isinstance(reason, str):
        raise InvalidValue("The reason must be text.", field="reason")
    reason = (reason or "").strip() or None
    if reason is not None and len(reason) > REASON_LIMIT:
        raise InvalidValue(f"The reason must be at most {REASON_LIMIT:,} characters.",
                           field="reason")
    return decision, reason
