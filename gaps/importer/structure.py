"""Document structure: title, front matter, sections, numbered paragraphs and key judgements."""

import re
from collections import Counter
from dataclasses import dataclass, field

from gaps.importer.metadata import iso_date, metadata_entry
from gaps.importer.results import KeyJudgement, Paragraph
from gaps.importer.text import (
    BULLETS,
    HYPHENS,
    ROUND_BULLETS,
    Line,
    PreparedText,
    ends_with_dotted_abbreviation,
)

NUMBERED_LINE = re.compile(
    r"^(?P<label>\d{1,3}(?:\.\d{1,3}){0,3})(?P<punctuation>[.)])?[ \t]+(?P<rest>\S.*)$"
)
LIST_ITEM = re.compile(
    rf"^(?P<marker>[{BULLETS}]|\(?[a-z]{{1,2}}\)|[a-z]\.|\((?:[ivx]{{1,5}}|[A-Z]|\d{{1,2}})\)"
    rf"|[ivx]{{1,5}}\.)(?:\s+|(?<=[{ROUND_BULLETS}]))(?P<rest>\S.*)$"
)
MARKDOWN_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.+?)\s*#*$")
EMPHASIS_HEADING = re.compile(r"^(?:\*\*|__)(?P<text>[^*_]{1,100}?)(?:\*\*|__):?$")
KEY_JUDGEMENTS_HEADING = re.compile(
    r"^(?:summary\s+of\s+(?:the\s+|our\s+)?)?(?:key|main|principal)\s+"
    r"(?:judg(?:e)?ments?|findings?|assessments?|messages|points|takeaways?)(?:\s+and\s+.{1,40})?"
    r"(?:\s*\(.{1,20}\))?:?$"
    r"|^(?:the\s+)?bottom\s+lines?(?:\s+up\s+front)?:?$|^bluf:?$",
    re.IGNORECASE,
)
# Where a document has no key judgements section, the bullets of its summary stand in.
SUMMARY_HEADING = re.compile(
    r"^(?:executive\s+)?summary(?:\s+of\s+(?:the\s+)?assessment)?:?$", re.IGNORECASE)
HANDLING_HEADING = re.compile(
    r"^handling(?:\s+(?:instructions?|notes?|caveats?|conditions))?$", re.IGNORECASE)
CAPTION = re.compile(r"^(?:table|figure|chart|graph|map|diagram|box)\s+[A-Z0-9]{1,3}\b",
                     re.IGNORECASE)
# Headings that open a document's body and so are never part of its title.
_BODY_HEADINGS = re.compile(
    r"^(?:introduction|summary|executive\s+summary|purpose|background|scope|aims?|overview"
    r"|foreword|contents|table\s+of\s+contents|methodology|context)$",
    re.IGNORECASE,
)
# Banners above a title: the organisation's name or the kind of product, never the title itself.
_BANNER = re.compile(
    r"^(?:the\s+)?[\w&’' ,-]{0,60}?\b(?:council|agency|service|centre|center|department|office"
    r"|directorate|command|bureau|ministry|commission)$"
    r"|^(?:[\w ]+\s+)?(?:intelligence\s+(?:community\s+)?(?:assessment|report|product"
    r"|bulletin|estimate)|national\s+intelligence\s+estimate)$",
    re.IGNORECASE)
_YEAR_LINE = re.compile(r"^(?:19|20)\d{2}(?:\s*[/\-–]\s*(?:19|20)?\d{2})?$")
_TERMINAL = ".!?:;)’”'\"…"
# A footnote marker may follow the punctuation that ends a line ("…offending.[86]", "…abuse.12").
_FOOTNOTE_TAIL = re.compile(r"(?<=[.!?:;)’”'\"…])(?:\[\d{1,3}\]|\d{1,3})$")
_JOINING_WORDS = {"and", "or", "of", "the", "to", "in", "for", "with", "a", "an", "by", "on",
                  "at", "from", "as", "that", "which", "but", "nor", "than"}


@dataclass
class _Block:
    """A paragraph being built: its number, section and logical lines."""

    number: int | None
    section: str
    lines: list[str]
    is_key_judgement: bool = False
    is_in_summary: bool = False
    is_table: bool = False
    last_line_is_item: bool = False
    last_line_is_prose: bool = True


@dataclass
class DocumentStructure:
    """The structure read from a document's content lines."""

    title: str
    paragraphs: list[Paragraph]
    key_judgements: list[KeyJudgement]
    metadata: dict[str, str] = field(default_factory=dict)


def strip_list_marker(text: str) -> str:
    """A list item's text without its bullet, letter or number (nested markers too)."""
    while True:
        match = LIST_ITEM.match(text) or _numbered_item(text)
        if not match:
            return text
        text = match.group("rest")


def _numbered_item(text: str) -> re.Match[str] | None:
    """A match of a numbered line, as used when a number marks a list item."""
    match = NUMBERED_LINE.match(text)
    return match if match and (match.group("punctuation") or "." in match.group("label")) else None


def looks_like_heading(text: str) -> bool:
    """Whether a bare line reads as a heading: short, capitalised, no closing full stop."""
    words = text.split()
    if not 1 <= len(words) <= 12 or len(text) > 100 or "\t" in text:
        return False
    if not re.match(r"^[A-Z‘“'\"(]", text) or not re.search(r"[A-Za-z]{2}", text):
        return False
    if _last_mark(text) in ".,;!…" or (text.endswith(":") and len(words) > 6):
        return False
    if words[-1].lower().strip(",") in _JOINING_WORDS and len(words) > 1:
        return False
    return metadata_entry(text) is None


def is_heading_text(text: str) -> str | None:
    """The heading a Markdown or emphasised line states, without its markup."""
    match = MARKDOWN_HEADING.match(text) or EMPHASIS_HEADING.match(text)
    return match.group("text").strip().rstrip(":") if match else None


def read_structure(prepared: PreparedText) -> DocumentStructure:
    """Read title, metadata, paragraphs (with sections) and key judgements from content lines."""
    lines = prepared.lines
    title, metadata, consumed = _read_front_matter(lines)
    if not title:
        # A running header usually repeats the document's title on every page.
        title = next((header for header in prepared.running_headers
                      if looks_like_heading(header)
                      and not re.search(r"(?<!\d)\d{1,3}\s*$", header)), "")
    if prepared.markings:
        metadata.setdefault("marking", Counter(prepared.markings).most_common(1)[0][0])
    parser = _BodyParser(lines, consumed, wrap_width=_wrap_width(lines))
    blocks = parser.parse()

    paragraphs: list[Paragraph] = []
    key_judgements: list[KeyJudgement] = []
    summary_items: list[str] = []
    for block in blocks:
        text = "\n".join(line.strip() for line in block.lines if line.strip())
        if not text:
            continue
        paragraphs.append(Paragraph(index=len(paragraphs) + 1, number=block.number,
                                    section=block.section, text=text))
        judgement = " ".join(strip_list_marker(line) for line in text.split("\n"))
        if block.is_key_judgement and not text.endswith(":"):
            key_judgements.append(KeyJudgement(number=len(key_judgements) + 1, text=judgement))
        if block.is_in_summary:
            summary_items.extend(strip_list_marker(line) for line in text.split("\n")
                                 if LIST_ITEM.match(line))
    if not key_judgements:
        key_judgements = [KeyJudgement(number=number, text=text)
                          for number, text in enumerate(summary_items, start=1)]
    for paragraph in paragraphs:
        if HANDLING_HEADING.match(paragraph.section) and "handling_note" not in metadata:
            metadata["handling_note"] = paragraph.text.replace("\n", " ")
    return DocumentStructure(title=title, paragraphs=paragraphs, key_judgements=key_judgements,
                             metadata=metadata)


def _read_front_matter(lines: list[Line]) -> tuple[str, dict[str, str], set[int]]:
    """The title block and metadata lines at the top of a document, and which lines they use."""
    metadata: dict[str, str] = {}
    consumed: set[int] = set()
    title_positions: list[int] = []
    title = ""
    collecting = True
    heads_content = False
    for position, line in enumerate(lines[:80]):
        text = line.text
        if _numbered_item(text):
            heads_content = heads_content or collecting
            break
        entry = metadata_entry(text)
        if entry:
            metadata.setdefault(*entry)
            consumed.add(position)
            collecting = False
            continue
        dated = _dated_line(text)
        if dated and collecting:
            metadata.setdefault("published", dated)
            consumed.add(position)
            continue
        if not collecting:
            continue
        heading = MARKDOWN_HEADING.match(text)
        if heading and len(heading.group("hashes")) == 1 and not title_positions:
            title = heading.group("text").strip()
            consumed.add(position)
            collecting = False
            continue
        bare = is_heading_text(text) or text
        special = bool(heading or KEY_JUDGEMENTS_HEADING.match(bare) or _BODY_HEADINGS.match(bare)
                       or HANDLING_HEADING.match(bare))
        following = lines[position + 1] if position + 1 < len(lines) else None
        wraps_into_prose = bool(following and not following.blank_before
                                and re.match(r"^[a-z]", following.text))
        if (looks_like_heading(bare) or _YEAR_LINE.match(bare)) and not special and not (
                wraps_into_prose):
            title_positions.append(position)
            continue
        collecting = False
        heads_content = not special
    if title or not title_positions:
        return title, metadata, consumed
    # Lines with no blank between them are one heading wrapped; blank lines part the title.
    parts: list[list[int]] = []
    for position in title_positions:
        if parts and not lines[position].blank_before:
            parts[-1].append(position)
        else:
            parts.append([position])
    if heads_content and len(parts) >= 2:
        parts.pop()  # the last bare line before the first prose is that prose's heading
    if not heads_content or len(parts) >= 2:
        consumed.update(position for part in parts for position in part)
    banners = 0
    while len(parts) >= 2 and all(_BANNER.match(lines[position].text) for position in parts[0]):
        parts.pop(0)
        banners += 1
    title_lines = [" ".join(is_heading_text(lines[position].text) or lines[position].text
                            for position in part) for part in parts]
    if not banners and len(title_lines) >= 3 and len(title_lines[0].split()) <= 3:
        title_lines = title_lines[1:]  # a banner such as "Intelligence Assessment"
    title = title_lines[0]
    if len(title_lines) > 1:
        title += ": " + " ".join(title_lines[1:])
    return title, metadata, consumed


def _last_mark(text: str) -> str:
    """The last character of a line, looking past a footnote marker after its punctuation."""
    text = text.rstrip()
    if text[-1:].isdigit() or text[-1:] == "]":
        text = _FOOTNOTE_TAIL.sub("", text)
    return text[-1:]


def _dated_line(text: str) -> str | None:
    """The ISO date a bare dated line above the title gives ("12 March 2026 ICA 2026-1")."""
    if len(text.split()) > 8 or not re.match(r"^\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{4}\b", text):
        return None
    return iso_date(text)


def _wrap_width(lines: list[Line]) -> int | None:
    """The width prose is wrapped at, when lines are fragments of paragraphs; None when each
    line is a paragraph of its own (most lines end a sentence) or lines are long."""
    prose = [line.text for line in lines if "\t" not in line.text and len(line.text.split()) > 3]
    if len(prose) < 6:
        return None
    lengths = sorted(len(text) for text in prose)
    width = lengths[int(len(lengths) * 0.9)]
    ending_sentences = sum(1 for text in prose if _last_mark(text) in ".!?:;…")
    if width > 130 or ending_sentences > len(prose) * 0.6:
        return None
    return width


class _BodyParser:
    """Walks the content lines after the front matter and builds paragraph blocks."""

    def __init__(self, lines: list[Line], consumed: set[int], *, wrap_width: int | None) -> None:
        self.lines = lines
        self.consumed = consumed
        self.wrapped = wrap_width is not None
        self.wrap_width = wrap_width or 0
        self.previous_text = ""
        self.blocks: list[_Block] = []
        self.open: _Block | None = None
        self.section = ""
        self.in_key_judgements = False
        self.in_summary = False
        self.last_number: int | None = None
        self.last_label: tuple[int, ...] | None = None
        self.heading_since_number = False

    def parse(self) -> list[_Block]:
        """All paragraph blocks in document order."""
        for position, line in enumerate(self.lines):
            if position in self.consumed:
                continue
            following = self._next_line(position)
            self._read_line(line, following)
            self.previous_text = line.text
        return self.blocks

    def _next_line(self, position: int) -> Line | None:
        """The next content line that is not front matter."""
        for later in range(position + 1, len(self.lines)):
            if later not in self.consumed:
                return self.lines[later]
        return None

    def _read_line(self, line: Line, following: Line | None) -> None:
        """Route one content line to a heading, a new paragraph or the open paragraph."""
        text = line.text
        heading = is_heading_text(text)
        if heading is not None:
            self._start_section(heading)
            return
        if self._continues_open_block(line):
            self._join_to_open(text)
            return
        numbered = NUMBERED_LINE.match(text)
        if numbered and (numbered.group("punctuation") or "." in numbered.group("label")):
            self._read_numbered(line, numbered, following)
            return
        if LIST_ITEM.match(text):
            self._read_item(line)
            return
        if "\t" in text.strip() and len([cell for cell in text.split("\t") if cell.strip()]) >= 2:
            self._read_table_row(line)
            return
        if CAPTION.match(text) and (line.blank_before or (following and "\t" in following.text)):
            # A table or figure caption starts a paragraph of its own and is never a heading.
            self._start_block(None, text, is_table=True)
            return
        numbered_heading = re.match(r"^\d{1,2}\s+(?P<rest>[A-Z].*)$", text)
        if numbered_heading and self._is_heading(line, following, numbered_heading.group("rest")):
            self._start_section(numbered_heading.group("rest").rstrip(":").strip())
            return
        if self._is_heading(line, following):
            self._start_section(text.rstrip(":").strip())
            return
        self._read_prose(line)

    def _continues_open_block(self, line: Line) -> bool:
        """Whether a line carries on the open paragraph's last sentence (wrap or page break)."""
        block = self.open
        text = line.text
        if block is None or is_heading_text(text) is not None:
            return False
        starts_lower = bool(re.match(r"^[a-z]", text))
        if starts_lower and not LIST_ITEM.match(text):
            return True
        if block.is_table or block.last_line_is_item or not block.last_line_is_prose:
            return False
        unfinished = _last_mark(block.lines[-1]) not in _TERMINAL or (
            not line.blank_before and ends_with_dotted_abbreviation(block.lines[-1]))
        if not unfinished:
            return False
        numbered = NUMBERED_LINE.match(text)
        if numbered and self._is_wrapped_number(block, numbered):
            return True
        if numbered and _numbered_item(text) and (
                not line.page_break_before
                or self._fits_sequence(numbered.group("label"), numbered.group("rest"))):
            return False
        return not LIST_ITEM.match(text) or line.page_break_before

    def _is_wrapped_number(self, block: _Block, numbered: re.Match[str]) -> bool:
        """Whether a number opening the line after unfinished prose is the sentence going on
        ("…rose by a factor of\n12. Then…"): after a joining word, or a number that neither
        opens a list nor continues the paragraph numbering."""
        last_word = block.lines[-1].rsplit(maxsplit=1)[-1].lower()
        if last_word in _JOINING_WORDS:
            return True
        label = numbered.group("label")
        if label in ("1", "1.1"):
            return False
        if "." in label:
            return not self._fits_sequence(label, numbered.group("rest"))
        return self.last_number is None or not (
            self.last_number < int(label) <= self.last_number + 5)

    def _join_to_open(self, text: str) -> None:
        """Append text to the open paragraph's last line, mending a word broken at a hyphen
        ("exploita-tion", "SARS-CoV-2")."""
        assert self.open is not None
        previous = self.open.lines[-1].rstrip()
        broken_word = previous[-1:] in HYPHENS and re.search(r"[A-Za-z0-9]$", previous[:-1])
        if broken_word and text[:1].isalnum():
            self.open.lines[-1] = previous + text
        else:
            self.open.lines[-1] = previous + " " + text

    def _read_numbered(self, line: Line, numbered: re.Match[str], following: Line | None) -> None:
        """A numbered line: a new numbered paragraph, a numbered heading or a list item."""
        label = numbered.group("label")
        rest = numbered.group("rest")
        if (looks_like_heading(rest) and len(rest.split()) <= 8 and not rest.endswith(":")
                and (following is None or following.blank_before
                     or NUMBERED_LINE.match(following.text))
                and not (following and re.match(r"^(?:\d+(?:\.\d+)*[.)]?\s+)?[a-z]",
                                                following.text))):
            self._start_section(rest.rstrip(":").strip())
            return
        if self.open is not None and not self._fits_sequence(label, rest):
            self._add_line(line.text, is_item=True)
            return
        if "." in label:
            self.last_label = tuple(int(part) for part in label.split("."))
            self._start_block(None, line.text)
        else:
            self.last_number = int(label)
            self._start_block(int(label), rest)
        self.heading_since_number = False

    def _fits_sequence(self, label: str, rest: str) -> bool:
        """Whether a number continues the document's paragraph numbering (else it is a list)."""
        block = self.open
        assert block is not None
        if re.match(r"^[a-z]", rest):
            return False
        introduces_list = block.lines[-1].rstrip().endswith(":") or block.last_line_is_item
        if "." in label:
            parts = tuple(int(part) for part in label.split("."))
            if self.last_label is None:
                return not introduces_list or block.number is None
            return parts > self.last_label and parts[0] <= self.last_label[0] + 2
        number = int(label)
        if self.last_number is None:
            return not introduces_list or self.in_key_judgements
        if self.last_number < number <= self.last_number + 5:
            return True
        if number == 1 and self.heading_since_number:
            return True
        return not introduces_list

    def _read_item(self, line: Line) -> None:
        """A bulleted or lettered item: part of the open paragraph, or a paragraph of its own."""
        block = self.open
        if self.in_key_judgements:
            self._start_block(None, strip_list_marker(line.text))
            assert self.open is not None
            self.open.last_line_is_item = True
            return
        if block is not None and not block.is_table and (
                not line.blank_before or block.number is not None
                or block.lines[-1].rstrip().endswith(":") or block.last_line_is_item):
            self._add_line(line.text, is_item=True)
            return
        self._start_block(None, line.text)
        assert self.open is not None
        self.open.last_line_is_item = True
        self.open.last_line_is_prose = False

    def _read_table_row(self, line: Line) -> None:
        """A tab-separated row: added to the open table, or starting one."""
        if self.open is not None and self.open.is_table:
            self._add_line(line.text, is_item=False, is_prose=False)
            return
        self._start_block(None, line.text, is_table=True)

    def _read_prose(self, line: Line) -> None:
        """A line of prose: wrapped text, part of a numbered paragraph, or a new paragraph."""
        block = self.open
        if block is not None and not block.is_table:
            if not line.blank_before and self.wrapped and not self._ends_paragraph(line):
                self._join_to_open(line.text)
                return
            if (not line.blank_before and block.last_line_is_item) or (
                    block.number is not None and not self.in_key_judgements):
                self._add_line(line.text, is_item=False)
                return
        if block is not None and block.is_table and not line.blank_before:
            self._add_line(line.text, is_item=False)
            return
        self._start_block(None, line.text)

    def _ends_paragraph(self, line: Line) -> bool:
        """Whether, in wrapped prose, the line before ended its paragraph: it finished a sentence
        with room left for this line's first word, and this line starts a sentence."""
        previous = self.previous_text.rstrip()
        first_word = line.text.split(maxsplit=1)[0]
        return (_last_mark(previous) in ".!?:"
                and not ends_with_dotted_abbreviation(previous)
                and len(previous) + 1 + len(first_word) <= self.wrap_width
                and bool(re.match(r"^[A-Z‘“'\"(\d]", line.text)))

    def _is_heading(self, line: Line, following: Line | None, text: str | None = None) -> bool:
        """Whether a bare line is a section heading rather than a short line of prose."""
        text = line.text if text is None else text
        if not looks_like_heading(text):
            return False
        if KEY_JUDGEMENTS_HEADING.match(text.rstrip()) or SUMMARY_HEADING.match(text.rstrip()):
            return True
        if not line.blank_before and not line.page_break_before and self.open is not None:
            # Straight after a finished paragraph, a short line standing before a break or a
            # numbered paragraph is a heading; otherwise it is the paragraph's next line.
            finished = _last_mark(self.open.lines[-1]) in ".!?"
            stands_alone = following is None or following.blank_before or bool(
                NUMBERED_LINE.match(following.text))
            return finished and stands_alone and len(text.split()) <= 6
        if following is None or following.blank_before:
            return True
        next_text = following.text
        if NUMBERED_LINE.match(next_text) or LIST_ITEM.match(next_text) or is_heading_text(
                next_text) is not None or "\t" in next_text:
            return True
        words = text.rstrip(":").split()
        capitalised = sum(1 for word in words if word[:1].isupper() or len(word) <= 3)
        return len(words) <= 8 and capitalised == len(words)

    def _start_section(self, heading: str) -> None:
        """Close the open paragraph and enter the section a heading names."""
        self.open = None
        self.section = heading
        self.in_key_judgements = bool(KEY_JUDGEMENTS_HEADING.match(heading))
        self.in_summary = bool(SUMMARY_HEADING.match(heading))
        self.heading_since_number = True

    def _start_block(self, number: int | None, text: str, *, is_table: bool = False) -> None:
        """Open a new paragraph block."""
        self.open = _Block(number=number, section=self.section, lines=[text],
                           is_key_judgement=self.in_key_judgements,
                           is_in_summary=self.in_summary, is_table=is_table,
                           last_line_is_prose=not is_table)
        self.blocks.append(self.open)

    def _add_line(self, text: str, *, is_item: bool, is_prose: bool = True) -> None:
        """Add a new logical line (an item, or a sentence after a break) to the open block."""
        assert self.open is not None
        self.open.lines.append(text)
        self.open.last_line_is_item = is_item
        self.open.last_line_is_prose = is_prose and not is_item
