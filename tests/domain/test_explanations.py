"""Scores that add up, the review date capped at the LTIOV, and moves said in the right words."""

from datetime import date, timedelta

import pytest

from gaps.domain.errors import InvalidTransition, InvalidValue
from gaps.domain.priority import ScoringSettings, priority_score
from gaps.domain.review import check_review_date, next_review_date
from gaps.domain.status import (
    STATUS_LABELS,
    RequirementFacts,
    check_transition,
    done_message,
    find_transition,
)

TODAY = date(2026, 12, 3)
WEIGHTS = [
    {"harm": 3, "likelihood": 2, "knowledge_gap": 2, "organisational_position": 1, "urgency": 2},
    {"harm": 3, "likelihood": 2, "knowledge_gap": 2, "organisational_position": 1, "urgency": 3},
    {"harm": 1, "likelihood": 1, "knowledge_gap": 1, "organisational_position": 1, "urgency": 1},
    {"harm": 7, "likelihood": 0, "knowledge_gap": 3, "organisational_position": 1, "urgency": 0},
]
VALUES = [
    {"harm": 5, "likelihood": 3, "knowledge_gap": 4, "organisational_position": 2},
    {"harm": 1, "likelihood": 1, "knowledge_gap": 1, "organisational_position": 1},
    {"harm": 5, "likelihood": 5, "knowledge_gap": 5, "organisational_position": 5},
    {"harm": 2, "likelihood": None, "knowledge_gap": 4, "organisational_position": None},
]


@pytest.mark.parametrize("weights", WEIGHTS)
@pytest.mark.parametrize("values", VALUES)
@pytest.mark.parametrize("days_left", [None, -3, 10, 60, 400])
def test_each_line_gives_points_that_add_up_to_the_total(weights, values, days_left):
    ltiov = None if days_left is None else TODAY + timedelta(days=days_left)
    score = priority_score(values, ltiov, TODAY, ScoringSettings(weights=weights))
    lines = score.lines()
    assert round(sum(float(line.points) for line in lines), 2) == score.total
    assert round(sum(float(line.max_points) for line in lines), 2) == 100
    for line in lines:
        assert 0 <= float(line.points) <= float(line.max_points) + 0.01


@pytest.mark.parametrize(("values", "points"), [
    # Default weights 3/2/2/1/2 of 10: each is worth 30/20/20/10/20 points at level 5.
    ({"harm": 5, "likelihood": 1, "knowledge_gap": 1, "organisational_position": 1},
     ["30", "0", "0", "0", "0"]),
    ({"harm": 3, "likelihood": 3, "knowledge_gap": 3, "organisational_position": 3},
     ["15", "10", "10", "5", "0"]),
])
def test_lines_read_as_levels_of_five_times_a_weight(values, points):
    lines = priority_score(values, None, TODAY).lines()
    assert [line.points for line in lines] == points
    assert [line.max_points for line in lines] == ["30", "20", "20", "10", "20"]
    assert lines[-1].note == "no LTIOV"


@pytest.mark.parametrize(("band", "ltiov_days", "expected_days"), [
    ("high", None, 90), ("high", 200, 90), ("high", 30, 30), ("medium", 100, 100),
    ("low", 1000, 360), ("low", 0, 0),
])
def test_the_next_review_never_falls_after_the_ltiov(band, ltiov_days, expected_days):
    cadence = {"high": 90, "medium": 180, "low": 360}
    ltiov = None if ltiov_days is None else TODAY + timedelta(days=ltiov_days)
    assert next_review_date(TODAY, band, cadence, ltiov) == TODAY + timedelta(days=expected_days)


@pytest.mark.parametrize(("review_days", "ltiov_days", "allowed"), [
    (None, 10, True), (10, None, True), (9, 10, True), (10, 10, True), (11, 10, False),
    (90, 9, False),
])
def test_a_review_date_after_the_ltiov_is_refused(review_days, ltiov_days, allowed):
    review = None if review_days is None else TODAY + timedelta(days=review_days)
    ltiov = None if ltiov_days is None else TODAY + timedelta(days=ltiov_days)
    if allowed:
        assert check_review_date(review, ltiov) == review
    else:
        with pytest.raises(InvalidValue) as refused:
            check_review_date(review, ltiov)
        assert refused.value.field == "review_date"


FACTS = RequirementFacts(has_owner_team=True, source_count=1, has_ltiov=True,
                         contribution_count=1)


@pytest.mark.parametrize(("source", "target", "needs_confirmation", "words"), [
    ("tasked", "satisfied", True, "R-1 is proposed as satisfied: it waits for a manager"),
    ("partially_satisfied", "satisfied", True, "R-1 is proposed as satisfied"),
    ("satisfied", "closed", False, "R-1 is confirmed as satisfied and closed."),
    ("draft", "cancelled", True, "R-1 is cancelled"),
    ("tasked", "partially_satisfied", False, "R-1 is now partially satisfied."),
    ("closed", "tasked", False, "R-1 is reopened"),
])
def test_moves_say_what_they_did_and_the_hard_ones_ask_first(source, target,
                                                             needs_confirmation, words):
    move = find_transition(source, target)
    assert move.needs_confirmation is needs_confirmation
    assert done_message(move, "R-1").startswith(words)


def test_proposing_satisfied_needs_a_justification():
    with pytest.raises(InvalidTransition) as refused:
        check_transition("tasked", "satisfied", "collector", FACTS, "  ")
    assert "say what answers the question" in refused.value.message
    assert check_transition("tasked", "satisfied", "collector", FACTS, "Report 12 answers it.")


def test_satisfied_is_shown_as_a_proposal():
    assert STATUS_LABELS["satisfied"] == "Proposed satisfied (awaiting confirmation)"
