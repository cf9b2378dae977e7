"""Reports' values, a feed's rows, excerpts and triage decisions (no application)."""

from datetime import date

import pytest

from gaps.domain.errors import InvalidValue
from gaps.domain.reports import check_decision, excerpt, parse_feed_date, report_from_row

TODAY = date(2026, 12, 3)
ROW = {"title": "T", "text": "What was seen.", "source": "S", "found_on": "2026-12-01",
       "grading": "2/B/P"}


@pytest.mark.parametrize(("change", "field"), [
    ({"title": ""}, "title"),
    ({"text": None}, "text"),
    ({"source": " "}, "source"),
    ({"found_on": "2026-12-04"}, "found_on"),
    ({"found_on": "tomorrow"}, "found_on"),
    ({"grading": "2/B"}, "grading"),
    ({"grading": "2/B/C"}, "handling_conditions"),
    ({"marking": "SECRETISH"}, "marking"),
    ({"title": "x" * 301}, "title"),
])
def test_a_bad_row_says_which_value_is_wrong(change, field):
    with pytest.raises(InvalidValue) as refused:
        report_from_row(ROW | change, TODAY)
    assert refused.value.field == field


def test_a_good_row_gives_its_values_with_defaults():
    values = report_from_row(ROW | {"handling_conditions": ""}, TODAY)
    assert (values.title, values.found_on, str(values.grade), values.marking) == (
        "T", date(2026, 12, 1), "2/B/P", "OFFICIAL")
    with pytest.raises(InvalidValue, match="Unknown columns: colour"):
        report_from_row(ROW | {"colour": "red"}, TODAY)


@pytest.mark.parametrize(("written", "day"), [
    ("2026-11-30", date(2026, 11, 30)), ("30/11/2026", date(2026, 11, 30)),
    (" 2026-01-02 ", date(2026, 1, 2))])
def test_feed_dates(written, day):
    assert parse_feed_date(written) == day


@pytest.mark.parametrize(("title", "text", "limit", "expected"), [
    ("Title", "Short text.", 100, "Title: Short text."),
    ("Title", "one two three four five", 20, "Title: one two…"),
])
def test_an_excerpt_is_cut_at_a_word(title, text, limit, expected):
    assert excerpt(title, text, limit) == expected
    assert len(excerpt(title, text, limit)) <= limit


@pytest.mark.parametrize(("decision", "reason", "expected"), [
    ("confirm", None, ("confirm", None)),
    ("reject", "  Not about this. ", ("reject", "Not about this.")),
    ("reject", "", ("reject", None)),
])
def test_decisions(decision, reason, expected):
    assert check_decision(decision, reason) == expected


@pytest.mark.parametrize(("decision", "reason"), [("maybe", None), ("reject", "x" * 2001),
                                                  ("confirm", 7)])
def test_bad_decisions_are_refused(decision, reason):
    with pytest.raises(InvalidValue):
        check_decision(decision, reason)
