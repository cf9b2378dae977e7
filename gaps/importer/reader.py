"""Reading an assessment: text to paragraphs, key judgements and candidate gaps."""

from collections.abc import Callable
from pathlib import PurePath

from gaps.importer.cues import find_cue
from gaps.importer.results import CandidateGap, ImportedAssessment, Paragraph
from gaps.importer.sentences import split_sentences
from gaps.importer.sources import DEFAULT_MAX_BYTES, read_document
from gaps.importer.structure import read_structure
from gaps.importer.text import prepare_lines

Progress = Callable[[int, int], None]

# Below this a cue is too weak or too likely a look-alike to propose as a gap.
MIN_CONFIDENCE = 0.5
UNTITLED = "Untitled assessment"


def read_assessment(text: str, *, title: str | None = None, progress: Progress | None = None,
                    min_confidence: float = MIN_CONFIDENCE) -> ImportedAssessment:
    """Read an assessment's text into paragraphs, key judgements and candidate gaps."""
    structure = read_structure(prepare_lines(text))
    candidates = find_candidate_gaps(structure.paragraphs, progress=progress,
                                     min_confidence=min_confidence)
    return ImportedAssessment(
        title=(title or "").strip() or structure.title or UNTITLED,
        paragraphs=structure.paragraphs,
        key_judgements=structure.key_judgements,
        candidate_gaps=candidates,
        metadata=structure.metadata,
    )


def find_candidate_gaps(paragraphs: list[Paragraph], *, progress: Progress | None = None,
                        min_confidence: float = MIN_CONFIDENCE) -> list[CandidateGap]:
    """The sentences of the paragraphs that admit a gap, strongest cue per sentence."""
    candidates: list[CandidateGap] = []
    total = len(paragraphs)
    if progress and not total:
        progress(0, 0)
    for done, paragraph in enumerate(paragraphs, start=1):
        for sentence in split_sentences(paragraph.text):
            cue = find_cue(sentence, section=paragraph.section)
            if cue is None or cue.confidence < min_confidence:
                continue
            candidates.append(CandidateGap(
                paragraph_index=paragraph.index, paragraph_number=paragraph.number,
                section=paragraph.section, sentence=sentence, cue=cue.cue,
                confidence=cue.confidence, category=cue.category))
        if progress:
            progress(done, total)
    return candidates


def import_bytes(data: bytes, filename: str = "", *, title: str | None = None,
                 progress: Progress | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> ImportedAssessment:
    """Read an uploaded file (plain text or PDF) as an assessment; refuses what it cannot read."""
    assessment = read_assessment(read_document(data, filename, max_bytes=max_bytes),
                                 title=title, progress=progress)
    if assessment.title == UNTITLED and filename and not title:
        stem = PurePath(filename).stem.replace("_", " ").replace("-", " ").strip()
        if stem:
            return ImportedAssessment(title=stem, paragraphs=assessment.paragraphs,
                                      key_judgements=assessment.key_judgements,
                                      candidate_gaps=assessment.candidate_gaps,
                                      metadata=assessment.metadata)
    return assessment
