"""Carrying gaps forward: where a gap's quoted statement appears in a later version's text."""

import re
from difflib import SequenceMatcher

from gaps.importer.results import Paragraph
from gaps.importer.sentences import split_sentences

QUOTE_JOINER = " … "
SIMILAR_ENOUGH = 0.85


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[‘’]", "'", re.sub(r"[“”]", '"', text))).strip().lower()


def locate_statement(statement: str, paragraphs: list[Paragraph],
                     threshold: float = SIMILAR_ENOUGH) -> list[Paragraph]:
    """The paragraphs in which a statement's parts still appear, word for word or nearly.

    A part matches a paragraph that contains it, or else the paragraph holding the most similar
    sentence when that sentence is at least `threshold` alike (small edits between versions).
    """
    found: list[Paragraph] = []
    for part in (piece for piece in statement.split(QUOTE_JOINER) if piece.strip()):
        wanted = _normalise(part)
        match = next((paragraph for paragraph in paragraphs
                      if wanted in _normalise(paragraph.text)), None)
        if match is None:
            best_ratio, best = 0.0, None
            for paragraph in paragraphs:
                for sentence in split_sentences(paragraph.text):
                    ratio = SequenceMatcher(None, wanted, _normalise(sentence)).ratio()
                    if ratio > best_ratio:
                        best_ratio, best = ratio, paragraph
            match = best if best_ratio >= threshold else None
        if match is not None and match not in found:
            found.append(match)
    return sorted(found, key=lambda paragraph: paragraph.index)
