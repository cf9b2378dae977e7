"""Benchmark: the assessment importer's recall, precision and speed.

Prints recall and precision on the labelled corpus of published sentences (overall and per
category of admission, for the development and held-out parts), the figures on the shipped
example assessment, and the time to read the example and a generated 2 MB assessment.
Fails (exit code 1) when a target is missed: corpus recall 90 %, precision 85 %, every
category's recall 80 %; the example's four key judgements word for word, all 20 core gaps,
precision 90 %; the example read in under 150 ms and 2 MB in under 3 s (medians).

Run: .venv/bin/python bench/importer.py [--repeat 5] [--size 2000000]
"""

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gaps.importer import CATEGORIES, read_assessment  # noqa: E402 - after the path is set
from gaps.importer.measure import (  # noqa: E402
    importer_prediction,
    large_document,
    load_corpus,
    report,
    score,
)
from tests.importer.test_example_document import (  # noqa: E402
    CORE_GAPS,
    EXAMPLE,
    KEY_JUDGEMENTS,
    measure,
)

CORPUS = ROOT / "tests" / "importer" / "corpus" / "sentences.jsonl"
MAX_SEED_MS = 150
MAX_LARGE_SECONDS = 3.0


def _median_seconds(function: Callable[[], object], repeat: int) -> float:
    """The median wall-clock time of a call."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _corpus_figures() -> list[str]:
    """Print the corpus scores; return the targets missed."""
    sentences = load_corpus(CORPUS)
    parts = (("all", sentences), ("development", [s for s in sentences if not s.held_out]),
             ("held out", [s for s in sentences if s.held_out]))
    missed = []
    for name, part in parts:
        result = score(part, importer_prediction)
        print(report(f"Corpus, {name}", result, CATEGORIES))
        if name == "all":
            if result.recall < 0.9 or result.precision < 0.85:
                missed.append("corpus recall 90 % and precision 85 %")
            missed += [f"{category} recall 80 %" for category in CATEGORIES
                       if result.category_recall(category) < 0.8]
    return missed


def _seed_figures(repeat: int) -> list[str]:
    """Print the example assessment's figures and timing; return the targets missed."""
    text = EXAMPLE.read_text(encoding="utf-8")
    assessment = read_assessment(text)
    recall, precision, candidates = measure(assessment)
    word_for_word = [judgement.text for judgement in assessment.key_judgements] == KEY_JUDGEMENTS
    seconds = _median_seconds(lambda: read_assessment(text), repeat)
    print(f"Example: {len(assessment.key_judgements)} key judgements"
          f"{' word for word' if word_for_word else ' NOT word for word'}, "
          f"{round(recall * len(CORE_GAPS))}/{len(CORE_GAPS)} core gaps, {candidates} candidates, "
          f"precision {precision:.0%}, read in {seconds * 1000:.0f} ms (median of {repeat})")
    missed = []
    if not word_for_word:
        missed.append("key judgements word for word")
    if recall < 1.0 or precision < 0.9:
        missed.append("all core gaps at 90 % precision")
    if seconds * 1000 >= MAX_SEED_MS:
        missed.append(f"example under {MAX_SEED_MS} ms")
    return missed


def _large_figures(size: int, repeat: int) -> list[str]:
    """Print the generated document's counts and timing; return the targets missed."""
    text = large_document(size, [sentence.text for sentence in load_corpus(CORPUS)])
    assessment = read_assessment(text)
    seconds = _median_seconds(lambda: read_assessment(text), repeat)
    print(f"Generated: {len(text) / 1e6:.1f} MB, {len(assessment.paragraphs)} paragraphs, "
          f"{len(assessment.candidate_gaps)} candidates, read in {seconds:.2f} s "
          f"(median of {repeat})")
    return [f"2 MB under {MAX_LARGE_SECONDS} s"] if seconds >= MAX_LARGE_SECONDS else []


def main() -> int:
    """Print every figure; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--size", type=int, default=2_000_000)
    arguments = parser.parse_args()
    missed = (_corpus_figures() + _seed_figures(arguments.repeat)
              + _large_figures(arguments.size, max(1, arguments.repeat // 2)))
    print("All targets met." if not missed else "Missed: " + "; ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
