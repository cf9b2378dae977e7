"""Turning an uploaded file's bytes (plain text or PDF) into text, refusing what is not."""

import io
import unicodedata

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_MEGABYTE = 1024 * 1024
# Control characters other than tab, newline, carriage return and form feed.
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f"}


class ImportRefused(ValueError):
    """A document the importer will not read; str() is a message to show the user."""


def refuse_if_too_large(size: int, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Refuse a file by its size alone, before anything reads it."""
    if size > max_bytes:
        limit = _megabytes(max_bytes, whole=True)
        raise ImportRefused(f"The file is {_megabytes(size)}; the limit is {limit}")


def read_document(data: bytes, filename: str = "", *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of a plain-text (UTF-8, UTF-16 or Windows-1252) or PDF document."""
    refuse_if_too_large(len(data), max_bytes)
    if not data.strip():
        raise ImportRefused("The file is empty")
    if _is_pdf(data):
        return _refuse_unstorable(_read_pdf(data))
    if filename.lower().endswith(".pdf"):
        raise ImportRefused("The file is named .pdf but is not a PDF: it may be damaged")
    _refuse_known_binary(data)
    text = _decode(data)
    if not text.strip():
        raise ImportRefused("The file is empty")
    return _refuse_unstorable(text)


def _refuse_unstorable(text: str) -> str:
    """Text as decoded, if it holds no NUL character and no lone surrogate, whatever the
    encoding it came in (no database stores either, and neither is ever meant as text)."""
    if "\x00" in text:
        raise ImportRefused("The file contains NUL characters, which text may not contain: "
                            "save it as plain text or PDF")
    if any("\ud800" <= character <= "\udfff" for character in text):
        raise ImportRefused("The file contains characters that are not valid Unicode: save it "
                            "again as UTF-8 text")
    return text


def _megabytes(size: int, *, whole: bool = False) -> str:
    """A size in megabytes as people read it ("50.0 MB", or "20 MB" for a round limit)."""
    value = size / _MEGABYTE
    if whole and value == int(value):
        return f"{int(value)} MB"
    return f"{value:.1f} MB"


def _is_pdf(data: bytes) -> bool:
    """Whether the bytes start (within the first kilobyte, as PDF allows) with %PDF-."""
    if data.lstrip().startswith(b"%PDF-"):
        return True
    return b"%PDF-" in data[:1024] and b"%%EOF" in data[-2048:]


def _read_pdf(data: bytes) -> str:
    """The text layer of a PDF, via pdfminer.six."""
    from pdfminer.high_level import extract_text  # imported here: slow, and only for PDFs
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        text = extract_text(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise ImportRefused("The PDF is password-protected: remove the password first") from error
    except MemoryError:  # a stream that inflates past the reader's allowance: not damage
        raise
    except Exception as error:  # pdfminer raises many kinds of error for damaged files
        raise ImportRefused(f"The PDF could not be read (it may be damaged): {error}") from error
    if not any(character.isalnum() for character in text):
        raise ImportRefused("The PDF has no text layer (scanned?): run OCR first")
    return text


def _refuse_known_binary(data: bytes) -> None:
    """Refuse office documents, archives and images with a message that says what they are."""
    if data.startswith(b"PK\x03\x04"):
        raise ImportRefused("The file is a Word document or another ZIP archive, not text: "
                            "save it as PDF or plain text")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused("The file is an old-style Office document, not text: "
                            "save it as PDF or plain text")
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")):
        raise ImportRefused("The file is an image, not text: run OCR first")


def _decode(data: bytes) -> str:
    """Decode text: UTF-16 (with a byte-order mark), UTF-8 (with or without one), Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_like_utf16(data):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ImportRefused("The file could not be decoded as text") from error
        return _checked(text)
    if b"\x00" in data:
        raise ImportRefused("The file is binary, not text: save it as plain text or PDF")
    try:
        return _checked(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass  # not UTF-8: try the next encoding
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            "The file could not be decoded: it is neither UTF-8 nor Windows-1252 text") from error
    text = _checked(text)
    non_ascii = sum(1 for character in text if ord(character) > 127)
    if non_ascii > 0.3 * max(1, len(text)):
        raise ImportRefused("The file is binary, not text: save it as plain text or PDF")
    return text


def _looks_like_utf16(data: bytes) -> bool:
    """Whether text without a byte-order mark is UTF-16 (every other byte zero)."""
    sample = data[:4000]
    if len(sample) < 4 or len(sample) % 2:
        return False
    zeros_odd = sample[1::2].count(0)
    zeros_even = sample[0::2].count(0)
    half = len(sample) // 2
    return max(zeros_odd, zeros_even) > 0.4 * half and min(zeros_odd, zeros_even) < 0.05 * half


def _checked(text: str) -> str:
    """Refuse decoded text that is mostly control characters (a binary file in disguise)."""
    controls = sum(1 for character in text
                   if character not in _ALLOWED_CONTROLS
                   and unicodedata.category(character) in ("Cc", "Cs", "Co"))
    if controls > 0.01 * max(1, len(text)):
        raise ImportRefused("The file is binary, not text: save it as plain text or PDF")
    return text.removeprefix("\ufeff")
