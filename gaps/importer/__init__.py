"""Assessment importer (pure Python): a document's text to paragraphs, key judgements and gaps."""

from gaps.importer.carry import locate_statement
from gaps.importer.cues import CATEGORIES, CATEGORY_NAMES, CueMatch, find_cue
from gaps.importer.reader import (
    MIN_CONFIDENCE,
    find_candidate_gaps,
    import_bytes,
    read_assessment,
)
from gaps.importer.results import CandidateGap, ImportedAssessment, KeyJudgement, Paragraph
from gaps.importer.sentences import split_sentences
from gaps.importer.sources import (
    DEFAULT_MAX_BYTES,
    ImportRefused,
    read_document,
    refuse_if_too_large,
)

__all__ = [
    "CATEGORIES",
    "CATEGORY_NAMES",
    "DEFAULT_MAX_BYTES",
    "MIN_CONFIDENCE",
    "CandidateGap",
    "CueMatch",
    "ImportRefused",
    "ImportedAssessment",
    "KeyJudgement",
    "Paragraph",
    "find_candidate_gaps",
    "find_cue",
    "import_bytes",
    "locate_statement",
    "read_assessment",
    "read_document",
    "refuse_if_too_large",
    "split_sentences",
]
