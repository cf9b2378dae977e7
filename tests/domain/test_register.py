"""Ranking, overrides, diffs and coverage: the register's rules, table by table."""

from datetime import date, timedelta

import pytest

from gaps.domain.errors import InvalidValue
from gaps.domain.register import (
    GapStatuses,
    RegisterEntry,
    RegisterInput,
    check_override,
    coverage,
    diff_registers,
    rank_requirements,
)

TODAY = date(2026, 11, 29)


def item(ref, harm=3, likelihood=3, gap=3, position=3, ltiov_days=None, override=None, id_=None):
    return RegisterInput(
        requirement_id=id_ or int(ref.split("-")[1]), ref=ref,
        values={"harm": harm, "likelihood": likelihood, "knowledge_gap": gap,
                "organisational_position": position},
        ltiov=None if ltiov_days is None else TODAY + timedelta(days=ltiov_days),
        rank_override=override)


def order(items):
    return [ranked.ref for ranked in rank_requirements(items, TODAY)]


@pytest.mark.parametrize(("items", "expected"), [
    # Higher score first.
    ([item("R-1", harm=1), item("R-2", harm=5)], ["R-2", "R-1"]),
    # Equal scores: the sooner LTIOV first, none last (urgency equal: both far away).
    ([item("R-1", ltiov_days=400), item("R-2", ltiov_days=300), item("R-3")],
     ["R-2", "R-1", "R-3"]),
    # Equal scores and dates: the greater harm first (with weights that ignore harm).
    ([item("R-1"), item("R-2")], ["R-1", "R-2"]),
    # Everything equal: by reference, whatever the input order.
    ([item("R-9"), item("R-3"), item("R-5")], ["R-3", "R-5", "R-9"]),
])
def test_ranking_and_its_tie_breaks(items, expected):
    assert order(items) == expected
    assert order(list(reversed(items))) == expected


def test_ties_on_score_break_on_harm():
    # Same total: harm 5/likelihood 1 vs harm 1/likelihood 5 differ in weight, so build a tie
    # with equal weights for harm and likelihood.
    from gaps.domain.priority import ScoringSettings
    equal = ScoringSettings(weights={"harm": 1, "likelihood": 1, "knowledge_gap": 1,
                                     "organisational_position": 1, "urgency": 1})
    items = [item("R-1", harm=2, likelihood=4), item("R-2", harm=4, likelihood=2)]
    ranked = rank_requirements(items, TODAY, equal)
    assert ranked[0].score.total == ranked[1].score.total
    assert [entry.ref for entry in ranked] == ["R-2", "R-1"]


@pytest.mark.parametrize(("overrides", "expected"), [
    ({}, ["R-1", "R-2", "R-3", "R-4"]),
    ({"R-4": 1}, ["R-4", "R-1", "R-2", "R-3"]),
    ({"R-1": 3}, ["R-2", "R-3", "R-1", "R-4"]),
    ({"R-1": 99}, ["R-2", "R-3", "R-4", "R-1"]),
    ({"R-3": 1, "R-4": 1}, ["R-3", "R-4", "R-1", "R-2"]),  # same wish: natural order decides
    ({"R-2": 4, "R-3": 4}, ["R-1", "R-4", "R-2", "R-3"]),  # no room after: pulled back up
    ({"R-1": 4, "R-2": 4, "R-3": 4}, ["R-4", "R-1", "R-2", "R-3"]),
])
def test_overrides_pin_requirements_at_their_chosen_rank(overrides, expected):
    items = [item(f"R-{number}", harm=6 - number, override=overrides.get(f"R-{number}"))
             for number in range(1, 5)]
    ranked = rank_requirements(items, TODAY)
    assert [entry.ref for entry in ranked] == expected
    assert [entry.rank for entry in ranked] == [1, 2, 3, 4]
    for entry in ranked:
        assert entry.natural_rank == int(entry.ref.split("-")[1])
        assert entry.overridden is (entry.rank != entry.natural_rank)


@pytest.mark.parametrize(("rank", "rationale", "result"), [
    (None, None, (None, None)),
    (None, "ignored", (None, None)),
    (2, "Ministerial priority", (2, "Ministerial priority")),
])
def test_valid_overrides(rank, rationale, result):
    assert check_override(rank, rationale) == result


@pytest.mark.parametrize(("rank", "rationale", "field"), [
    (2, "", "rationale"), (2, "   ", "rationale"), (2, None, "rationale"), (0, "x", "rank"),
    (-1, "x", "rank"), ("2", "x", "rank"),
])
def test_an_override_needs_a_rank_and_a_rationale(rank, rationale, field):
    with pytest.raises(InvalidValue) as refused:
        check_override(rank, rationale)
    assert refused.value.field == field


def entry(id_, rank, score=50.0, status="tasked", owner="Team A"):
    return RegisterEntry(id_, f"R-{id_}", rank, score, status, owner)


@pytest.mark.parametrize(("before", "after", "now", "expected"), [
    ([entry(1, 1)], [entry(1, 1)], {}, {}),
    ([], [entry(1, 1)], {}, {1: ("new",)}),
    ([entry(1, 1)], [], {1: "closed"}, {1: ("closed",)}),
    ([entry(1, 1)], [], {1: "cancelled"}, {1: ("cancelled",)}),
    ([entry(1, 1)], [], {}, {1: ("removed",)}),
    ([entry(1, 1), entry(2, 2)], [entry(2, 1), entry(1, 2)], {},
     {2: ("moved_up",), 1: ("moved_down",)}),
    ([entry(1, 1, score=50)], [entry(1, 1, score=61.5)], {}, {1: ("rescored",)}),
    ([entry(1, 1, status="draft")], [entry(1, 1, status="tasked")], {}, {1: ("status_changed",)}),
    ([entry(1, 1, owner="A")], [entry(1, 1, owner=None)], {}, {1: ("owner_changed",)}),
    ([entry(1, 3, score=40, owner="A")], [entry(1, 1, score=70, owner="B")], {},
     {1: ("moved_up", "rescored", "owner_changed")}),
])
def test_diff_names_each_change(before, after, now, expected):
    diff = diff_registers(before, after, now)
    assert {change.requirement_id: change.kinds for change in diff.changes} == expected
    assert diff.unchanged == len([e for e in after if e.requirement_id not in expected])


def test_diff_counts_places_and_describes_changes():
    diff = diff_registers([entry(1, 5, score=40), entry(2, 1)],
                          [entry(1, 2, score=55), entry(2, 3)])
    up = diff.of_kind("moved_up")[0]
    assert up.places == 3
    assert up.describe() == "moved up 3 places (rank 5 → 2); rescored 40 → 55"
    assert diff.of_kind("moved_down")[0].describe() == "moved down 2 places (rank 1 → 3)"
    assert diff.movement() == {1: "up 3", 2: "down 2"}


@pytest.mark.parametrize(("gaps", "expected"), [
    ([], (0, 0, 0.0, 0, False)),
    ([GapStatuses(1, "G-1", ())], (1, 0, 0.0, 1, True)),
    ([GapStatuses(1, "G-1", ("closed",)), GapStatuses(2, "G-2", ("tasked",))],
     (2, 2, 0.5, 1, False)),
    ([GapStatuses(1, "G-1", ("satisfied", "draft")), GapStatuses(2, "G-2", ("tasked",)),
      GapStatuses(3, "G-3", ("cancelled",))], (3, 3, 0.333, 2, True)),
])
def test_coverage_and_at_risk(gaps, expected):
    result = coverage(gaps)
    assert (result.gap_count, result.requirement_count, result.satisfied_share,
            result.unanswered_gaps, result.at_risk) == expected


@pytest.mark.parametrize(("before", "after", "now", "words"), [
    ([], [entry(1, 1)], {}, "new since"),
    ([entry(1, 1)], [], {1: "closed"}, "closed (confirmed satisfied)"),
    ([entry(1, 1)], [], {1: "cancelled"}, "no longer in the register because cancelled"),
    ([entry(1, 1, status="tasked")], [entry(1, 1, status="partially_satisfied")], {},
     "Tasked → Partially satisfied"),
    ([entry(1, 1, status="tasked")], [entry(1, 1, status="satisfied")], {},
     "Tasked → Proposed satisfied"),
    ([entry(1, 4), entry(2, 1)], [entry(1, 1), entry(2, 2)], {},
     "moved up 3 places (rank 4 → 1)"),
])
def test_each_change_is_said_in_words_a_reader_uses(before, after, now, words):
    change = diff_registers(before, after, now).changes[0]
    assert change.describe() == words


def test_counts_say_how_many_changed_each_way():
    diff = diff_registers([entry(1, 1), entry(2, 2, status="draft"), entry(3, 3)],
                          [entry(2, 1, status="tasked"), entry(3, 2), entry(4, 3)],
                          {1: "closed"})
    assert diff.counts() == {"new": 1, "closed": 1, "moved_up": 2, "status_changed": 1}
