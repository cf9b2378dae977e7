"""Priority scores: a pure function of the dimensions and the LTIOV, with a breakdown."""

from datetime import date, timedelta

import pytest

from gaps.domain.errors import InvalidValue
from gaps.domain.priority import ScoringSettings, priority_score, urgency_from_ltiov

TODAY = date(2026, 11, 29)
ALL_FIVE = {"harm": 5, "likelihood": 5, "knowledge_gap": 5, "organisational_position": 5}
ALL_ONE = {"harm": 1, "likelihood": 1, "knowledge_gap": 1, "organisational_position": 1}


@pytest.mark.parametrize(("days_left", "urgency"), [
    (None, 1), (-10, 5), (0, 5), (14, 5), (15, 4), (45, 4), (46, 3), (90, 3), (91, 2),
    (180, 2), (181, 1),
])
def test_urgency_from_ltiov(days_left, urgency):
    ltiov = None if days_left is None else TODAY + timedelta(days=days_left)
    assert urgency_from_ltiov(ltiov, TODAY, ScoringSettings()) == urgency


@pytest.mark.parametrize(("values", "ltiov_days", "total", "band"), [
    (ALL_FIVE, 0, 100.0, "high"),
    (ALL_ONE, None, 0.0, "low"),
    # harm 5 (weight 3) only, others 1, no LTIOV: 3*4/4 / 10 * 100 = 30
    ({**ALL_ONE, "harm": 5}, None, 30.0, "low"),
    # all 3 with urgency 3: half of every weight = 50
    ({"harm": 3, "likelihood": 3, "knowledge_gap": 3, "organisational_position": 3}, 60, 50.0,
     "medium"),
])
def test_scores_and_bands(values, ltiov_days, total, band):
    ltiov = None if ltiov_days is None else TODAY + timedelta(days=ltiov_days)
    score = priority_score(values, ltiov, TODAY)
    assert (score.total, score.band) == (total, band)
    assert round(sum(part.points for part in score.components), 1) == round(total, 1)


def test_a_missing_dimension_counts_as_middle_and_is_flagged():
    score = priority_score({"harm": 5}, None, TODAY)
    assert not score.complete
    assert score.breakdown()["likelihood"]["note"] == "not scored (counted as 3)"


def test_breakdown_names_each_part():
    breakdown = priority_score(ALL_FIVE, TODAY - timedelta(days=3), TODAY).breakdown()
    assert set(breakdown) == {"harm", "likelihood", "knowledge_gap", "organisational_position",
                              "urgency"}
    assert breakdown["urgency"]["note"] == "LTIOV passed 3 days ago"
    assert breakdown["harm"]["note"] == "severe"


def test_weights_change_the_score():
    heavy_harm = ScoringSettings(weights={"harm": 10, "likelihood": 0, "knowledge_gap": 0,
                                          "organisational_position": 0, "urgency": 0})
    assert priority_score({**ALL_ONE, "harm": 5}, None, TODAY, heavy_harm).total == 100.0


@pytest.mark.parametrize("value", [0, 6, "3", 2.5])
def test_out_of_scale_values_are_refused(value):
    with pytest.raises(InvalidValue):
        priority_score({**ALL_ONE, "harm": value}, None, TODAY)


@pytest.mark.parametrize("settings", [
    ScoringSettings(weights={"harm": -1, "likelihood": 1, "knowledge_gap": 1,
                             "organisational_position": 1, "urgency": 1}),
    ScoringSettings(weights={"harm": 0, "likelihood": 0, "knowledge_gap": 0,
                             "organisational_position": 0, "urgency": 0}),
    ScoringSettings(urgency_horizons_days=(90, 45, 14, 180)),
    ScoringSettings(band_thresholds=(40.0, 60.0)),
])
def test_nonsense_settings_are_refused(settings):
    with pytest.raises(InvalidValue):
        settings.validate()
