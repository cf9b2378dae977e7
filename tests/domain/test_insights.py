"""Insights' pure rules, table by table: periods, ranges, percentiles, durations by period."""

from datetime import UTC, date, datetime

import pytest

from gaps.domain.errors import InvalidValue
from gaps.domain.insights import (
    default_range,
    insights_range,
    percentile,
    periods_between,
    share,
    summaries,
)

TODAY = date(2026, 12, 3)


@pytest.mark.parametrize(("values", "percent", "expected"), [
    ([], 50, None),
    ([7], 50, 7.0),
    ([7], 90, 7.0),
    ([10, 20, 30], 50, 20.0),
    ([10, 20, 30], 90, 28.0),
    ([30, 10, 20], 90, 28.0),  # order does not matter
    ([10, 30], 50, 20.0),
    ([10, 30], 90, 28.0),
    ([1, 2, 3, 4], 50, 2.5),
    ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9.1),
    ([5, 5, 5], 90, 5.0),
])
def test_percentile_interpolates_like_percentile_cont(values, percent, expected):
    found = percentile(values, percent)
    assert found == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize(("start", "end", "by", "labels"), [
    (date(2026, 1, 1), date(2026, 12, 3), "quarter",
     ["2026 Q1", "2026 Q2", "2026 Q3", "2026 Q4"]),
    (date(2026, 2, 15), date(2026, 4, 1), "quarter", ["2026 Q1", "2026 Q2"]),
    (date(2025, 11, 30), date(2026, 1, 1), "month", ["Nov 2025", "Dec 2025", "Jan 2026"]),
    (date(2026, 5, 5), date(2026, 5, 5), "month", ["May 2026"]),
])
def test_periods_cover_the_days_asked_for(start, end, by, labels):
    assert [period.label for period in periods_between(start, end, by, TODAY)] == labels


def test_a_period_runs_to_its_last_day_or_to_today():
    q3, q4 = periods_between(date(2026, 7, 1), date(2026, 12, 3), "quarter", TODAY)
    assert (q3.start, q3.as_of) == (date(2026, 7, 1), date(2026, 9, 30))
    assert q4.as_of == TODAY
    assert q4.end_at == datetime(2026, 12, 4, tzinfo=UTC)


def test_the_default_is_the_last_four_quarters():
    assert default_range(TODAY) == (date(2026, 1, 1), TODAY)
    assert default_range(date(2026, 2, 1)) == (date(2025, 4, 1), date(2026, 2, 1))
    chosen = insights_range(None, None, None, TODAY)
    assert chosen.by == "quarter" and len(chosen.periods) == 4


@pytest.mark.parametrize(("start", "end", "by", "field"), [
    ("2026-13-01", None, None, "from"),
    ("yesterday", None, None, "from"),
    (None, "2026-02-30", None, "to"),
    ("2026-06-01", "2026-01-01", None, "from"),
    ("2010-01-01", "2026-01-01", "quarter", "to"),
    ("2020-01-01", "2026-01-01", "month", "to"),
    (None, None, "week", "by"),
])
def test_bad_ranges_are_refused_naming_the_field(start, end, by, field):
    with pytest.raises(InvalidValue) as refused:
        insights_range(start, end, by, TODAY)
    assert refused.value.field == field


def test_summaries_put_each_duration_in_its_period():
    measured = [
        [("draft_to_tasked", 0, 10.0), ("tasked_to_first_contribution", 1, 90.0)],
        [("draft_to_tasked", 0, 31.0), ("proposed_to_confirmed", 1, 10.0)],
        [],  # never tasked
    ]
    found = summaries(measured, 2)
    assert [(s.count, s.median) for s in found["draft_to_tasked"]] == [(2, 20.5), (0, None)]
    assert [s.count for s in found["tasked_to_first_contribution"]] == [0, 1]
    assert found["proposed_to_confirmed"][1].p90 == 10.0
    assert set(found) == {"draft_to_tasked", "tasked_to_first_contribution",
                          "tasked_to_proposed", "proposed_to_confirmed"}


@pytest.mark.parametrize(("part", "whole", "expected"), [
    (0, 0, None), (1, 2, 50.0), (1, 3, 33.3), (3, 3, 100.0)])
def test_share(part, whole, expected):
    assert share(part, whole) == expected
