"""Splitting paragraph text into sentences without breaking at abbreviations or numbers."""

import re

from gaps.importer.structure import strip_list_marker
from gaps.importer.text import ends_with_abbreviation

# A sentence ends at its punctuation, after any closing quote or bracket and any footnote marker
# ("…offending.[86] We", "…offending.86 We"), before the capital that opens the next one.
_BOUNDARY = re.compile(
    r"(?P<end>[.!?…]+)(?P<marker>(?:\[\d{1,3}\])+|\d{1,3}(?=[\"'’”)\]]*\s))?[\"'’”)\]]*\s+"
    r"(?=[\"'‘“(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    """The sentences of a paragraph; each line (list item, table row) splits on its own."""
    sentences: list[str] = []
    for line in text.split("\n"):
        line = strip_list_marker(line.strip())
        if line:
            sentences.extend(_split_line(line))
    return sentences


def _split_line(line: str) -> list[str]:
    """Sentences of one line of prose."""
    sentences = []
    start = 0
    for boundary in _BOUNDARY.finditer(line):
        if boundary.group(0)[0] == "." and ends_with_abbreviation(line[start:boundary.start()]):
            continue
        marker = boundary.group("marker")
        if marker and marker[0].isdigit() and not re.search(
                r"[A-Za-z)\]’”'\"%]$", line[start:boundary.start()]):
            continue  # "2.5 Million" is a number, not a footnote marker after a full stop
        sentence = line[start:boundary.end()].strip()
        if sentence:
            sentences.append(sentence)
        start = boundary.end()
    rest = line[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences

