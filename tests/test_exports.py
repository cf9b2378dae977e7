"""Exports of any list: CSV and XLSX re-read as the page's rows, formulas inert, PDFs marked."""

import csv
import http.server
import io
import json
import re
import threading
from datetime import UTC, date, datetime, timedelta, timezone
from enum import StrEnum

import openpyxl
import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTComponent, LTContainer, LTText

from gaps import charts
from gaps.exports import (
    CONTENT_TYPES,
    ExportTable,
    filename,
    neutralise,
    print_stylesheet,
    sheet_name,
    to_csv,
    to_json,
    to_pdf,
    to_xlsx,
)

GENERATED_AT = datetime(2026, 11, 29, 14, 5, tzinfo=UTC)
COLUMNS = ["Rank", "Reference", "Question", "LTIOV", "Last activity", "Score", "Owner"]
ROWS = [
    [1, "REQ-001", "=SUM(A1:A9) of referrals?", date(2027, 3, 31),
     datetime(2026, 11, 28, 9, 30, tzinfo=UTC), 87.5, "Online team"],
    [2, "REQ-002", "Café “quotes” ≈ how many victims?\nSecond line", date(2026, 12, 1),
     datetime(2026, 7, 1, 23, 15, tzinfo=UTC), 42, None],
    [3, "REQ-003", "-1 offenders per region?", None, None, 0.5, "@Analysis"],
]
DISPLAYED_ROWS = [
    ["1", "REQ-001", "'=SUM(A1:A9) of referrals?", "2027-03-31", "2026-11-28T09:30:00+00:00",
     "87.5", "Online team"],
    ["2", "REQ-002", "Café “quotes” ≈ how many victims?\nSecond line", "2026-12-01",
     "2026-07-01T23:15:00+00:00", "42", ""],
    ["3", "REQ-003", "'-1 offenders per region?", "", "", "0.5", "'@Analysis"],
]


def make_table(rows=None, marking="OFFICIAL-SENSITIVE", title="Priority register"):
    """A register-like table as a page would hand it to the writers."""
    return ExportTable(title=title, columns=COLUMNS, rows=ROWS if rows is None else rows,
                       marking=marking, generated_at=GENERATED_AT, subtitle="Owner: Online team")


@pytest.mark.parametrize(("value", "expected"), [
    ("=SUM(A1)", "'=SUM(A1)"),
    ("+44 20 7946 0000", "'+44 20 7946 0000"),
    ("-1", "'-1"),
    ("@cmd", "'@cmd"),
    ("\tx", "'\tx"),
    ("\rx", "'\rx"),
    ("normal", "normal"),
    ("a = b", "a = b"),
    ("", ""),
    (5, 5),
    (-1, -1),
    (None, None),
    (date(2026, 11, 29), date(2026, 11, 29)),
])
def test_neutralise_makes_only_formula_like_text_inert(value, expected):
    assert neutralise(value) == expected


def read_csv(data: bytes) -> list[list[str]]:
    """The rows a spreadsheet or script would read from the exported CSV."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_starts_with_a_byte_order_mark_so_excel_reads_utf8():
    assert to_csv(make_table()).startswith(b"\xef\xbb\xbf")


def test_csv_rereads_as_the_header_and_the_rows_as_displayed():
    assert read_csv(to_csv(make_table())) == [COLUMNS, *DISPLAYED_ROWS]


def test_csv_neutralises_a_question_that_starts_with_a_formula():
    question = read_csv(to_csv(make_table()))[1][2]
    assert question == "'=SUM(A1:A9) of referrals?"


def test_csv_keeps_unicode_and_newlines_inside_cells():
    question = read_csv(to_csv(make_table()))[2][2]
    assert question == "Café “quotes” ≈ how many victims?\nSecond line"


def test_csv_makes_every_kind_of_text_inert_and_writes_other_cells_as_displayed():
    class Label(StrEnum):
        NEGATIVE = "-2 on last quarter"
        PLAIN = "steady"

    row = ["\tindented", "\rreturn", Label.NEGATIVE, Label.PLAIN, True, -3,
           datetime(2026, 11, 28, 9, 30, tzinfo=timezone(timedelta(hours=1))), date(2027, 3, 31),
           None]
    table = make_table(rows=[row])
    assert read_csv(to_csv(table))[1] == [
        "'\tindented", "'\rreturn", "'-2 on last quarter", "steady", "True", "-3",
        "2026-11-28T08:30:00+00:00", "2027-03-31", ""]


def test_csv_of_an_empty_list_is_just_the_header():
    assert read_csv(to_csv(make_table(rows=[]))) == [COLUMNS]


def read_xlsx(data: bytes) -> openpyxl.Workbook:
    """The workbook as Excel would open it."""
    return openpyxl.load_workbook(io.BytesIO(data))


def excel_time(*parts: int) -> datetime:
    """A cell's date and time as openpyxl reads it back: naive, since Excel has no time zones."""
    return datetime(*parts, tzinfo=UTC).replace(tzinfo=None)


def test_xlsx_rereads_as_the_header_and_the_rows_with_real_dates_and_numbers():
    sheet = read_xlsx(to_xlsx(make_table())).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        COLUMNS,
        [1, "REQ-001", "'=SUM(A1:A9) of referrals?", excel_time(2027, 3, 31),
         excel_time(2026, 11, 28, 9, 30), 87.5, "Online team"],
        [2, "REQ-002", "Café “quotes” ≈ how many victims?\nSecond line", excel_time(2026, 12, 1),
         excel_time(2026, 7, 2, 0, 15), 42, None],
        [3, "REQ-003", "'-1 offenders per region?", None, None, 0.5, "'@Analysis"],
    ]


def test_xlsx_dates_are_shown_the_uk_way():
    sheet = read_xlsx(to_xlsx(make_table())).active
    assert sheet["D2"].number_format == "dd/mm/yyyy"
    assert sheet["D2"].is_date
    assert sheet["E2"].number_format == "dd/mm/yyyy hh:mm"


def test_xlsx_times_are_uk_local_time_as_the_page_shows_them():
    sheet = read_xlsx(to_xlsx(make_table())).active
    assert sheet["E2"].value == excel_time(2026, 11, 28, 9, 30)  # GMT: same as UTC
    assert sheet["E3"].value == excel_time(2026, 7, 2, 0, 15)  # BST: an hour ahead of UTC


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(1)", "0123", "1e5", "TRUE"])
def test_xlsx_writes_formula_and_number_like_text_as_plain_strings(text):
    sheet = read_xlsx(to_xlsx(make_table(rows=[[1, text]]))).active
    cell = sheet["B2"]
    assert cell.data_type == "s"
    assert cell.value == neutralise(text)


def test_xlsx_header_is_bold_frozen_and_filterable():
    sheet = read_xlsx(to_xlsx(make_table())).active
    assert all(cell.font.b for cell in sheet[1])
    assert not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G4"


def test_xlsx_prints_a4_landscape_with_the_marking_at_top_and_bottom():
    sheet = read_xlsx(to_xlsx(make_table(marking="OFFICIAL-SENSITIVE"))).active
    assert "OFFICIAL-SENSITIVE" in sheet.oddHeader.center.text
    assert "OFFICIAL-SENSITIVE" in sheet.oddFooter.center.text
    assert "Generated 29 November 2026 at 14:05" in sheet.oddFooter.left.text
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9


def test_xlsx_document_properties_carry_title_marking_and_time():
    properties = read_xlsx(to_xlsx(make_table())).properties
    assert properties.title == "Priority register"
    assert "OFFICIAL-SENSITIVE" in properties.description
    assert "29 November 2026 at 14:05" in properties.description
    assert properties.created == excel_time(2026, 11, 29, 14, 5)


def test_xlsx_columns_are_wide_enough_for_the_questions():
    sheet = read_xlsx(to_xlsx(make_table())).active
    assert sheet.column_dimensions["C"].width > sheet.column_dimensions["A"].width


@pytest.mark.parametrize(("title", "expected"), [
    ("Priority register", "Priority register"),
    ("Snapshot: Q4 [draft] 2026/27?", "Snapshot Q4 draft 2026 27"),
    ("A very long title for a list that goes beyond the Excel limit",
     "A very long title for a list th"),
    ("'quoted'", "quoted"),
    ("***", "Export"),
    ("History", "Export"),
])
def test_sheet_names_are_ones_excel_accepts(title, expected):
    assert sheet_name(title) == expected
    assert read_xlsx(to_xlsx(make_table(title=title))).active.title == expected


def test_json_round_trip_keeps_values_unneutralised_with_iso_dates():
    document = json.loads(to_json(make_table()))
    assert document["title"] == "Priority register"
    assert document["subtitle"] == "Owner: Online team"
    assert document["marking"] == "OFFICIAL-SENSITIVE"
    assert document["generated_at"] == "2026-11-29T14:05:00+00:00"
    assert document["columns"] == COLUMNS
    assert document["rows"][0] == {
        "Rank": 1, "Reference": "REQ-001", "Question": "=SUM(A1:A9) of referrals?",
        "LTIOV": "2027-03-31", "Last activity": "2026-11-28T09:30:00+00:00", "Score": 87.5,
        "Owner": "Online team",
    }
    assert document["rows"][2]["LTIOV"] is None


def register_html(rows: int, marking: str) -> str:
    """A printable register page: heading, a chart as an image, and a long table."""
    chart = charts.as_data_uri(charts.score_distribution([12.0, 47.5, 47.5, 88.0]))
    body_rows = "".join(
        f"<tr><td>{number}</td><td>REQ-{number:03d}</td>"
        f"<td>How many referrals reached force {number}?</td><td>{number % 100}</td></tr>"
        for number in range(1, rows + 1)
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<style>{print_stylesheet(marking, GENERATED_AT, 'Priority register')}</style>"
        "</head><body><h1>Priority register</h1>"
        f"<img src='{chart}' alt='Priority score distribution'>"
        "<table><thead><tr><th>Rank</th><th>Reference</th><th>Question</th><th>Score</th>"
        f"</tr></thead><tbody>{body_rows}</tbody></table></body></html>"
    )


def layout_text(element: LTComponent) -> str:
    """The text of a laid-out PDF element, including text drawn inside figures (the charts)."""
    if isinstance(element, LTText):
        return element.get_text()
    if isinstance(element, LTContainer):
        return "\n".join(layout_text(child) for child in element)
    return ""


def pdf_pages(pdf: bytes) -> list[tuple[str, tuple[float, float]]]:
    """Each page's text and its size in points."""
    return [(layout_text(page), (page.width, page.height))
            for page in extract_pages(io.BytesIO(pdf))]


@pytest.fixture(scope="module")
def register_pdf_pages():
    """A 120-row register printed once for the PDF tests."""
    return pdf_pages(to_pdf(register_html(120, "OFFICIAL-SENSITIVE")))


def test_pdf_shows_the_marking_on_every_page(register_pdf_pages):
    assert len(register_pdf_pages) >= 2
    for text, _ in register_pdf_pages:
        assert text.count("OFFICIAL-SENSITIVE") >= 2


def test_pdf_numbers_its_pages_and_says_when_it_was_generated(register_pdf_pages):
    total = len(register_pdf_pages)
    for number, (text, _) in enumerate(register_pdf_pages, start=1):
        assert f"Page {number} of {total}" in text
        assert "Generated 29 November 2026 at 14:05" in text


def test_pdf_is_a4_landscape(register_pdf_pages):
    for _, (width, height) in register_pdf_pages:
        assert width == pytest.approx(842, abs=1)
        assert height == pytest.approx(595, abs=1)


def test_pdf_repeats_the_table_header_and_keeps_every_row(register_pdf_pages):
    text = "\n".join(page_text for page_text, _ in register_pdf_pages)
    for page_text, _ in register_pdf_pages[1:]:
        assert "Question" in page_text
    assert re.findall(r"REQ-\d{3}", text) == [f"REQ-{number:03d}" for number in range(1, 121)]


def test_pdf_includes_the_chart(register_pdf_pages):
    # The chart's SVG text is drawn word by word, so the extracted text loses its spaces.
    first_page = re.sub(r"\s", "", register_pdf_pages[0][0])
    assert "Priorityscoredistribution" in first_page
    assert "90–100" in first_page


def test_pdf_does_not_fetch_anything_over_the_network():
    requested = []

    class RecordingHandler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requested.append(self.path)
            self.send_error(404)

        def log_message(self, *args):
            pass

    with http.server.HTTPServer(("127.0.0.1", 0), RecordingHandler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        address = f"http://127.0.0.1:{server.server_port}"
        html = (f"<link rel='stylesheet' href='{address}/style.css'>"
                f"<p>Before</p><img src='{address}/chart.svg'><p>After</p>")
        text = pdf_pages(to_pdf(html, base_url=address))[0][0]
        server.shutdown()
    assert "After" in text
    assert requested == []


@pytest.mark.parametrize("marking", [
    'SECRET "UK EYES" \\ ONLY',
    "OFFICIAL'; } body { display: none } </style>",
])
def test_print_stylesheet_escapes_the_marking_so_it_prints_as_written(marking):
    text = pdf_pages(to_pdf(register_html(3, marking)))[0][0]
    assert text.count(marking) == 2
    assert "REQ-003" in text


@pytest.mark.parametrize(("title", "format", "generated_at", "expected"), [
    ("Priority register", "csv", GENERATED_AT, "priority-register-2026-11-29.csv"),
    ("Requirement list", "xlsx", GENERATED_AT, "requirement-list-2026-11-29.xlsx"),
    ("Snapshot: SGG “March” 2027 / draft", "pdf", GENERATED_AT,
     "snapshot-sgg-march-2027-draft-2026-11-29.pdf"),
    ("Café gaps — résumé", "json", GENERATED_AT, "cafe-gaps-resume-2026-11-29.json"),
    ('"; filename=evil.exe', "csv", GENERATED_AT, "filename-evil-exe-2026-11-29.csv"),
    ("≈≈≈", "csv", GENERATED_AT, "export-2026-11-29.csv"),
    ("Register", "csv", datetime(2026, 7, 1, 23, 30, tzinfo=UTC), "register-2026-07-02.csv"),
])
def test_filename_is_a_safe_lowercase_ascii_slug_with_the_uk_date(
        title, format, generated_at, expected):
    assert filename(title, format, generated_at) == expected


def test_filename_refuses_an_unknown_format():
    with pytest.raises(ValueError, match="Unknown export format"):
        filename("Register", "exe", GENERATED_AT)


def test_every_format_has_a_content_type():
    assert set(CONTENT_TYPES) == {"csv", "xlsx", "pdf", "json"}
    assert CONTENT_TYPES["csv"] == "text/csv; charset=utf-8"
