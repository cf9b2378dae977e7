"""Cleaning an assessment's raw text into content lines: markers, contents, footnotes removed."""

import re
from dataclasses import dataclass, field

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# Glyphs that can only be bullets (so may touch their text), including the private-use ones PDF
# extraction gives for Symbol and Wingdings bullets; then dashes and asterisks.
ROUND_BULLETS = "•●▪◦○■□·‣⁃➢►\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf0a8\uf06e"
BULLETS = ROUND_BULLETS + "\\-–—*"
HYPHENS = "-‐‑‒–—"

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SPACES = {ord(character): " " for character in "\u00a0\u2007\u202f\u2009\u200a\u3000"}
_PRIVATE_USE_BULLETS = {ord(character): "•" for character in ROUND_BULLETS if
                        "\ue000" <= character <= "\uf8ff"}

_MARKING_WORDS = (
    r"(?:UK\s+)?(?:OFFICIAL(?:[\s\-–—]+SENSITIVE)?|TOP[\s\-–—]+SECRET|SECRET|RESTRICTED"
    r"|CONFIDENTIAL|UNCLASSIFIED|NOT\s+PROTECTIVELY\s+MARKED|PROTECT)"
)
MARKING_LINE = re.compile(
    rf"^[\[(]?(?P<marking>{_MARKING_WORDS})(?:\s*(?:[\-–—:]|//)\s*[A-Z][A-Z \-/]*)?[\])]?$"
)
_TITLE_CASE_MARKING_LINE = re.compile(r"^Official(?:[\s\-–—]+Sensitive)?$", re.IGNORECASE)

PAGE_NUMBER_LINE = re.compile(
    r"^(?:page\s+\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
    r"|\d{1,3}(?:\s*(?:of|/)\s*\d{1,4})?"
    r"|page\s+[ivxlc]{1,6}|x{0,3}(?:ix|iv|v?i{1,3}|v)"
    r"|[\-–—]\s*\d{1,4}\s*[\-–—]"
    r"|\d{1,4}\s*\|\s*p\s*a\s*g\s*e)$",
    re.IGNORECASE,
)
# A footer that gives the marking and the page together: "OFFICIAL | Page 3 of 20".
_MARKING_AND_PAGE_LINE = re.compile(
    rf"^(?:{_MARKING_WORDS}\s*[|\-–—:]?\s*page\s+\d{{1,4}}(?:\s*(?:of|/)\s*\d{{1,4}})?"
    rf"|page\s+\d{{1,4}}(?:\s*(?:of|/)\s*\d{{1,4}})?\s*[|\-–—:]?\s*{_MARKING_WORDS})$",
    re.IGNORECASE,
)
_ROMAN_PAGE_LINE = re.compile(r"^x{0,3}(?:ix|iv|v?i{1,3}|v)$")

CONTENTS_HEADING = re.compile(
    r"^(?:#{1,6}\s*)?(?:table\s+of\s+)?contents(?:\s+page)?:?$", re.IGNORECASE
)
_LEADER = r"(?:\s*(?:\.{2,}|…+|(?:\.\s){2,}\.?|_{2,}|·{2,})\s*|\s*\t+\s*|\s{3,})"
_PAGE = r"(?:\d{1,4}|[ivxlc]{1,6})"
CONTENTS_ENTRY = re.compile(rf"^(?P<title>\S.*?){_LEADER}(?P<page>{_PAGE})$")
_CONTENTS_ENTRY_WITH_LEADER = re.compile(
    rf"^(?P<title>\S.*?)\s*(?:\.{{2,}}|…+|(?:\.\s){{2,}}\.?|_{{2,}}|·{{2,}})\s*(?P<page>{_PAGE})$"
)
_LOOSE_CONTENTS_ENTRY = re.compile(r"^(?P<title>\S.{0,100}?[^\d\s.,;:])\s+(?P<page>\d{1,3})$")

FOOTNOTE_SUPERSCRIPT_LINE = re.compile(rf"^[{SUPERSCRIPT_DIGITS}]+\s*\S")
FOOTNOTE_BRACKET_LINE = re.compile(r"^\[(?P<number>\d{1,3})\]\s+\S")
FOOTNOTE_DIGIT_LINE = re.compile(
    r"^(?P<number>\d{1,3})\s+(?:see\b|source[s]?\b|ibid\b|op\.?\s*cit\b|https?://|www\.|available\b"
    r"|accessed\b|cf\.?\s|based on\b)",
    re.IGNORECASE,
)
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)
_DIGIT_LED_LINE = re.compile(r"^(?P<number>\d{1,3})\s+\S")

_BULLET_ONLY_LINE = re.compile(rf"^[{BULLETS}]$")
_NUMBER_ONLY_LINE = re.compile(r"^\d{1,3}(?:\.\d{1,3}){0,3}[.)]?$")
_RULE_LINE = re.compile(r"^[=\-_*~]{3,}$")

# US-style portion markings at the start of a paragraph or bullet: "(U)", "(S//NF)", "(U//FOUO)".
_PORTION_MARK = re.compile(
    rf"^(?P<bullet>[{ROUND_BULLETS}\-–*]\s*)?\((?:U|C|S|TS|R)(?://[A-Z0-9][A-Z0-9 /,\-]*)?\)\s+")
_SUPERSCRIPT_RUN = re.compile(rf"(?<!\bkm)(?<!\bcm)(?<!\bm)[{SUPERSCRIPT_DIGITS}]+")
_ANY_SUPERSCRIPT = re.compile(rf"[{SUPERSCRIPT_DIGITS}]")
_SPACE_RUN = re.compile(r"[ ]{2,}")
_DIGITS = re.compile(r"\d+")
_GLUED_FOOTNOTE_REFERENCE = re.compile(
    r"(?<=[A-Za-z)%\]’”'\"])(?P<punctuation>[.,;:]?)(?P<number>\d{1,3})(?=\s+[A-Z‘“'\"(]|$)")
_LAST_WORD = re.compile(r"([A-Za-z]+)[^A-Za-z]*$")
# Abbreviations after which a number is a count or a reference, not a footnote marker.
# Words that end in a full stop without ending the sentence.
ABBREVIATIONS = frozenset({
    "e.g", "i.e", "eg", "ie", "c", "ca", "cf", "vs", "v", "approx", "no", "nos", "fig", "figs",
    "para", "paras", "p", "pp", "mr", "mrs", "ms", "dr", "prof", "st", "ltd", "co", "inc",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "vol",
    "ed", "eds", "al", "op", "cit", "ibid", "ref", "sec", "ch", "art", "reg", "est", "govt",
    "dept", "u.k", "u.s", "a.m", "p.m", "n.b", "nb", "viz", "incl", "excl", "gen", "sgt",
    "supt", "insp", "det", "cllr", "rt", "hon", "jr", "sr",
})
_WORD_BEFORE_FULL_STOP = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_DOTTED_ABBREVIATION_END = re.compile(r"\b(?:[A-Za-z]\.){2,}$")
_NUMBERED_ABBREVIATIONS = {"no", "nos", "p", "pp", "para", "paras", "vol", "fig", "c", "ch",
                           "art", "s", "reg", "sec", "op", "v", "ver", "version", "tel"}


@dataclass(frozen=True)
class Line:
    """One line of content, with what separates it from the previous content line."""

    text: str
    source_line: int
    indent: int = 0
    blank_before: bool = False
    page_break_before: bool = False


@dataclass
class PreparedText:
    """The content lines of a document and what was taken out of it on the way."""

    lines: list[Line]
    markings: list[str] = field(default_factory=list)
    contents_titles: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    running_headers: list[str] = field(default_factory=list)


def normalise(text: str) -> str:
    """Unify line endings, spaces and invisible characters; keep everything else verbatim."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\f\n")
    # str.replace per character is many times faster than str.translate on megabytes of text.
    for table in (_INVISIBLE, _SPACES, _PRIVATE_USE_BULLETS):
        for code, replacement in table.items():
            character = chr(code)
            if character in text:
                text = text.replace(character, replacement or "")
    return text


def is_page_marker(line: str) -> bool:
    """Whether a stripped line is a running protective marking or a page number."""
    return bool(
        MARKING_LINE.match(line)
        or _TITLE_CASE_MARKING_LINE.match(line)
        or PAGE_NUMBER_LINE.match(line)
        or _MARKING_AND_PAGE_LINE.match(line)
    )


def marking_of(line: str) -> str | None:
    """The protective marking a running marker line states, in its usual spelling."""
    match = MARKING_LINE.match(line)
    if not match and _MARKING_AND_PAGE_LINE.match(line):
        match = re.search(rf"(?P<marking>{_MARKING_WORDS})", line, re.IGNORECASE)
    if match:
        return re.sub(r"[\s\-–—]+", " ", match.group("marking").upper()).replace(
            "OFFICIAL SENSITIVE", "OFFICIAL-SENSITIVE")
    if _TITLE_CASE_MARKING_LINE.match(line):
        return "OFFICIAL-SENSITIVE" if "sensitive" in line.lower() else "OFFICIAL"
    return None


def strip_superscripts(text: str) -> str:
    """Remove superscript footnote markers (keeping units such as km²)."""
    if not _ANY_SUPERSCRIPT.search(text):
        return text  # the common case, without the costly look-behinds
    return _SUPERSCRIPT_RUN.sub("", text)


def prepare_lines(raw_text: str) -> PreparedText:
    """Turn raw text into content lines with page markers, contents and footnotes removed."""
    raw_lines = [line if line == "\f" else line.rstrip()
                 for line in normalise(raw_text).split("\n")]
    kinds = _classify_markers(raw_lines)
    running_headers = _mark_running_headers(raw_lines, kinds)
    contents_titles = _mark_contents(raw_lines, kinds)
    footnotes, footnote_numbers = _mark_footnotes(raw_lines, kinds)
    _merge_orphan_markers(raw_lines, kinds)
    strip_portions = _has_portion_markings(raw_lines)

    markings = [marking for line, kind in zip(raw_lines, kinds, strict=True)
                if kind == "marker" and (marking := marking_of(line.strip()))]
    lines: list[Line] = []
    blank_before = page_break_before = False
    for index, (raw, kind) in enumerate(zip(raw_lines, kinds, strict=True)):
        if kind in ("blank", "rule"):
            blank_before = True
            continue
        if kind in ("marker", "header"):
            page_break_before = blank_before = True
            continue
        if kind != "content":
            blank_before = True
            continue
        text = _clean_content(raw, footnote_numbers, strip_portions=strip_portions)
        if not text:
            blank_before = True
            continue
        lines.append(Line(text=text, source_line=index + 1,
                          indent=len(raw) - len(raw.lstrip()),
                          blank_before=blank_before or not lines,
                          page_break_before=page_break_before))
        blank_before = page_break_before = False
    return PreparedText(lines=lines, markings=markings, contents_titles=contents_titles,
                        footnotes=footnotes, running_headers=running_headers)


def _has_portion_markings(raw_lines: list[str]) -> bool:
    """Whether paragraphs carry US-style portion markings: several lines open with "(U)"."""
    marked = 0
    for raw in raw_lines:
        match = _PORTION_MARK.match(raw.strip())
        if match and ("(U" in match.group(0) or "//" in match.group(0)):
            marked += 1
            if marked >= 2:
                return True
    return False


def _clean_content(raw: str, footnote_numbers: set[str], *, strip_portions: bool = False) -> str:
    """Strip one content line of superscripts, footnote references, portion markings and
    repeated spaces."""
    text = strip_superscripts(raw.strip())
    if strip_portions:
        text = _PORTION_MARK.sub(lambda match: match.group("bullet") or "", text)
    if footnote_numbers:
        text = _strip_footnote_references(text, footnote_numbers)
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    return text.strip()


def _strip_footnote_references(text: str, footnote_numbers: set[str]) -> str:
    """Remove plain-digit footnote references glued to punctuation ("images.2 The")."""
    def replace(match: re.Match[str]) -> str:
        word = _LAST_WORD.search(text, max(0, match.start() - 40), match.start())
        if word and word.group(1).lower() in _NUMBERED_ABBREVIATIONS:
            return match.group(0)
        return match.group("punctuation") if match.group("number") in footnote_numbers else (
            match.group(0))

    return _GLUED_FOOTNOTE_REFERENCE.sub(replace, text)


def _classify_markers(raw_lines: list[str]) -> list[str]:
    """Label each raw line blank, page break, page marker, horizontal rule or content."""
    kinds = []
    for raw in raw_lines:
        line = raw.strip()
        if raw == "\f":
            kinds.append("marker")
        elif not line:
            kinds.append("blank")
        elif _RULE_LINE.match(line):
            kinds.append("rule")
        elif is_page_marker(line):
            kinds.append("marker")
        else:
            kinds.append("content")
    # A lone roman numeral is only a page number where the document has other page markers.
    if not any(kind == "marker" for kind, raw in zip(kinds, raw_lines, strict=True)
               if not _ROMAN_PAGE_LINE.match(raw.strip())):
        for index, raw in enumerate(raw_lines):
            if kinds[index] == "marker" and _ROMAN_PAGE_LINE.match(raw.strip()):
                kinds[index] = "content"
    return kinds


def _mark_running_headers(raw_lines: list[str], kinds: list[str]) -> list[str]:
    """Mark short lines repeated on many pages (running headers and footers); return them."""
    headers: list[str] = []
    if "marker" not in kinds:
        return headers
    # A running header comes back on most pages; a section heading that recurs a few times in a
    # long document (each chapter's "Outlook") does not, even when one starts a page.
    least = max(4, kinds.count("marker") // 6)
    positions_of: dict[str, list[int]] = {}
    for index, (line, kind) in enumerate(zip(raw_lines, kinds, strict=True)):
        if kind == "content" and len(line) <= 120:
            positions_of.setdefault(_DIGITS.sub("#", line.strip()), []).append(index)
    for shape, positions in positions_of.items():
        if len(positions) < least or len(shape) > 80 or "\t" in shape or shape[-1:] in ".;:,":
            continue
        beside_marker = sum(1 for index in positions if _near_marker(kinds, index))
        if beside_marker * 2 >= len(positions):
            headers.append(raw_lines[positions[0]].strip())
            for index in positions:
                kinds[index] = "header"
    return headers


def _near_marker(kinds: list[str], index: int) -> bool:
    """Whether a marker sits within two non-blank lines of this position."""
    for step in (-1, 1):
        seen = 0
        position = index + step
        while 0 <= position < len(kinds) and seen < 2:
            if kinds[position] == "marker":
                return True
            if kinds[position] == "content":
                seen += 1
            position += step
    return False


def _may_be_contents_entry(raw: str) -> bool:
    """A cheap test before the contents pattern: an entry ends with a page number."""
    last = raw.rstrip()[-1:]
    return last.isdigit() or last in "ivxlcIVXLC"


def _mark_contents(raw_lines: list[str], kinds: list[str]) -> list[str]:
    """Mark a contents list (after a Contents heading, or a run of dotted entries) as removed."""
    titles: list[str] = []
    index = 0
    while index < len(raw_lines):
        line = raw_lines[index].strip()
        if kinds[index] == "content" and CONTENTS_HEADING.match(line):
            end, block_titles = _contents_block(raw_lines, kinds, index + 1, loose=True)
            if block_titles:
                kinds[index] = "contents"
                titles.extend(block_titles)
                index = end
                continue
        index += 1

    index = 0
    while index < len(raw_lines):
        if kinds[index] == "content" and _may_be_contents_entry(raw_lines[index]) and (
                CONTENTS_ENTRY.match(raw_lines[index].strip())):
            end, block_titles = _contents_block(raw_lines, kinds, index, loose=False)
            if len(block_titles) >= 3 and _looks_like_contents(raw_lines, kinds, index, end):
                titles.extend(block_titles)
                index = end
                continue
            for position in range(index, end):
                if kinds[position] == "contents":
                    kinds[position] = "content"
            index = max(end, index + 1)
            continue
        index += 1
    return titles


def _contents_block(raw_lines: list[str], kinds: list[str], start: int,
                    *, loose: bool) -> tuple[int, list[str]]:
    """Mark the contents entries from start on; return where they end and their titles."""
    titles: list[str] = []
    index = start
    pending: list[int] = []
    while index < len(raw_lines):
        kind = kinds[index]
        line = raw_lines[index].strip()
        if kind in ("blank", "marker", "rule", "header"):
            if pending:
                break
            index += 1
            continue
        match = CONTENTS_ENTRY.match(line) or (loose and _LOOSE_CONTENTS_ENTRY.match(line))
        if match and re.search(r"[A-Za-z]", match.group("title")):
            for position in pending:
                kinds[position] = "contents"
            pending = []
            kinds[index] = "contents"
            titles.append(match.group("title").strip(" .\t"))
            index += 1
            continue
        # A long title wraps: its first line has no page number but the next line does.
        following = index + 1
        if (not pending and following < len(raw_lines) and kinds[following] == "content"
                and len(line) <= 80 and CONTENTS_ENTRY.match(raw_lines[following].strip())
                and titles):
            pending.append(index)
            index += 1
            continue
        break
    if pending:
        index = pending[0]
    return index, titles


def _looks_like_contents(raw_lines: list[str], kinds: list[str], start: int, end: int) -> bool:
    """Whether a run of entries without a Contents heading is a contents list, not a table."""
    entries = [CONTENTS_ENTRY.match(raw_lines[index].strip()) for index in range(start, end)
               if kinds[index] == "contents"]
    entries = [entry for entry in entries if entry]
    with_leaders = sum(1 for index in range(start, end)
                       if _CONTENTS_ENTRY_WITH_LEADER.match(raw_lines[index].strip()))
    if with_leaders * 2 >= len(entries):
        return True
    pages = [int(entry.group("page")) for entry in entries if entry.group("page").isdigit()]
    if pages != sorted(pages):
        return False
    later = {raw.strip().lower() for raw in raw_lines[end:]}
    found = sum(1 for entry in entries if entry.group("title").strip().lower() in later)
    return found * 2 >= len(entries)


def _mark_footnotes(raw_lines: list[str], kinds: list[str]) -> tuple[list[str], set[str]]:
    """Mark footnote lines (and their wrapped continuations) as removed; return them."""
    footnotes: list[str] = []
    numbers: set[str] = set()
    index = 0
    while index < len(raw_lines):
        line = raw_lines[index].strip()
        if kinds[index] != "content" or not _is_footnote(line, raw_lines, kinds, index):
            index += 1
            continue
        kinds[index] = "footnote"
        text = line
        number = re.match(r"^\[?(\d{1,3})", line)
        if number:
            numbers.add(number.group(1))
        index += 1
        while (index < len(raw_lines) and kinds[index] == "content"
               and _continues_footnote(text, raw_lines[index].strip())):
            kinds[index] = "footnote"
            text += " " + raw_lines[index].strip()
            index += 1
        footnotes.append(strip_superscripts(text).strip())
    return footnotes, numbers


def _is_footnote(line: str, raw_lines: list[str], kinds: list[str], index: int) -> bool:
    """Whether a content line is a footnote: superscript-led, bracketed or a numbered citation."""
    if len(line) > 400:
        return False
    if FOOTNOTE_SUPERSCRIPT_LINE.match(line) or FOOTNOTE_BRACKET_LINE.match(line):
        return True
    if FOOTNOTE_DIGIT_LINE.match(line):
        return True
    digit_led = _DIGIT_LED_LINE.match(line)
    if not digit_led or len(line) >= 300:
        return False
    if _URL.search(line):
        return True
    # A citation ("12 Home Office (2023) …") whose number is glued to the text above as a
    # reference ("…trafficking.12 The…") is a footnote, not a paragraph.
    number = digit_led.group("number")
    cites = re.search(r"\b(?:19|20)\d{2}\b|[‘“'\"]|\bpp?\.\s*\d", line)
    glued = re.compile(rf"[A-Za-z)%\]’”'\"][.,;:)]?{number}(?=\s|$)")
    return bool(cites) and any(glued.search(raw) for raw in raw_lines[:index])


def _continues_footnote(footnote: str, line: str) -> bool:
    """Whether a line directly under a footnote is its wrapped continuation."""
    if re.match(r"^(?:\d{1,3}(?:\.\d{1,3})*[.)]?\s|[\-–—•●▪◦*]\s|#|\[?\d|[⁰¹²³⁴⁵⁶⁷⁸⁹])", line):
        return False
    return line[:1].islower() or footnote.rstrip()[-1:] not in ".!?)"


def _merge_orphan_markers(raw_lines: list[str], kinds: list[str]) -> None:
    """Join a bullet or paragraph number left alone on its line to the text that follows."""
    _spread_bullet_runs(raw_lines, kinds)
    for index, raw in enumerate(raw_lines):
        line = raw.strip()
        if kinds[index] != "content":
            continue
        if not (_BULLET_ONLY_LINE.match(line) or _NUMBER_ONLY_LINE.match(line)):
            continue
        following = index + 1
        while following < len(raw_lines) and kinds[following] in ("blank", "marker", "header"):
            following += 1
        if following < len(raw_lines) and kinds[following] == "content":
            nested = raw_lines[following].strip()
            if re.match(r"^[A-Z‘“'\"(a-z]", nested) and not _NUMBER_ONLY_LINE.match(nested):
                raw_lines[following] = f"{line} {nested}"
                kinds[index] = "blank"


def _spread_bullet_runs(raw_lines: list[str], kinds: list[str]) -> None:
    """Give back to their items a run of bullets that PDF extraction put before the text."""
    index = 0
    while index < len(raw_lines):
        run = []
        while (index < len(raw_lines) and kinds[index] == "content"
               and _BULLET_ONLY_LINE.match(raw_lines[index].strip())):
            run.append(index)
            index += 1
        if len(run) < 2:
            index += 1
            continue
        block_start = index
        while block_start < len(raw_lines) and kinds[block_start] in ("blank", "marker", "header"):
            block_start += 1
        block = []
        position = block_start
        while position < len(raw_lines) and kinds[position] == "content":
            block.append(position)
            position += 1
        starts = [position for number, position in enumerate(block)
                  if number == 0 or (raw_lines[block[number - 1]].rstrip()[-1:] in ".;:!?"
                                     and re.match(r"^[A-Z‘“'\"(]", raw_lines[position].strip()))]
        if len(starts) == len(run):
            for bullet, start in zip(run, starts, strict=True):
                raw_lines[start] = f"{raw_lines[bullet].strip()} {raw_lines[start].strip()}"
        for bullet in run:
            kinds[bullet] = "blank"


def ends_with_abbreviation(before: str) -> bool:
    """Whether text that a full stop follows ends with an abbreviation or an initial."""
    match = _WORD_BEFORE_FULL_STOP.search(before[-40:])
    if not match:
        return False
    word = match.group(1)
    if len(word) == 1 and word.isupper():
        return True  # an initial, as in "J. Smith"
    return word.lower().rstrip(".") in ABBREVIATIONS


def ends_with_dotted_abbreviation(line: str) -> bool:
    """Whether a line ends with an abbreviation such as "U.S." or "e.g.", which ends no sentence
    however the line is broken (unlike "no." or "Ltd.", which may)."""
    line = line.rstrip()
    return bool(_DOTTED_ABBREVIATION_END.search(line)) and ends_with_abbreviation(line[:-1])
