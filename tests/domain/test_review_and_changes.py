"""Review cadence by band, overdue checks, and field-by-field changes for the audit trail."""

from datetime import date

import pytest

from gaps.domain.changes import FieldChange, as_text, field_changes
from gaps.domain.errors import InvalidValue
from gaps.domain.review import (
    DEFAULT_CADENCE_DAYS,
    is_ltiov_passed,
    is_review_due,
    next_review_date,
    parse_cadence,
)

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize(("band", "expected"), [
    ("high", date(2027, 2, 27)), ("medium", date(2027, 5, 28)), ("low", date(2027, 11, 24)),
])
def test_next_review_by_band(band, expected):
    assert next_review_date(TODAY, band, DEFAULT_CADENCE_DAYS) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("90/180/360", {"high": 90, "medium": 180, "low": 360}),
    (" 30 / 60 / 120 ", {"high": 30, "medium": 60, "low": 120}),
])
def test_parse_cadence(text, expected):
    assert parse_cadence(text) == expected


@pytest.mark.parametrize("text", ["90/180", "a/b/c", "0/10/20", "", "90/180/360/720"])
def test_bad_cadence_is_refused(text):
    with pytest.raises(InvalidValue):
        parse_cadence(text)


@pytest.mark.parametrize(("day", "due", "passed"), [
    (None, False, False),
    (date(2026, 11, 28), True, True),
    (TODAY, True, False),
    (date(2026, 11, 30), False, False),
])
def test_review_due_and_ltiov_passed(day, due, passed):
    assert is_review_due(day, TODAY) is due
    assert is_ltiov_passed(day, TODAY) is passed


def test_field_changes_lists_only_what_changed_as_text():
    before = {"question": "Q?", "ltiov": None, "sources": ["A", "B"], "harm": 3}
    after = {"question": "Q?", "ltiov": date(2027, 1, 31), "sources": ["A"], "harm": 4}
    assert field_changes(before, after) == [
        FieldChange("ltiov", None, "2027-01-31"),
        FieldChange("sources", "A; B", "A"),
        FieldChange("harm", "3", "4"),
    ]


@pytest.mark.parametrize(("value", "text"), [
    (None, None), (5, "5"), ("x", "x"), ([], ""), (date(2016, 8, 16), "2016-08-16"),
    ({"b", "a"}, "a; b"),
])
def test_as_text(value, text):
    assert as_text(value) == text
