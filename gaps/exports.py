"""CSV, XLSX, JSON and PDF writers for any list: register, requirements, gaps, snapshots."""

import csv
import io
import itertools
import json
import math
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from gaps.domain.dates import UK_TIME, uk_datetime

# Spreadsheets run a cell that begins with one of these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "json": "application/json",
}

SHEET_NAME_LIMIT = 31
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
COLUMN_WIDTH_MIN = 8
COLUMN_WIDTH_MAX = 60
FILENAME_STEM_LIMIT = 80
XLSX_PAPER_A4 = 9

# Only embedded (data:) and local (file:) resources: a PDF rendered inside a request must not
# reach out over the network, least of all back to this server.
PDF_ALLOWED_PROTOCOLS = ("data", "file")


# Rows written to a CSV or JSON stream at a time, and rows an XLSX sizes its columns by.
CHUNK_ROWS = 500
WIDTH_SAMPLE_ROWS = 200


@dataclass(frozen=True)
class ExportTable:
    """A list as the page shows it, ready to be written in any export format.

    `rows` may be a generator read from the database in batches: each writer goes through it
    once, so a whole register is written without holding it in memory.
    """

    title: str
    columns: list[str]
    rows: Iterable[list[Any]]
    marking: str
    generated_at: datetime
    subtitle: str = ""
    row_count: int | None = None
    widths: tuple[int, ...] = ()  # of each column in a PDF, in per cent of the page


def neutralise(value: Any) -> Any:
    """A string that a spreadsheet would run as a formula, made inert with a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _as_utc(moment: datetime) -> datetime:
    """A moment in UTC; a naive one is taken to be UTC already, as the database stores it."""
    if moment.tzinfo is UTC:  # as every stored moment is read back: nothing to convert
        return moment
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _iso(value: date | datetime) -> str:
    """A date as YYYY-MM-DD, a moment as ISO 8601 in UTC."""
    if isinstance(value, datetime):
        return _as_utc(value).isoformat(timespec="seconds")
    return value.isoformat()


def _display_text(value: Any) -> str:
    """A cell as text for a CSV file (not yet neutralised)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return _iso(value)
    return str(value)


def _csv_cell(value: Any) -> Any:
    """A cell as the csv module should write it: text made inert, dates in ISO form; numbers
    are written as they are."""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_TRIGGERS) else value
    if value is None:
        return ""
    if isinstance(value, date):
        return _iso(value)
    return value


# Cells the csv module writes as they should read (None as an empty cell, a date (not a moment)
# as YYYY-MM-DD): most cells, tested first, because a call per cell costs as much as writing.
_CSV_AS_THEY_ARE = frozenset({int, float, bool, date, type(None)})


def csv_chunks(table: ExportTable) -> Iterator[bytes]:
    """The table as CSV (UTF-8 with BOM for Excel), a few hundred rows at a time."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([neutralise(column) for column in table.columns])
    yield buffer.getvalue().encode("utf-8-sig")
    rows = iter(table.rows)
    as_they_are, triggers = _CSV_AS_THEY_ARE, FORMULA_TRIGGERS
    while chunk := list(itertools.islice(rows, CHUNK_ROWS)):
        buffer.seek(0)
        buffer.truncate()
        # _csv_cell for each cell, with plain strings and numbers done in line.
        writer.writerows([
            cell if type(cell) in as_they_are
            else ("'" + cell if cell.startswith(triggers) else cell) if type(cell) is str
            else cell.isoformat(timespec="seconds") if type(cell) is datetime
            and cell.tzinfo is UTC
            else _csv_cell(cell)
            for cell in row] for row in chunk)
        yield buffer.getvalue().encode("utf-8")


def to_csv(table: ExportTable) -> bytes:
    """The table as CSV (UTF-8 with BOM for Excel): the header row then the rows, nothing else."""
    return b"".join(csv_chunks(table))


def sheet_name(title: str) -> str:
    """A worksheet name Excel accepts, taken from the title."""
    name = SHEET_NAME_FORBIDDEN.sub(" ", title)
    name = " ".join(name.split())[:SHEET_NAME_LIMIT].strip().strip("'").strip()
    # Excel reserves "History" for its own change-tracking sheet.
    if not name or name.lower() == "history":
        return "Export"
    return name


def _header_footer_text(text: str) -> str:
    """Text placed literally in an Excel print header or footer, where & starts a code."""
    return text.replace("&", "&&")


def _column_width(column: str, cells: list[Any]) -> int:
    """A column wide enough for its header and longest line, within sensible bounds."""
    longest = len(column)
    for cell in cells:
        if isinstance(cell, datetime):
            length = 16
        elif isinstance(cell, date):
            length = 10
        else:
            length = max((len(line) for line in _display_text(cell).splitlines()), default=0)
        longest = max(longest, length)
    return max(COLUMN_WIDTH_MIN, min(COLUMN_WIDTH_MAX, longest + 2))


def to_xlsx(table: ExportTable) -> bytes:
    """The table as one Excel worksheet: bold frozen header, real dates, inert strings, marked.

    Written in XlsxWriter's constant-memory mode (a row at a time, through temporary files),
    so its memory does not grow with the number of rows; columns are sized by the first rows.
    """
    import xlsxwriter  # only when a workbook is asked for: it slows every start-up otherwise

    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {
        "constant_memory": True,
        "tmpdir": tempfile.gettempdir(),
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
        "nan_inf_to_errors": True,
    })
    generated = uk_datetime(table.generated_at)
    workbook.set_properties({
        "title": table.title,
        "subject": table.subtitle,
        "keywords": table.marking,
        "category": table.marking,
        "comments": f"{table.marking}. Generated {generated}.",
        "created": _as_utc(table.generated_at).replace(tzinfo=None),
    })
    workbook.set_custom_property("Protective marking", table.marking)
    worksheet = workbook.add_worksheet(sheet_name(table.title))

    header_format = workbook.add_format({"bold": True, "bottom": 1})
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    datetime_format = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})

    rows = iter(table.rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
    for column_index, column in enumerate(table.columns):
        cells = [row[column_index] for row in sample if column_index < len(row)]
        worksheet.set_column(column_index, column_index, _column_width(column, cells))
    for column_index, column in enumerate(table.columns):
        worksheet.write_string(0, column_index, neutralise(column), header_format)
    row_index = 0
    for row_index, row in enumerate(itertools.chain(sample, rows), start=1):
        for column_index, cell in enumerate(row):
            if cell is None:
                continue
            if isinstance(cell, bool):
                worksheet.write_boolean(row_index, column_index, cell)
            elif isinstance(cell, int | float):
                worksheet.write_number(row_index, column_index, cell)
            elif isinstance(cell, datetime):
                # Excel has no time zones: show the UK local time, as the page does.
                moment = _as_utc(cell).astimezone(UK_TIME).replace(tzinfo=None)
                worksheet.write_datetime(row_index, column_index, moment, datetime_format)
            elif isinstance(cell, date):
                worksheet.write_datetime(row_index, column_index, cell, date_format)
            else:
                worksheet.write_string(row_index, column_index, neutralise(str(cell)))

    if table.columns:
        worksheet.freeze_panes(1, 0)
        worksheet.autofilter(0, 0, row_index, len(table.columns) - 1)
        worksheet.repeat_rows(0)

    marking = _header_footer_text(table.marking)
    worksheet.set_landscape()
    worksheet.set_paper(XLSX_PAPER_A4)
    worksheet.fit_to_pages(1, 0)
    worksheet.set_header(f"&C&B{marking}")
    worksheet.set_footer(
        f"&L{_header_footer_text('Generated ' + generated)}&C&B{marking}&B&RPage &P of &N")

    workbook.close()
    return output.getvalue()


def _json_value(value: Any) -> Any:
    """A cell as JSON: dates ISO, moments ISO in UTC, non-finite numbers as null."""
    if isinstance(value, date):
        return _iso(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def json_chunks(table: ExportTable) -> Iterator[bytes]:
    """The table as JSON with one object per row, a few hundred rows at a time; values as
    they are (JSON is no spreadsheet)."""
    heading = {"title": table.title, "subtitle": table.subtitle, "marking": table.marking,
               "generated_at": _iso(table.generated_at), "columns": table.columns}
    yield (json.dumps(heading, ensure_ascii=False)[:-1] + ', "rows": [').encode("utf-8")
    rows = iter(table.rows)
    separator = "\n"
    while chunk := list(itertools.islice(rows, CHUNK_ROWS)):
        text = ",\n".join(json.dumps({column: _json_value(cell) for column, cell
                                       in zip(table.columns, row, strict=False)},
                                      ensure_ascii=False) for row in chunk)
        yield (separator + text).encode("utf-8")
        separator = ",\n"
    yield b"\n]}\n"


def to_json(table: ExportTable) -> bytes:
    """The table as one JSON document (see `json_chunks`)."""
    return b"".join(json_chunks(table))


def to_pdf(html: str, base_url: str | None = None) -> bytes:
    """An HTML page printed to PDF by WeasyPrint, fetching only data: and file: resources."""
    import weasyprint  # only when a PDF is asked for: it slows every start-up otherwise
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=PDF_ALLOWED_PROTOCOLS)
    return weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()


def css_string(text: str) -> str:
    """Text as a quoted CSS string that nothing inside it can break out of."""
    escaped = "".join(
        character if character.isalnum() or character in " -_.,()" else f"\\{ord(character):x} "
        for character in text
    )
    return f'"{escaped}"'


def print_stylesheet(marking: str, generated_at: datetime, title: str) -> str:
    """CSS for printed exports: A4 landscape, the marking top and bottom, page numbers, time."""
    marking_text = css_string(marking)
    generated_text = css_string(f"Generated {uk_datetime(generated_at)}")
    title_text = css_string(title)
    return f"""
@page {{
  size: A4 landscape;
  margin: 20mm 12mm 18mm 12mm;
  font-family: Arial, "DejaVu Sans", sans-serif;
  @top-left {{ content: {title_text}; font-size: 8pt; color: #505a5f; }}
  @top-center {{ content: {marking_text}; font-weight: bold; font-size: 11pt; }}
  @bottom-left {{ content: {generated_text}; font-size: 8pt; }}
  @bottom-center {{ content: {marking_text}; font-weight: bold; font-size: 11pt; }}
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages); font-size: 8pt; }}
}}
html {{ font-family: Arial, "DejaVu Sans", sans-serif; font-size: 9pt; color: #0b0c0c; }}
h1 {{ font-size: 14pt; margin: 0 0 4mm; }}
h2 {{ font-size: 11pt; margin: 4mm 0 2mm; }}
table {{ width: 100%; border-collapse: collapse; font-size: 8pt; }}
table.sized {{ table-layout: fixed; }}
thead {{ display: table-header-group; }}
tfoot {{ display: table-footer-group; }}
tr {{ break-inside: avoid; }}
th, td {{ border-bottom: 0.5pt solid #b1b4b6; padding: 1mm 1.5mm; text-align: left;
          vertical-align: top; }}
th {{ font-weight: bold; border-bottom: 1pt solid #0b0c0c; }}
img {{ max-width: 100%; }}
figure {{ break-inside: avoid; margin: 0 0 4mm; }}
"""


def filename(title: str, format: str, generated_at: datetime) -> str:
    """A download name such as priority-register-2026-11-29.csv: lowercase ASCII and hyphens."""
    if format not in CONTENT_TYPES:
        raise ValueError(f"Unknown export format {format!r}.")
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    stem = stem[:FILENAME_STEM_LIMIT].rstrip("-") or "export"
    # The date on the file is the day in the UK, where its readers are.
    day = _as_utc(generated_at).astimezone(UK_TIME).date()
    return f"{stem}-{day.isoformat()}.{format}"
