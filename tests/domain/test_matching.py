"""Matching reports to requirements: words and stems, terms typed in a box, what each
criterion earns, vetoes, the threshold and the order of proposals (no application)."""

import pytest

from gaps.domain.errors import InvalidValue
from gaps.domain.matching import (
    INDICATOR_POINTS,
    MATCH_TERM_MOST,
    MATCH_TERM_POINTS,
    PROPOSAL_THRESHOLD,
    RequirementCriteria,
    TermIndex,
    clean_indicators,
    clean_terms,
    compile_criteria,
    match_report,
    parse_terms,
    read_report,
    stems_of,
)


@pytest.mark.parametrize(("text", "stems"), [
    ("Grooming, groomed and grooms", ("groom", "groom", "groom")),
    ("The children of the UK", ("children", "uk")),
    ("Live-streamed abuse in 2016", ("live", "stream", "abus")),
    ("A b c", ()),
    ("", ()),
])
def test_words_are_stemmed_and_empty_words_left_out(text, stems):
    assert stems_of(text) == stems


@pytest.mark.parametrize(("typed", "terms"), [
    ("grooming\nsextortion", ["grooming", "sextortion"]),
    ("grooming, sextortion; capping", ["grooming", "sextortion", "capping"]),
    ("online grooming", ["online grooming"]),
    ('grooming "live streaming" capping', ["live streaming", "grooming", "capping"]),
    ("“live streaming”", ["live streaming"]),
    ("Grooming\ngrooming\n\n  ", ["Grooming"]),
    ("", []),
])
def test_terms_typed_in_a_box(typed, terms):
    assert parse_terms(typed) == terms


@pytest.mark.parametrize(("values", "message"), [
    ("grooming", "list of text"),
    ([1, 2], "list of text"),
    (["the"], "no word to match on"),
    (["x" * 201], "at most 200"),
    ([f"term{number}" for number in range(51)], "at most 50"),
])
def test_bad_terms_are_refused(values, message):
    with pytest.raises(InvalidValue, match=message):
        clean_terms(values, "match_terms")


def test_indicators_are_trimmed_and_each_kept_once():
    assert clean_indicators(["  Number of victims ", "number of victims", "", "Platforms"]) == [
        "Number of victims", "Platforms"]
    with pytest.raises(InvalidValue, match="at most 30"):
        clean_indicators([f"Indicator {number}" for number in range(31)])


def _index(*criteria: RequirementCriteria) -> TermIndex:
    index = TermIndex()
    for each in criteria:
        index.put(compile_criteria(each))
    return index


GROOMING = RequirementCriteria(1, "R-1", "How many children were groomed online, and where?",
                               "The scale of online grooming is unknown.")
TRAVEL = RequirementCriteria(2, "R-2", "How many offenders travel abroad to abuse children?",
                             "Travelling child sex offenders are not known.")
STATS = RequirementCriteria(3, "R-3", "How many children are abused each year?",
                            "Official statistics undercount abuse of children.")


@pytest.mark.parametrize(("title", "text", "expected"), [
    ("Grooming on gaming sites", "Children were groomed online on two gaming sites.",
     ["R-1"]),
    ("Travel", "Offenders travel abroad to abuse children in orphanages.", ["R-2"]),
    ("Weather", "It rained in Manchester on Tuesday.", []),
])
def test_a_report_proposes_the_requirements_it_answers_best_first(title, text, expected):
    index = _index(GROOMING, TRAVEL, STATS)
    found = match_report(read_report(title, text), index)
    assert [match.ref for match in found][:len(expected)] == expected
    assert all(match.score >= PROPOSAL_THRESHOLD for match in found)
    assert [match.score for match in found] == sorted((m.score for m in found), reverse=True)


def test_rarer_words_weigh_more_than_words_every_requirement_uses():
    index = _index(GROOMING, TRAVEL, STATS)
    common = match_report(read_report("", "children children"), index, threshold=0)
    rare = match_report(read_report("", "grooming"), index, threshold=0)
    assert max(match.score for match in common) < rare[0].score


@pytest.mark.parametrize(("terms", "text", "points"), [
    (("sextortion",), "Sextortion of teenagers", MATCH_TERM_POINTS),
    (("sextortion", "financially motivated"), "Financially motivated sextortion",
     2 * MATCH_TERM_POINTS),
    (("a", "b", "c"), "", 0),
    (("sextortion", "payment", "teenage boys"), "Sextortion payment from teenage boys",
     MATCH_TERM_MOST),
    (("motivated financially",), "financially motivated", 0),  # a phrase keeps its order
])
def test_each_match_term_found_earns_points_up_to_a_most(terms, text, points):
    requirement = RequirementCriteria(9, "R-9", "Unrelated question?", "", match_terms=terms)
    found = match_report(read_report("", text), _index(requirement), threshold=0)
    assert (found[0].score if found else 0) == points


def test_an_indicator_counts_when_the_report_uses_half_its_words():
    requirement = RequirementCriteria(
        4, "R-4", "What is known?", "", indicators=("Platforms where grooming began",
                                                    "Ages of victims"))
    found = match_report(read_report("", "The platforms where it began."), _index(requirement))
    assert found[0].indicators_matched == ["Platforms where grooming began"]
    assert found[0].score >= INDICATOR_POINTS
    assert any("indicators" in line for line in found[0].explanation)


def test_an_exclude_term_vetoes_whatever_the_score():
    requirement = RequirementCriteria(5, "R-5", "How big is online grooming?", "",
                                      match_terms=("grooming",),
                                      exclude_terms=("dog grooming",))
    index = _index(requirement)
    assert match_report(read_report("", "Online grooming is rising."), index)
    assert match_report(read_report("", "Online grooming, not dog grooming."), index) == []


def test_a_requirement_taken_out_of_the_index_is_not_proposed():
    index = _index(GROOMING, TRAVEL)
    index.remove(1)
    assert [m.ref for m in match_report(read_report("", "groomed online"), index,
                                        threshold=0)] != ["R-1"]
    assert 1 not in index.candidates(["groom"])


def test_equal_scores_are_ordered_by_reference():
    first = RequirementCriteria(7, "R-7", "Grooming?", "")
    second = RequirementCriteria(6, "R-6", "Grooming?", "")
    found = match_report(read_report("", "grooming"), _index(first, second))
    assert [match.ref for match in found] == ["R-6", "R-7"]


def test_at_most_the_best_proposals_are_kept():
    index = _index(*(RequirementCriteria(number, f"R-{number:03d}", "Grooming online?", "")
                     for number in range(1, 41)))
    found = match_report(read_report("", "grooming online"), index, most=25)
    assert [match.ref for match in found] == [f"R-{number:03d}" for number in range(1, 26)]
