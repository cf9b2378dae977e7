"""Front-matter facts about an assessment: reference, version, publication date, marking…"""

import re
from datetime import date

METADATA_LINE = re.compile(
    r"^(?P<label>[A-Za-z][A-Za-z /&()'’\-]{1,45}?)\s*:\s*(?P<value>\S.{0,300})$")

_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("reference", re.compile(
        r"^(?:(?:document|product|report|assessment)\s+)?(?:reference|ref\.?|urn)"
        r"(?:\s+(?:number|no\.?))?$")),
    ("version", re.compile(r"^(?:version|issue)(?:\s+(?:number|no\.?))?$")),
    ("published", re.compile(
        r"^(?:date(?:\s+(?:of\s+)?(?:published|publication|issue|issued|produced|production))?"
        r"|published|publication\s+date|issued|issue\s+date|date\s+of\s+(?:publication|issue))$")),
    ("marking", re.compile(
        r"^(?:(?:government\s+)?(?:security\s+|protective\s+)?(?:marking|classification))$")),
    ("handling_note", re.compile(r"^handling(?:\s+(?:instructions?|code|caveats?|notes?))?$")),
    ("author", re.compile(
        r"^(?:author(?:ing)?(?:\s*\(s\))?(?:\s+(?:department|team|unit|organisation))?"
        r"(?:\s*/\s*[a-z]+)?|produced\s+by|prepared\s+by|originator|owner)$")),
    ("cut_off", re.compile(r"^(?:(?:information|intelligence|data)\s+)?cut[\s-]?off(?:\s+date)?$")),
)

_MONTHS = {name: number for number, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
     ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
     ("october", "oct"), ("november", "nov"), ("december", "dec")], start=1)
    for name in names}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"


def metadata_entry(line: str) -> tuple[str, str] | None:
    """The (key, value) a front-matter line such as "Reference: 0300-X" states, if any."""
    match = METADATA_LINE.match(line.strip())
    if not match:
        return None
    label = re.sub(r"\s+", " ", match.group("label").strip().lower())
    value = match.group("value").strip()
    for key, pattern in _LABELS:
        if pattern.match(label):
            if key in ("published", "cut_off"):
                iso = iso_date(value)
                return (key, iso) if iso else None
            return key, value
    return None


def iso_date(value: str) -> str | None:
    """An ISO date (or year-month) from a UK-style written date; None when it is not one."""
    value = value.strip()
    numeric = re.match(r"^(?P<day>\d{1,2})[/.\-](?P<month>\d{1,2})[/.\-](?P<year>\d{4}|\d{2})\b",
                       value)
    if numeric:
        year = int(numeric.group("year"))
        year = year + 2000 if year < 100 else year
        return _iso(year, int(numeric.group("month")), int(numeric.group("day")))
    iso = re.match(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b", value)
    if iso:
        return _iso(int(iso.group("year")), int(iso.group("month")), int(iso.group("day")))
    written = re.match(rf"^(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}})\b",
                       value)
    if not written:
        written = re.match(
            rf"^{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", value)
    if written and written.group("month").lower() in _MONTHS:
        return _iso(int(written.group("year")), _MONTHS[written.group("month").lower()],
                    int(written.group("day")))
    month_year = re.match(rf"^{_MONTH}\s+(?P<year>\d{{4}})\b", value)
    if month_year and month_year.group("month").lower() in _MONTHS:
        month = _MONTHS[month_year.group("month").lower()]
        return f"{int(month_year.group('year')):04d}-{month:02d}"
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    """The ISO string of a date, or None when the numbers are no date."""
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
