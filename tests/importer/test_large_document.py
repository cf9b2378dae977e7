"""A generated 2 MB assessment is read whole with sane counts (timed in bench/importer.py)."""

import re
from pathlib import Path

import pytest

from gaps.importer import ImportedAssessment, read_assessment
from gaps.importer.cues import CATEGORIES
from gaps.importer.measure import LabelledSentence, large_document, load_corpus

CORPUS = load_corpus(Path(__file__).parent / "corpus" / "sentences.jsonl")
SIZE = 2_000_000


def _shape(sentence: str) -> str:
    """A sentence without its footnote marker and with its numbers blanked, as varied text has."""
    return re.sub(r"\d+", "#", re.sub(r"(?:\[\d+\])+$", "", sentence.strip()))


LABEL_BY_SHAPE: dict[str, LabelledSentence] = {_shape(item.text): item for item in CORPUS}


@pytest.fixture(scope="module")
def text() -> str:
    """The generated document."""
    return large_document(SIZE, [item.text for item in CORPUS])


@pytest.fixture(scope="module")
def large(text: str) -> ImportedAssessment:
    """The generated document, read."""
    return read_assessment(text)


def test_the_generated_document_is_two_megabytes(text: str) -> None:
    assert SIZE <= len(text) < SIZE + 10_000


def test_title_front_matter_and_key_judgements_are_read(large: ImportedAssessment,
                                                       text: str) -> None:
    assert large.title == "Strategic Assessment of Serious Harms 2026"
    assert large.metadata["reference"] == "BENCH-2026"
    assert large.metadata["published"] == "2026-01-05"
    judgements = [line[2:] for line in text.splitlines() if line.startswith("- ")]
    assert len(judgements) == 5
    assert [judgement.text for judgement in large.key_judgements] == judgements


def test_every_numbered_paragraph_is_one_paragraph(large: ImportedAssessment, text: str) -> None:
    numbered = re.findall(r"\n\n(\d+)\. ", text)  # a paragraph number follows a blank line
    body = [paragraph for paragraph in large.paragraphs if paragraph.section != "Key Judgements"]
    assert [paragraph.number for paragraph in body] == [int(number) for number in numbered]


def test_page_markers_and_footnote_lines_stay_out_of_the_paragraphs(
        large: ImportedAssessment) -> None:
    for paragraph in large.paragraphs:
        assert "Source: partner reporting" not in paragraph.text
        assert not re.search(r"\bOFFICIAL\b|\bPage \d+\b", paragraph.text)


def test_candidates_are_whole_corpus_sentences_and_mostly_gaps(large: ImportedAssessment) -> None:
    text_by_index = {paragraph.index: paragraph.text for paragraph in large.paragraphs}
    labels = []
    for candidate in large.candidate_gaps:
        assert candidate.sentence in text_by_index[candidate.paragraph_index]
        assert candidate.category in CATEGORIES
        labelled = LABEL_BY_SHAPE.get(_shape(candidate.sentence))
        assert labelled is not None, f"not a whole sentence of the corpus: {candidate.sentence!r}"
        if candidate.cue != "listed gap":
            labels.append(labelled.label)
    assert len(labels) > 1000
    assert labels.count("gap") / len(labels) >= 0.85


def test_every_sentence_of_an_intelligence_gaps_section_is_proposed(
        large: ImportedAssessment) -> None:
    listed = [candidate for candidate in large.candidate_gaps if candidate.cue == "listed gap"]
    assert listed
    assert all(candidate.section.startswith("Intelligence gaps") for candidate in listed)
