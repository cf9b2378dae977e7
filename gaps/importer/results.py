"""What reading an assessment gives: paragraphs, key judgements and candidate gaps."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Paragraph:
    """One paragraph in document order, with the document's own number when it has one."""

    index: int
    number: int | None
    section: str
    text: str


@dataclass(frozen=True)
class KeyJudgement:
    """One key judgement, verbatim, numbered in document order from 1."""

    number: int
    text: str


@dataclass(frozen=True)
class CandidateGap:
    """A sentence that admits a gap in knowledge, with the cue that flagged it and its category."""

    paragraph_index: int
    paragraph_number: int | None
    section: str
    sentence: str
    cue: str
    confidence: float
    category: str = "explicit"


@dataclass(frozen=True)
class ImportedAssessment:
    """Everything read from one assessment document."""

    title: str
    paragraphs: list[Paragraph]
    key_judgements: list[KeyJudgement]
    candidate_gaps: list[CandidateGap]
    metadata: dict[str, str] = field(default_factory=dict)

    def to_json_dict(self) -> dict[str, Any]:
        """The result in the import command's JSON shape (metadata included)."""
        return {
            "title": self.title,
            "paragraphs": [
                {"index": paragraph.index, "number": paragraph.number,
                 "section": paragraph.section, "text": paragraph.text}
                for paragraph in self.paragraphs
            ],
            "key_judgements": [
                {"number": judgement.number, "text": judgement.text}
                for judgement in self.key_judgements
            ],
            "candidate_gaps": [
                {"paragraph_index": gap.paragraph_index, "paragraph_number": gap.paragraph_number,
                 "section": gap.section, "sentence": gap.sentence, "cue": gap.cue,
                 "category": gap.category, "confidence": gap.confidence}
                for gap in self.candidate_gaps
            ],
            "metadata": dict(self.metadata),
        }
