"""Measuring the gap cues against a labelled corpus: recall and precision, per category."""

import json
import random
import re
import textwrap
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from gaps.importer.cues import find_cue
from gaps.importer.reader import MIN_CONFIDENCE

GAP = "gap"
LABELS = ("gap", "look_alike", "plain")
# Documents whose title hashes to this residue are held out: never looked at while tuning cues.
HELD_OUT_RESIDUE = 0
SPLIT_MODULUS = 3


@dataclass(frozen=True)
class LabelledSentence:
    """One quoted sentence of a published assessment, with its label and where it came from."""

    text: str
    label: str
    category: str | None
    document: str
    issuer: str
    year: int
    address: str

    @property
    def held_out(self) -> bool:
        """Whether the sentence's document belongs to the held-out part of the corpus."""
        return zlib.crc32(self.document.encode("utf-8")) % SPLIT_MODULUS == HELD_OUT_RESIDUE


@dataclass(frozen=True)
class Prediction:
    """What the importer made of a sentence: a category when it proposes it as a gap."""

    category: str | None
    cue: str = ""


@dataclass
class Score:
    """Recall and precision of gap proposals over a set of labelled sentences."""

    gaps: int = 0
    found: int = 0
    proposed: int = 0
    false_look_alikes: int = 0
    false_plain: int = 0
    category_right: int = 0
    by_category: dict[str, list[int]] = field(default_factory=dict)
    missed: list[LabelledSentence] = field(default_factory=list)
    wrongly_proposed: list[tuple[LabelledSentence, Prediction]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """Share of the admitted gaps that are proposed."""
        return self.found / self.gaps if self.gaps else 1.0

    @property
    def precision(self) -> float:
        """Share of the proposals that are admitted gaps."""
        return self.found / self.proposed if self.proposed else 1.0

    def category_recall(self, category: str) -> float:
        """Share of the gaps of one category that are proposed (whatever category is given)."""
        found, total = self.by_category.get(category, [0, 0])
        return found / total if total else 1.0


def importer_prediction(sentence: str) -> Prediction:
    """What the importer proposes for a sentence standing alone, outside any gaps section."""
    cue = find_cue(sentence)
    if cue is None or cue.confidence < MIN_CONFIDENCE:
        return Prediction(None)
    return Prediction(cue.category, cue.cue)


def load_corpus(path: Path) -> list[LabelledSentence]:
    """The labelled sentences of a JSON Lines corpus file."""
    sentences = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                sentences.append(LabelledSentence(**json.loads(line)))
    return sentences


def score(sentences: Iterable[LabelledSentence],
          predict: Callable[[str], Prediction]) -> Score:
    """Propose each sentence or not, and count what was right and what was wrong."""
    result = Score()
    for sentence in sentences:
        prediction = predict(sentence.text)
        is_gap = sentence.label == GAP
        proposed = prediction.category is not None
        if is_gap:
            result.gaps += 1
            tally = result.by_category.setdefault(sentence.category or "", [0, 0])
            tally[1] += 1
            if proposed:
                result.found += 1
                tally[0] += 1
                result.category_right += prediction.category == sentence.category
            else:
                result.missed.append(sentence)
        if proposed:
            result.proposed += 1
            if not is_gap:
                result.wrongly_proposed.append((sentence, prediction))
                if sentence.label == "look_alike":
                    result.false_look_alikes += 1
                else:
                    result.false_plain += 1
    return result


def report(title: str, result: Score, categories: Iterable[str]) -> str:
    """A plain-text table of a score: overall figures, then recall per category."""
    lines = [f"{title}: {result.gaps} gaps, recall {result.recall:.1%}, "
             f"precision {result.precision:.1%} ({result.proposed} proposed, "
             f"{result.false_look_alikes} look-alikes and {result.false_plain} plain wrongly), "
             f"category agreement {result.category_right}/{result.found}"]
    for category in categories:
        found, total = result.by_category.get(category, [0, 0])
        if total:
            lines.append(f"  {category:<16} {found:>3}/{total:<3} {found / total:.0%}")
    return "\n".join(lines)


SECTION_TOPICS = ("Supply", "Distribution", "Offenders", "Victims", "Enablers", "Finance",
                  "Online offending", "Borders", "Outlook", "Reporting", "Intelligence gaps",
                  "Information sources and limitations")
SECTION_SUBJECTS = ("drugs", "firearms", "fraud", "cyber crime", "modern slavery",
                    "child sexual abuse", "money laundering", "organised immigration crime",
                    "bribery and corruption", "environmental crime")


def large_document(size: int, sentences: list[str], *, seed: int = 2016) -> str:
    """A long assessment built from real sentences: paragraphs numbered afresh in each section,
    key judgements, page markers, footnote markers and lines, bullets and hard-wrapped
    paragraphs, varied at random (from a fixed seed) until the text reaches `size` characters."""
    chooser = random.Random(seed)
    lines = ["OFFICIAL", "", "Strategic Assessment of Serious Harms 2026", "",
             "Reference: BENCH-2026", "Version: 1.0", "Date published: 05/01/2026", "",
             "Key Judgements", ""]
    for sentence in chooser.sample(sentences, 5):
        lines.extend([f"- {sentence}", ""])
    length = sum(len(line) + 1 for line in lines)
    footnotes = 0
    page = 1
    while length < size:
        section = [f"{chooser.choice(SECTION_TOPICS)}: {chooser.choice(SECTION_SUBJECTS)}", ""]
        for number in range(1, chooser.randint(4, 12) + 1):
            paragraph = _paragraph(chooser, sentences)
            if chooser.random() < 0.2:
                footnotes += 1
                paragraph += f"[{footnotes}]"
                section.extend([f"{number}. {paragraph}", "",
                                f"[{footnotes}] Source: partner reporting, "
                                f"{chooser.randint(2019, 2025)}.", ""])
            else:
                section.extend([f"{number}. {paragraph}", ""])
            if chooser.random() < 0.12:
                page += 1
                section.extend(["OFFICIAL", "", f"Page {page}", ""])
        lines.extend(section)
        length += sum(len(line) + 1 for line in section)
    return "\n".join(lines)


def _paragraph(chooser: random.Random, sentences: list[str]) -> str:
    """A paragraph of two to five sentences, sometimes with bullets, sometimes hard-wrapped."""
    text = " ".join(_varied(chooser, sentence)
                    for sentence in chooser.sample(sentences, chooser.randint(2, 5)))
    if chooser.random() < 0.15:
        return text + "\n" + "\n".join(f"• {chooser.choice(sentences)}" for _ in range(3))
    if chooser.random() < 0.2:
        return textwrap.fill(text, 90)
    return text


def _varied(chooser: random.Random, sentence: str) -> str:
    """A sentence with its numbers changed (keeping their length, so years stay years), so that
    repeated material does not repeat exactly."""
    return re.sub(r"\d+", lambda match: str(chooser.randint(
        10 ** (len(match.group(0)) - 1), 10 ** len(match.group(0)) - 1)), sentence)
