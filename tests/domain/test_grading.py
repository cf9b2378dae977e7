"""3x5x2 grades: written 2/B/P; handling C needs its conditions."""

import pytest

from gaps.domain.errors import InvalidValue
from gaps.domain.grading import make_grading, parse_grading


@pytest.mark.parametrize(("written", "conditions", "expected"), [
    ("2/B/P", None, "2/B/P"),
    (" 1 / a / p ", None, "1/A/P"),
    ("3/E/C", "Not to be shared outside law enforcement", "3/E/C"),
])
def test_valid_grades(written, conditions, expected):
    assert str(parse_grading(written, conditions)) == expected


@pytest.mark.parametrize(("written", "conditions", "message"), [
    ("4/B/P", None, "not a 3x5x2 grade"),
    ("2/F/P", None, "not a 3x5x2 grade"),
    ("2/B/X", None, "not a 3x5x2 grade"),
    ("2-B-P", None, "not a 3x5x2 grade"),
    ("", None, "not a 3x5x2 grade"),
    ("2/B/C", None, "needs the conditions"),
    ("2/B/C", "   ", "needs the conditions"),
    ("2/B/P", "only with consent", "only recorded with handling code C"),
])
def test_invalid_grades_say_what_is_wrong(written, conditions, message):
    with pytest.raises(InvalidValue, match=message):
        parse_grading(written, conditions)


def test_the_grade_in_words():
    assert make_grading("2", "B", "P").describe() == (
        "Untested source; known indirectly but corroborated; lawful sharing permitted")


@pytest.mark.parametrize(("parts", "field"), [
    (("0", "A", "P"), "grading"), (("1", "Z", "P"), "grading"), (("1", "A", "Q"), "grading"),
])
def test_each_part_is_checked(parts, field):
    with pytest.raises(InvalidValue) as refused:
        make_grading(*parts)
    assert refused.value.field == field
