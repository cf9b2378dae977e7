"""Measuring the gap cues against a labelled corpus: recall and precision, per category."""

import json
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

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
