"""Splitting paragraph text into sentences without breaking at abbreviations or numbers."""

import re

from gaps.importer.structure import strip_list_marker

# Words that end in a full stop without ending the sentence.
ABBREVIATIONS = frozenset({
    "e.g", "i.e", "eg", "ie", "c", "ca", "cf", "vs", "v", "approx", "no", "nos", "fig", "figs",
    "para", "paras", "p", "pp", "mr", "mrs", "ms", "dr", "prof", "st", "ltd", "co", "inc",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "vol",
    "ed", "eds", "al", "op", "cit", "ibid", "ref", "sec", "ch", "art", "reg", "est", "govt",
    "dept", "u.k", "u.s", "a.m", "p.m", "n.b", "nb", "viz", "incl", "excl", "gen", "sgt",
    "supt", "insp", "det", "cllr", "rt", "hon", "jr", "sr",
})
_BOUNDARY = re.compile(r"[.!?…]+[\"'’”)\]]*\s+(?=[\"'‘“(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


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
        if boundary.group(0)[0] == "." and _is_abbreviation(line[start:boundary.start()]):
            continue
        sentence = line[start:boundary.end()].strip()
        if sentence:
            sentences.append(sentence)
        start = boundary.end()
    rest = line[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def _is_abbreviation(before: str) -> bool:
    """Whether the text before a full stop ends with an abbreviation or an initial."""
    match = _WORD_BEFORE.search(before)
    if not match:
        return False
    word = match.group(1)
    if len(word) == 1 and word.isupper():
        return True  # an initial, as in "J. Smith"
    return word.lower().rstrip(".") in ABBREVIATIONS
