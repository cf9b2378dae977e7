"""Uploads that cannot hurt the service: a document is read in a child process within limits
of time, memory and paragraphs; over any limit the page says so (422) and nothing is written."""

import io
import time
import zlib

import pytest
from sqlalchemy import func, select

from gaps.importer import ImportRefused
from gaps.models import Assessment
from gaps.uploads import ReadingLimits, read_upload


@pytest.fixture
def app_overrides():
    return {"GAPS_UPLOAD_SECONDS": 8, "GAPS_UPLOAD_MEMORY_MB": 192, "GAPS_UPLOAD_PARAGRAPHS": 500}


def _pdf_inflating_to(megabytes: int) -> bytes:
    """A small PDF whose one page's content stream inflates to `megabytes` of operators."""
    squeezer = zlib.compressobj(9)
    line = b"BT /F1 12 Tf 72 712 Td (Scale unknown) Tj ET\n"
    chunk = line * (1024 * 1024 // len(line))
    stream = b"".join(squeezer.compress(chunk) for _ in range(megabytes)) + squeezer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" /Filter /FlateDecode >>\nstream\n"
        + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
              .encode())
    return out.getvalue()


def _assessments(db) -> int:
    return db.session.execute(select(func.count()).select_from(Assessment)).scalar_one()


def _upload(browser, data: bytes, name: str):
    return browser.post("/assessments/import", data={"document": (io.BytesIO(data), name)},
                        content_type="multipart/form-data")


def test_a_pdf_that_inflates_enormously_is_refused_in_time(login_as, db):
    bomb = _pdf_inflating_to(300)
    assert len(bomb) < 2_000_000
    before = _assessments(db)
    started = time.monotonic()
    response = _upload(login_as("manager"), bomb, "bomb.pdf")
    assert time.monotonic() - started < 20
    assert response.status_code == 422
    assert "too large or too complex to read" in response.text
    assert "Nothing was written" in response.text
    assert _assessments(db) == before


def test_too_many_paragraphs_are_refused_with_the_count_and_the_limit(login_as, db):
    text = "\n\n".join(f"{number}. The scale of this is unknown." for number in range(1, 2001))
    before = _assessments(db)
    response = _upload(login_as("manager"), text.encode(), "long.txt")
    assert response.status_code == 422
    assert "too large or too complex to read: 2,000 paragraphs, limit 500" in response.text
    assert _assessments(db) == before


def test_a_nul_hidden_in_utf16_is_refused(login_as, db):
    text = "Key judgements\n\n1. The scale is unknown.\x00 More text.\n"
    before = _assessments(db)
    response = _upload(login_as("manager"), text.encode("utf-16"), "sneaky.txt")
    assert response.status_code == 422
    assert "The file is binary, not text" in response.text
    assert "Nothing was written" in response.text
    assert _assessments(db) == before


def test_a_reasonable_document_is_read_in_the_child_and_comes_back_whole():
    text = "\n\n".join(["Key judgements", "1. The scale of online grooming is unknown.",
                        "2. Offenders use encryption; how many is not known."])
    read, imported = read_upload(text.encode(), "small.txt", "Small", ReadingLimits())
    assert read == text and imported.title == "Small"
    assert [gap.sentence for gap in imported.candidate_gaps] == [
        "The scale of online grooming is unknown.",
        "Offenders use encryption; how many is not known."]


def test_a_reading_that_takes_too_long_is_stopped():
    text = "\n\n".join(f"{number}. The true number of victims is difficult to estimate and "
                       f"most offences are never reported." for number in range(1, 6001))
    started = time.monotonic()
    with pytest.raises(ImportRefused, match="takes longer than 0.5 seconds"):
        read_upload(text.encode(), "slow.txt", None, ReadingLimits(seconds=0.5))
    assert time.monotonic() - started < 5
