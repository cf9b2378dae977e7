"""The done-when test: the shipped example assessment read against its reference list."""

from pathlib import Path

import pytest

from gaps.importer import CATEGORIES, ImportedAssessment, read_assessment

EXAMPLE = Path(__file__).parents[2] / "seed_data" / "assessments" / "asa-csea-2016" / "text.txt"

# The reference reading (shared/reference/asa-2016-gaps.md): the document's paragraph numbers.
CORE_GAPS: dict[str, set[int]] = {
    "G-006": {6}, "G-024": {24}, "G-032": {32}, "G-034": {34}, "G-036": {36}, "G-038": {38},
    "G-039": {39}, "G-042": {42}, "G-046": {46}, "G-047": {47}, "G-052": {52}, "G-058": {58},
    "G-059": {59}, "G-070": {70}, "G-075": {75}, "G-079": {79}, "G-085": {85, 89},
    "G-095": {95}, "G-096": {96}, "G-099": {99},
}
SECONDARY_PARAGRAPHS = {6, 24, 25, 43, 48, 54, 69, 92}
LISTED_PARAGRAPHS = set().union(*CORE_GAPS.values()) | SECONDARY_PARAGRAPHS

KEY_JUDGEMENTS = [
    "The scale of CSEA will continue to become increasingly visible. This will create greater "
    "demand on law enforcement resources and require a more sophisticated approach to combatting "
    "the threat.",
    "Although the visibility of the CSEA threat is improving, there remain significant "
    "intelligence gaps in relation to the overall scale and prevalence of the threat.",
    "The boundaries between different types of CSEA offending in the physical and online "
    "environments are becoming increasingly blurred with the expansion of information "
    "communications technologies (ICT).",
    "The adoption of ICT tools and services that allow offenders to access and share CSEA "
    "material in volume (whilst hiding their activities, identities, locations) is driving a "
    "requirement for increased technical capabilities in law enforcement.",
]


@pytest.fixture(scope="module")
def example() -> ImportedAssessment:
    """The example assessment, read once for this module."""
    return read_assessment(EXAMPLE.read_text(encoding="utf-8"))


def measure(assessment: ImportedAssessment) -> tuple[float, float, int]:
    """Recall over the core gaps, share of candidates in listed paragraphs, candidate count."""
    numbers = {gap.paragraph_number for gap in assessment.candidate_gaps}
    found = [gap_id for gap_id, paragraphs in CORE_GAPS.items() if paragraphs & numbers]
    listed = [gap for gap in assessment.candidate_gaps
              if gap.paragraph_number in LISTED_PARAGRAPHS]
    total = len(assessment.candidate_gaps)
    return len(found) / len(CORE_GAPS), len(listed) / total if total else 0.0, total


def test_key_judgements_word_for_word(example):
    assert [judgement.text for judgement in example.key_judgements] == KEY_JUDGEMENTS
    assert [judgement.number for judgement in example.key_judgements] == [1, 2, 3, 4]


def test_a_candidate_in_the_paragraph_of_every_core_gap(example):
    numbers = {gap.paragraph_number for gap in example.candidate_gaps}
    missing = [gap_id for gap_id, paragraphs in CORE_GAPS.items() if not paragraphs & numbers]
    assert missing == []


def test_at_least_80_percent_of_candidates_are_listed_gaps(example):
    recall, precision, total = measure(example)
    print(f"\ncandidates={total} core recall={recall:.0%} in listed paragraphs={precision:.0%}")
    assert recall == 1.0
    assert precision >= 0.8
    strays = [(gap.paragraph_number, gap.sentence) for gap in example.candidate_gaps
              if gap.paragraph_number not in LISTED_PARAGRAPHS]
    assert len(strays) <= total * 0.2, strays


def test_finding_look_alikes_are_not_candidates(example):
    sentences = " ".join(gap.sentence for gap in example.candidate_gaps)
    assert "previously unknown offenders" not in sentences
    assert "previously-unknown offenders are identified" not in sentences
    assert not any(gap.paragraph_number == 35 for gap in example.candidate_gaps)


def test_paragraphs_numbered_in_order_with_sections(example):
    numbered = [paragraph.number for paragraph in example.paragraphs
                if paragraph.number is not None]
    assert numbered == list(range(1, 102))
    by_number = {paragraph.number: paragraph for paragraph in example.paragraphs}
    assert by_number[24].section == "Offending levels"
    assert by_number[59].section == "Grooming"
    assert by_number[99].section == "TCSO Profile"
    assert [paragraph.index for paragraph in example.paragraphs] == list(
        range(1, len(example.paragraphs) + 1))


def test_quirks_of_the_example_are_survived(example):
    by_number = {paragraph.number: paragraph for paragraph in example.paragraphs}
    texts = [paragraph.text for paragraph in example.paragraphs]
    # Page breaks inside paragraphs 25, 45 and 90.
    assert "for Northern Ireland 943 - up from 758" in by_number[25].text
    assert by_number[25].text.endswith("It is not possible to easily determine the actual level "
                                       "of offending.")
    assert "Communities may be open" in by_number[45].text
    assert by_number[90].text.endswith("destroys any right she has to refuse sexual activity with "
                                       "any other male.")
    # No running marker, contents entry or footnote survives as text.
    assert not any(text.strip() == "OFFICIAL" or "OFFICIAL\n" in text for text in texts)
    assert not any("....." in text or "See 'The Internet' section" in text for text in texts)
    assert "networks (such as The Onion Router" in by_number[12].text
    assert "¹" not in "".join(texts) and "²" not in "".join(texts)
    # Lettered sub-items and bullets stay inside their paragraph.
    assert "c. individuals (who are generally themselves young males)" in by_number[18].text
    assert by_number[79].text.count("\n") == 11
    # The table is its own unnumbered paragraph, between 88 and 89.
    table = next(paragraph for paragraph in example.paragraphs if "\t" in paragraph.text)
    assert table.number is None
    assert example.paragraphs[table.index - 2].number == 88
    assert example.paragraphs[table.index].number == 89


def test_title_and_metadata(example):
    assert example.title == "Annual Strategic Assessment: Child Sexual Exploitation and Abuse 2016"
    assert example.metadata["reference"] == "0300-CSEA"
    assert example.metadata["version"] == "2.0"
    assert example.metadata["published"] == "2016-08-16"
    assert example.metadata["marking"] == "OFFICIAL"
    assert example.metadata["handling_note"].startswith("There are no special handling")


def test_json_shape(example):
    data = example.to_json_dict()
    assert set(data) == {"title", "paragraphs", "key_judgements", "candidate_gaps", "metadata"}
    assert set(data["paragraphs"][0]) == {"index", "number", "section", "text"}
    assert set(data["key_judgements"][0]) == {"number", "text"}
    assert set(data["candidate_gaps"][0]) == {"paragraph_index", "paragraph_number", "section",
                                              "sentence", "cue", "category", "confidence"}
    for gap in data["candidate_gaps"]:
        assert 0 <= gap["confidence"] <= 1 and round(gap["confidence"], 2) == gap["confidence"]
        assert gap["category"] in CATEGORIES
        paragraph = data["paragraphs"][gap["paragraph_index"] - 1]
        assert paragraph["number"] == gap["paragraph_number"]
        assert gap["sentence"] in paragraph["text"]
