"""Markings: a page shows the most restrictive marking of what it contains."""

import pytest

from gaps.domain.status import STATUSES, is_open
from gaps.domain.vocabulary import MARKINGS, highest_marking, marking_css_class


@pytest.mark.parametrize(("markings", "expected"), [
    ([], "OFFICIAL"),
    ([None], "OFFICIAL"),
    (["OFFICIAL"], "OFFICIAL"),
    (["OFFICIAL", "SECRET", "OFFICIAL-SENSITIVE"], "SECRET"),
    (["TOP SECRET", "OFFICIAL"], "TOP SECRET"),
    (["nonsense"], "OFFICIAL"),
])
def test_highest_marking(markings, expected):
    assert highest_marking(markings, "OFFICIAL") == expected


def test_markings_are_in_the_government_order():
    assert MARKINGS == ("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET")


def test_marking_css_class():
    assert marking_css_class("TOP SECRET") == "app-marking--top-secret"


@pytest.mark.parametrize(("status", "open_"), [
    ("draft", True), ("tasked", True), ("partially_satisfied", True), ("satisfied", True),
    ("closed", False), ("cancelled", False),
])
def test_open_statuses(status, open_):
    assert status in STATUSES
    assert is_open(status) is open_
