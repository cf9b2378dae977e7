"""Turning uploaded bytes into text, and refusing what cannot be read."""

import pytest

from gaps.importer import ImportRefused, import_bytes, read_document
from gaps.importer import sources as sources_module


def pdf_without_text() -> bytes:
    """A valid one-page PDF with nothing on the page (as a scan without OCR would be)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << >> >>"]
    output = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(output)
    output += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    output += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    output += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
               f"startxref\n{xref}\n%%EOF\n").encode()
    return output


def pdf_with_text(html: str) -> bytes:
    """A real PDF with a text layer, made with WeasyPrint."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


@pytest.mark.parametrize(("data", "message"), [
    (b"", "The file is empty"),
    (b"  \n\r\n\t ", "The file is empty"),
    (b"\x00\x01\x02\x03binary\x00data" * 20, "binary"),
    (bytes(range(256)) * 40, "binary"),
    (b"PK\x03\x04" + b"\x14\x00" * 100, "Word document"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "image"),
])
def test_refused_with_a_clear_message(data, message):
    with pytest.raises(ImportRefused, match=message):
        read_document(data, "upload.txt")


def test_refused_pdf_without_a_text_layer():
    with pytest.raises(ImportRefused) as refused:
        read_document(pdf_without_text(), "scan.pdf")
    assert str(refused.value) == "The PDF has no text layer (scanned?): run OCR first"


def test_refused_damaged_pdf():
    with pytest.raises(ImportRefused, match="could not be read"):
        read_document(b"%PDF-1.4\nthis is not really a pdf\n", "broken.pdf")


def test_refused_when_too_large_without_reading_it(monkeypatch):
    def must_not_run(*args, **kwargs):
        raise AssertionError("pdfminer was asked to read a file that is over the limit")

    monkeypatch.setattr("pdfminer.high_level.extract_text", must_not_run)
    monkeypatch.setattr(sources_module, "_decode", must_not_run)
    data = b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024)
    with pytest.raises(ImportRefused) as refused:
        read_document(data, "huge.pdf")
    assert str(refused.value) == "The file is 50.0 MB; the limit is 20 MB"
    with pytest.raises(ImportRefused, match="the limit is 1 MB"):
        import_bytes(b"x" * (1024 * 1024 + 1), "big.txt", max_bytes=1024 * 1024)


def test_pdf_with_text_is_read():
    data = pdf_with_text(
        "<h1>Firearms Assessment 2024</h1><h2>Supply</h2>"
        "<p>1. Converted pistols remain the most common firearm recovered.</p>"
        "<p>2. The scale of privately made firearms is unknown.</p>")
    assessment = import_bytes(data, "firearms.pdf")
    assert assessment.title == "Firearms Assessment 2024"
    assert [(paragraph.number, paragraph.section) for paragraph in assessment.paragraphs] == [
        (1, "Supply"), (2, "Supply")]
    assert [(gap.paragraph_number, gap.cue) for gap in assessment.candidate_gaps] == [
        (2, "unknown")]


def test_multipage_pdf_with_running_markers_and_bullets():
    paragraphs = "".join(
        f"<p>{number}. Paragraph {number} describes the supply of firearms in enough words to "
        f"wrap over several lines of the page, and the number of weapons involved is "
        f"{'unknown' if number == 7 else 'high'}.</p>" for number in range(1, 15))
    data = pdf_with_text(
        "<style>@page { size: A5; @top-center { content: 'OFFICIAL' } "
        "@bottom-center { content: 'OFFICIAL' } }</style>"
        "<h1>Firearms Threat Assessment 2024</h1><h2>Key Judgements</h2>"
        "<ul><li>Supply of converted weapons is rising.</li>"
        "<li>The scale of printed firearms is unknown.</li></ul><h2>Supply</h2>" + paragraphs)
    assessment = import_bytes(data, "firearms.pdf")
    assert assessment.metadata["marking"] == "OFFICIAL"
    assert [judgement.text for judgement in assessment.key_judgements] == [
        "Supply of converted weapons is rising.", "The scale of printed firearms is unknown."]
    assert [paragraph.number for paragraph in assessment.paragraphs
            if paragraph.number is not None] == list(range(1, 15))
    assert not any("OFFICIAL" in paragraph.text for paragraph in assessment.paragraphs)
    assert [gap.paragraph_number for gap in assessment.candidate_gaps] == [None, 7]


@pytest.mark.parametrize(("data", "text"), [
    ("1. Fraud is under\u2013reported.".encode("cp1252"), "1. Fraud is under\u2013reported."),
    ("\u201cQuoted\u201d \u2018text\u2019 \u2013 \u00a31m".encode("cp1252"),
     "\u201cQuoted\u201d \u2018text\u2019 \u2013 \u00a31m"),
    ("caf\u00e9 \u2013 ok".encode("utf-8"), "caf\u00e9 \u2013 ok"),
    (b"\xef\xbb\xbf1. With a byte-order mark.", "1. With a byte-order mark."),
    ("1. Saved as Unicode.".encode("utf-16"), "1. Saved as Unicode."),
    ("1. Saved as UTF-16 LE.".encode("utf-16-le"), "1. Saved as UTF-16 LE."),
])
def test_text_encodings(data, text):
    assert read_document(data, "assessment.txt") == text


def test_windows_1252_document_is_read_and_its_cues_found():
    document = ("Fraud Assessment\n\nScale\n\n"
                "1. Fraud against businesses is widely under\u2013reported to police.\n"
                "2. Officers called the group \u201cunknown\u201d in their notes.\n"
                "3. The losses to charities are not known \u2013 few report them.\n")
    assessment = import_bytes(document.encode("cp1252"), "fraud.txt")
    assert [(gap.paragraph_number, gap.cue) for gap in assessment.candidate_gaps] == [
        (1, "under-reported"), (3, "not known")]
    assert "under\u2013reported" in assessment.paragraphs[0].text


def test_title_from_the_filename_when_the_document_has_none():
    assessment = import_bytes(b"1. The scale is unknown.\n", "county_lines-2024.txt")
    assert assessment.title == "county lines 2024"
