"""From a log file's bytes to its text, failing fast on input that cannot be a CSV log.

Step 1 of the reader (:mod:`stretchlog.log.reader`): an empty file, a binary file,
a spreadsheet workbook or a PDF, UTF-16 text, or bytes that are not UTF-8 each give
one clear problem (with how to export the file again, where that is the fix). Only
the first :data:`HEAD_BYTES` are looked at for binary input.
"""

from __future__ import annotations

import csv
import io
import re

from stretchlog.log import schema
from stretchlog.log.errors import LogError, Problem

__all__ = ["HEAD_BYTES", "EXPORT", "file_problem", "check_head", "decode_text"]

#: The first bytes of a file, looked at before the rest is read.
HEAD_BYTES = 64 * 1024


def file_problem(expected: str, name: str) -> LogError:
    """A LogError with one problem about the whole file (no row, no column)."""
    return LogError([Problem(None, None, None, expected)], name)


_SIGNATURES = {
    b"PK\x03\x04": "an Excel or OpenDocument workbook (a zip file), not CSV text",
    b"\xd0\xcf\x11\xe0": "an old-style Excel workbook (.xls), not CSV text",
    b"%PDF": "a PDF document, not CSV text",
}
#: How to export a spreadsheet as a CSV log, the fix of most unreadable files.
EXPORT = "in your spreadsheet choose File > Save as (or Download) > 'CSV UTF-8 (comma-delimited)'"


#: Control characters other than CR, LF and tab, and the replacement for undecodable bytes.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")


def check_head(head: bytes, name: str) -> None:
    """Fail fast on input that cannot be a CSV log, looking at its first bytes only.

    Raises
    ------
    LogError
        With one problem about the whole file: empty, a workbook or PDF, UTF-16,
        binary, or mostly unreadable bytes.
    """
    if not head.removeprefix(b"\xef\xbb\xbf").strip():
        raise file_problem(
            "a CSV log with a header row (this file is empty); the header needs at least "
            + ", ".join(schema.REQUIRED_COLUMNS),
            name,
        )
    for sig, what in _SIGNATURES.items():
        if head.startswith(sig):
            raise file_problem(f"CSV text, but this is {what}: {EXPORT}", name)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\x00" in head[:200] and head[1:200:2].count(0) > 50):
        raise file_problem(f"UTF-8 text, but this file is UTF-16 encoded: {EXPORT}", name)
    if b"\x00" in head:
        pos = head.index(b"\x00")
        raise file_problem(f"CSV text, but this is a binary file (a zero byte at byte {pos + 1})", name)
    text = head.decode("utf-8", errors="replace")
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 20):
        raise file_problem("CSV text, but this looks like a binary file (mostly unreadable bytes)", name)


def decode_text(raw: bytes, name: str) -> str:
    """The file's text: UTF-8, without a byte-order mark.

    Raises
    ------
    LogError
        When a byte is not UTF-8, naming its row and what it is in Windows-1252.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        row = _row_at(raw, exc.start)
        byte = raw[exc.start]
        try:
            guess = bytes([byte]).decode("cp1252")
            legacy = f" (in Windows-1252/Latin-1 that byte is '{guess}')"
        except UnicodeDecodeError:
            legacy = ""
        raise LogError(
            [
                Problem(
                    row,
                    None,
                    None,
                    f"UTF-8 text, but byte 0x{byte:02X} at row {row} is not UTF-8{legacy}: the file "
                    f"looks like it was saved in a legacy encoding such as Windows-1252 or "
                    f"Latin-1. To fix it, {EXPORT}",
                )
            ],
            name,
        ) from None


def _row_at(raw: bytes, pos: int) -> int:
    """The row (as a spreadsheet counts rows: quoted line breaks stay in their row) holding byte ``pos``."""
    prefix = raw[:pos].decode("utf-8", errors="replace")
    try:
        # a sentinel lands in the record that holds the byte, however the prefix ends
        return sum(1 for _ in csv.reader(io.StringIO(prefix + "x", newline="")))
    except csv.Error:
        return raw.count(b"\n", 0, pos) + 1
