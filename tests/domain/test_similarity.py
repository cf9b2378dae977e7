"""Near-duplicate requirements and gaps, and the collection plan's cells and abbreviations:
pure rules, no application."""

import pytest

from gaps.domain.collection_plan import PlanCell, abbreviate, plan_cells
from gaps.domain.similarity import (
    SIMILARITY_THRESHOLD,
    content_words,
    most_similar,
    similarity,
    stem,
)

DUPLICATES = [
    ("How many UK-based children were groomed online in the last 12 months?",
     "How many children in the UK were groomed online in the past year?"),
    ("Which firearms are being converted from blank-firing pistols and where are they sold?",
     "Where are converted blank-firing pistols being sold, and which firearms are converted?"),
    ("The scale of online grooming of UK children is unknown.",
     "Unknown: how much online grooming of children in the UK takes place."),
    ("On which platforms does online grooming of UK children begin, and how many offenders are "
     "overseas?",
     "How many UK-based children were groomed online in the last 12 months, how many of the "
     "offenders were UK-based and how many overseas, and on which platforms did the grooming "
     "begin?"),
    ("What proportion of offences against children are committed by family members?",
     "What proportion of the offences committed against children involve a family member?"),
]

NOT_DUPLICATES = [
    ("How many UK-based children were groomed online?",
     "Which payment methods do customers of live-streamed abuse use?"),
    ("What proportion of fraud is reported to police?",
     "What proportion of firearms offences involve converted weapons?"),
    # Related (live-streamed abuse, payment, travel) but asking different things.
    ("Of UK-based offenders identified paying to direct live-streamed abuse, how many have "
     "travelled in the last five years to countries associated with transnational child sex "
     "offending?",
     "What proportion of UK offenders under 35 who pay for live-streamed abuse of children "
     "overseas have never travelled to the countries concerned, and is that proportion rising "
     "year on year?"),
    ("", "How many children were groomed online?"),
    ("What is the extent of the intelligence gap?", "What is the level of understanding?"),
]


@pytest.mark.parametrize(("first", "second"), DUPLICATES)
def test_rewordings_of_the_same_question_are_similar(first, second):
    assert similarity(first, second) >= SIMILARITY_THRESHOLD
    assert similarity(first, second) == similarity(second, first)


@pytest.mark.parametrize(("first", "second"), NOT_DUPLICATES)
def test_different_questions_are_not(first, second):
    assert similarity(first, second) < SIMILARITY_THRESHOLD


@pytest.mark.parametrize(("word", "expected"), [
    ("offences", "offenc"), ("offence", "offenc"), ("offending", "offend"),
    ("offenders", "offend"), ("grooming", "groom"), ("groomed", "groom"), ("studies", "study"),
    ("study", "study"), ("process", "process"), ("processes", "process"), ("abuse", "abus"),
    ("abused", "abus"), ("gas", "gas"),
])
def test_stemming_brings_forms_of_a_word_together(word, expected):
    assert stem(word) == expected


def test_stop_words_and_words_every_requirement_uses_do_not_count():
    assert content_words("What is the extent of the scale, in the last 12 months?") == set()
    assert content_words("Children’s grooming") == {"children", "groom"}


def test_the_most_similar_come_first_at_most_five_and_none_below_the_threshold():
    text = "How many children were groomed online?"
    candidates = [(number, f"R-{number:03d}", f"Title {number}",
                   "How many children were groomed online through games?" if number % 2 else
                   "Which firearms were converted?") for number in range(1, 20)]
    candidates.append((99, "R-099", "Exact", text))
    found = most_similar(text, candidates)
    assert [item.ref for item in found] == ["R-099", "R-001", "R-003", "R-005", "R-007"]
    assert found[0].similarity == 1.0 and found[0].percent == 100
    assert all(item.similarity >= SIMILARITY_THRESHOLD for item in found)


@pytest.mark.parametrize(("names", "expected"), [
    (["Police recorded crime (Scotland)"], ["PRCS"]),
    (["NCMEC referrals from US online service providers"], ["NCMEC"]),
    (["The Children's Society"], ["CS"]),
    (["Office of the Children's Commissioner for England"], ["OCCE"]),
    (["Communication service providers", "Crown Prosecution Service"], ["CSP", "CPS"]),
    (["Regional unit one", "Regional unit one (north)", "Regional unit other"],
     ["RUO", "RUON", "RUO2"]),
])
def test_sources_are_abbreviated_uniquely(names, expected):
    assert list(abbreviate(names).values()) == expected


@pytest.mark.parametrize(("cell", "words"), [
    (PlanCell(), ""),
    (PlanCell(tasked=True), "Tasked"),
    (PlanCell(tasked=True, contributions=1), "Tasked, 1 contribution"),
    (PlanCell(tasked=True, contributions=3), "Tasked, 3 contributions"),
    (PlanCell(contributions=2), "2 contributions"),
])
def test_a_plan_cell_reads_as_words(cell, words):
    assert cell.describe() == words
    assert cell.empty == (words == "")


def test_plan_cells_count_contributions_per_source_from_the_databases_lists():
    cells = plan_cells("3,5", "5,5,7")
    assert cells == {3: PlanCell(True, 0), 5: PlanCell(True, 2), 7: PlanCell(False, 1)}
    assert plan_cells(None, None) == {}
