"""Insights: periods, percentiles and the definitions of each measure (pure: no Flask, no SQL)."""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property

from gaps.domain.errors import InvalidValue

BY_QUARTER = "quarter"
BY_MONTH = "month"
GROUPINGS = (BY_QUARTER, BY_MONTH)
DEFAULT_QUARTERS = 4
# Long enough for three years by month or by quarter; longer would be a chart nobody can read.
MOST_PERIODS = {BY_QUARTER: 20, BY_MONTH: 36}


@dataclass(frozen=True)
class Measure:
    """A time taken between two points of a requirement's life, and what it means."""

    key: str
    label: str
    definition: str


MEASURES: tuple[Measure, ...] = (
    Measure("draft_to_tasked", "Draft to tasked",
            "Days from a requirement's creation (as a draft) to the first time it was tasked, "
            "counted in the period in which it was tasked."),
    Measure("tasked_to_first_contribution", "Tasked to first contribution",
            "Days from the first tasking to the first contribution recorded against it, "
            "counted in the period of that contribution."),
    Measure("tasked_to_proposed", "Tasked to proposed satisfied",
            "Days from the first tasking to the first time the owning team proposed it as "
            "satisfied, counted in the period of the proposal."),
    Measure("proposed_to_confirmed", "Proposed to confirmed satisfied",
            "Days from the first proposal to a manager's first confirmation (closing it as "
            "satisfied), counted in the period of the confirmation; time spent sent back for "
            "more collection is included."),
)
MEASURE_KEYS = tuple(measure.key for measure in MEASURES)

COUNT_DEFINITIONS: dict[str, str] = {
    "opened": "Requirements created (as drafts) during the period.",
    "closed": "Times a requirement was closed (confirmed as satisfied) during the period.",
    "cancelled": "Times a requirement was cancelled during the period.",
    "past_ltiov": "Requirements open at the period's end (or today, for the current period) "
                  "whose latest time of value was already behind them. The LTIOV is the "
                  "requirement's present one.",
    "past_review": "Requirements open at the period's end (or today) whose review date had "
                   "come. The review date is the requirement's present one.",
    "share_satisfied": "For each key judgement, the share of its gaps that had at least one "
                       "requirement confirmed as satisfied by the period's end.",
}
COUNT_KEYS = ("opened", "closed", "cancelled")
OVERDUE_KEYS = ("past_ltiov", "past_review")
PERCENTILES = {"median": 50, "p90": 90}


@dataclass(frozen=True)
class Period:
    """A quarter or month: from `start` up to (not including) `end`; `as_of` is its last day,
    or today for the period under way."""

    label: str
    start: date
    end: date
    as_of: date

    @cached_property
    def start_at(self) -> datetime:
        """The period's first instant, in UTC."""
        return datetime(self.start.year, self.start.month, self.start.day, tzinfo=UTC)

    @cached_property
    def end_at(self) -> datetime:
        """The instant after the period (or after today, for the period under way)."""
        last = self.as_of + timedelta(days=1)
        return datetime(last.year, last.month, last.day, tzinfo=UTC)


@dataclass(frozen=True)
class InsightsRange:
    """What was asked for: the periods between two dates, by quarter or by month."""

    start: date
    end: date
    by: str
    periods: tuple[Period, ...] = field(default=())


def quarter_start(day: date) -> date:
    """The first day of the quarter holding this day."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _label(start: date, by: str) -> str:
    if by == BY_QUARTER:
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    return start.strftime("%b %Y")


def periods_between(start: date, end: date, by: str, today: date) -> tuple[Period, ...]:
    """The quarters or months that hold the days from `start` to `end` (both included)."""
    step = 3 if by == BY_QUARTER else 1
    first = quarter_start(start) if by == BY_QUARTER else date(start.year, start.month, 1)
    found = []
    while first <= end:
        following = _add_months(first, step)
        last_day = following - timedelta(days=1)
        found.append(Period(_label(first, by), first, following,
                            min(last_day, max(today, first))))
        first = following
    return tuple(found)


def default_range(today: date) -> tuple[date, date]:
    """The last four quarters: the one under way and the three before it."""
    return _add_months(quarter_start(today), -3 * (DEFAULT_QUARTERS - 1)), today


def _parse_date(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as error:
        raise InvalidValue(f"'{text[:40]}' is not a date: write it as YYYY-MM-DD.",
                           field=name) from error


def insights_range(start_text: str | None, end_text: str | None, by: str | None,
                   today: date) -> InsightsRange:
    """The range asked for in `from`, `to` and `by`, or the last four quarters by quarter;
    refused with a plain message when a date is not one, the range runs backwards, or it
    holds too many periods to chart."""
    by = (by or BY_QUARTER).strip()
    if by not in GROUPINGS:
        raise InvalidValue("Group by 'quarter' or 'month'.", field="by")
    default_start, default_end = default_range(today)
    start = _parse_date(start_text, "from") if start_text else default_start
    end = _parse_date(end_text, "to") if end_text else default_end
    if start > end:
        raise InvalidValue("The start date must be on or before the end date.", field="from")
    periods = periods_between(start, end, by, today)
    if len(periods) > MOST_PERIODS[by]:
        raise InvalidValue(f"Choose at most {MOST_PERIODS[by]} {by}s; this range holds "
                           f"{len(periods)}.", field="to")
    return InsightsRange(start, end, by, periods)


def percentile(values: Iterable[float], percent: float) -> float | None:
    """The percentile by linear interpolation between closest ranks (PostgreSQL's
    percentile_cont); None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * percent / 100
    lower = math.floor(position)
    upper = math.ceil(position)
    if lower == upper:
        return float(ordered[lower])
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


@dataclass(frozen=True)
class Summary:
    """A measure in one period: how many requirements, median and 90th percentile days."""

    count: int
    median: float | None
    p90: float | None


def summarise(values: list[float]) -> Summary:
    """Count, median and 90th percentile of some durations, in days to one decimal place."""
    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 1)

    return Summary(len(values), rounded(percentile(values, PERCENTILES["median"])),
                   rounded(percentile(values, PERCENTILES["p90"])))


Measurement = tuple[str, int, float]  # measure, period index, days


def summaries(measured: Iterable[list[Measurement]], period_count: int
              ) -> dict[str, list[Summary]]:
    """For each measure, its summary in each period, from requirements' measurements."""
    found: dict[str, list[list[float]]] = {key: [[] for _ in range(period_count)]
                                           for key in MEASURE_KEYS}
    for requirement in measured:
        for key, index, days in requirement:
            found[key][index].append(days)
    return {key: [summarise(values) for values in per_period]
            for key, per_period in found.items()}


def share(part: int, whole: int) -> float | None:
    """A percentage to one decimal place, or None of nothing."""
    return None if whole == 0 else round(100 * part / whole, 1)
