"""Recall and precision of the gap cues on sentences quoted from published assessments."""

import re
from pathlib import Path

import pytest

from gaps.importer.cues import CATEGORIES
from gaps.importer.measure import (
    GAP,
    LABELS,
    LabelledSentence,
    Prediction,
    Score,
    importer_prediction,
    load_corpus,
    report,
    score,
)

CORPUS = load_corpus(Path(__file__).parent / "corpus" / "sentences.jsonl")
DEVELOPMENT = [sentence for sentence in CORPUS if not sentence.held_out]
HELD_OUT = [sentence for sentence in CORPUS if sentence.held_out]

MIN_RECALL = 0.90
MIN_PRECISION = 0.85
MIN_CATEGORY_RECALL = 0.80
# Fewer examples than this and one sentence moves a category's recall by a fifth or more.
MIN_GAPS_PER_CATEGORY = 6


def labelled(text: str, label: str, category: str | None = None) -> LabelledSentence:
    """A sentence for the tests of the scoring itself."""
    return LabelledSentence(text=text, label=label, category=category, document="Test",
                            issuer="Test", year=2026, address="https://example.org")


def test_every_sentence_is_labelled_quoted_whole_and_sourced():
    for sentence in CORPUS:
        assert sentence.label in LABELS, sentence.text
        assert (sentence.category in CATEGORIES) == (sentence.label == GAP), sentence.text
        assert sentence.document and sentence.issuer, sentence.text
        assert 1990 <= sentence.year <= 2026, sentence.text
        assert re.match(r"https?://\S+$", sentence.address), sentence.text
        assert sentence.text == sentence.text.strip() and "  " not in sentence.text
        assert re.search(r"[.)]$", sentence.text), sentence.text


def test_no_sentence_is_listed_twice():
    texts = [sentence.text for sentence in CORPUS]
    assert len(texts) == len(set(texts))


def test_the_corpus_is_broad_enough_to_measure():
    labels = [sentence.label for sentence in CORPUS]
    assert len({sentence.document for sentence in CORPUS}) >= 20
    assert len({sentence.issuer for sentence in CORPUS}) >= 6
    assert labels.count("look_alike") >= 120
    assert labels.count("plain") >= 60
    assert labels.count(GAP) >= 120
    for category in CATEGORIES:
        examples = [sentence for sentence in CORPUS if sentence.category == category]
        assert len(examples) >= MIN_GAPS_PER_CATEGORY, category


def test_the_held_out_part_is_a_real_share_of_each_label():
    for label in LABELS:
        everything = [sentence for sentence in CORPUS if sentence.label == label]
        held_out = [sentence for sentence in HELD_OUT if sentence.label == label]
        assert 0.2 <= len(held_out) / len(everything) <= 0.5, label
    documents_held_out = {sentence.document for sentence in HELD_OUT}
    assert not documents_held_out & {sentence.document for sentence in DEVELOPMENT}


@pytest.mark.parametrize(("predictions", "recall", "precision"), [
    ({"A": "scale", "B": None, "C": "explicit", "D": None}, 0.5, 0.5),
    ({"A": "scale", "B": "hedged", "C": None, "D": None}, 1.0, 1.0),
    ({"A": None, "B": None, "C": None, "D": None}, 0.0, 1.0),
])
def test_recall_counts_gaps_found_and_precision_counts_proposals_right(predictions, recall,
                                                                      precision):
    sentences = [labelled("A", "gap", "scale"), labelled("B", "gap", "hedged"),
                 labelled("C", "look_alike"), labelled("D", "plain")]
    result = score(sentences, lambda text: Prediction(predictions[text]))
    assert (result.recall, result.precision) == (recall, precision)


def test_a_gap_found_under_another_category_counts_for_recall_not_agreement():
    result = score([labelled("A", "gap", "scale")], lambda text: Prediction("explicit"))
    assert result.category_recall("scale") == 1.0
    assert result.category_right == 0


def test_recall_and_precision_on_the_corpus(capsys):
    scores: dict[str, Score] = {}
    for name, part in (("all", CORPUS), ("development", DEVELOPMENT), ("held out", HELD_OUT)):
        scores[name] = score(part, importer_prediction)
        with capsys.disabled():
            print("\n" + report(f"Corpus, {name}", scores[name], CATEGORIES))
    overall = scores["all"]
    assert overall.recall >= MIN_RECALL, [sentence.text for sentence in overall.missed]
    assert overall.precision >= MIN_PRECISION, [
        sentence.text for sentence, _ in overall.wrongly_proposed]
    for category in CATEGORIES:
        assert overall.category_recall(category) >= MIN_CATEGORY_RECALL, category
