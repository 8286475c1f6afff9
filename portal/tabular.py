"""Previews and row counts of tabular files, read from storage in blocks (never whole).

A preview is `{"columns": [...], "rows": [[...], ...]}`: the header and the first
PREVIEW_ROWS data rows, every cell a string of at most CELL_CHARS characters, rows padded to
the widest row (extra columns get generated names `column_N`). The first row is the header.

Row counts are data rows (the header excluded, blank lines skipped):
- CSV/TSV: counted on the bytes, tracking quotes, so a quoted field spanning lines is one row;
  that is exact for UTF-8 and GB18030 alike (neither uses the bytes `"` or `\\n` inside a
  multi-byte character) and runs at memory speed on multi-GB files;
- XLSX: the first worksheet streamed with openpyxl in read-only mode, empty rows skipped;
- JSON: the elements of a top-level array, decoded one at a time (files up to
  PORTAL_JSON_COUNT_MAX_BYTES; larger ones get a preview and no count).
Anything that cannot be read as a table gets no preview and no count; never an error (the
file was already accepted by portal.sniffing).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings

PREVIEW_ROWS = 20
CELL_CHARS = 200
BLOCK_BYTES = 1024 * 1024
JSON_ELEMENT_MAX_BYTES = 1024 * 1024

log = logging.getLogger(__name__)
_BLANK_LINE = re.compile(rb"\n(?=\r?\n)")


@dataclass(frozen=True)
class Analysis:
    preview: dict[str, list] | None = None
    row_count: int | None = None


def analyse(file: IO[bytes], *, fmt: str, encoding: str, size: int) -> Analysis:
    """Preview and row count of a stored file of format `fmt` (a portal.sniffing code)."""
    try:
        if fmt in ("CSV", "TSV"):
            return _analyse_delimited(
                file, encoding=encoding, delimiter="," if fmt == "CSV" else "\t"
            )
        if fmt == "XLSX":
            return _analyse_xlsx(file)
        if fmt == "JSON":
            return _analyse_json(file, encoding=encoding, size=size)
    except Exception:  # a malformed table is still a valid file: no preview, not an error
        log.warning("No preview for a %s file", fmt, exc_info=True)
    return Analysis()


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False)
    elif hasattr(value, "isoformat"):
        text = value.isoformat()
    else:
        text = str(value)
    return text[:CELL_CHARS]


def make_preview(header: list[str], rows: list[list[str]]) -> dict[str, list]:
    width = max([len(header), *(len(r) for r in rows)])
    columns = [cell(h) for h in header] + [f"column_{n}" for n in range(len(header) + 1, width + 1)]
    padded = [[cell(v) for v in row] + [""] * (width - len(row)) for row in rows]
    return {"columns": columns, "rows": padded}


# --------------------------------------------------------------------------- CSV / TSV


def _analyse_delimited(file: IO[bytes], *, encoding: str, delimiter: str) -> Analysis:
    file.seek(0)
    preview = _delimited_preview(file, encoding=encoding, delimiter=delimiter)
    file.seek(0)
    count = delimited_row_count(file, delimiter=delimiter.encode())
    return Analysis(preview=preview, row_count=count)


def _delimited_preview(file: IO[bytes], *, encoding: str, delimiter: str) -> dict | None:
    # A non-closing view of the file: TextIOWrapper would close the storage file with it.
    text = io.TextIOWrapper(
        _Unclosable(file), encoding=encoding or "utf-8", errors="replace", newline=""
    )
    rows: list[list[str]] = []
    try:
        for row in csv.reader(text, delimiter=delimiter, strict=False):
            if not row:  # a blank line (the row count skips them too)
                continue
            rows.append(row)
            if len(rows) > PREVIEW_ROWS:
                break
    except csv.Error:
        log.info("CSV preview stopped early", exc_info=True)
    finally:
        text.detach()
    if not rows:
        return None
    return make_preview(rows[0], rows[1:])


def delimited_row_count(file: IO[bytes], *, delimiter: bytes = b",") -> int:
    """Data rows of a CSV/TSV, counted on the raw bytes the way the csv module reads them: a
    quote opens a quoted field only at the start of a field (`""` inside one is an escaped
    quote, a quote elsewhere is literal), line ends inside quoted fields do not end a row,
    blank lines are skipped and a last line without a line end counts."""
    state = _CountState(openers=(delimiter, b"\n", b"\r"))
    while True:
        block = file.read(BLOCK_BYTES)
        if not block:
            break
        block += file.readline()  # blocks end at a line end, so blank lines never straddle two
        if not state.in_quotes and b'"' not in block:
            state.count_unquoted(block)  # the fast path: no quotes at all
        else:
            state.count_block(block.split(b'"'))
    records = state.records + (1 if state.pending else 0)
    return max(records - state.blanks - 1, 0)


class _CountState:
    def __init__(self, *, openers: tuple[bytes, ...]) -> None:
        self.openers = openers
        self.records = self.blanks = 0
        self.in_quotes = False
        self.closed = False  # the last byte was a closing quote
        self.last = b"\n"  # the start of the file counts as a line start
        self.at_line_start = True
        self.pending = False  # a record has started that no line end has finished yet

    def count_block(self, segments: list[bytes]) -> None:
        for i, segment in enumerate(segments):
            if i:
                self._quote()
            if self.in_quotes or not segment:
                self.pending = self.pending or i > 0 or bool(segment)
                continue
            self.count_unquoted(segment)

    def _quote(self) -> None:
        if self.in_quotes:
            self.in_quotes, self.closed = False, True
        elif self.closed:  # `""` inside a quoted field: an escaped quote, still inside
            self.in_quotes, self.closed = True, False
        elif self.last in self.openers:
            self.in_quotes = True
        else:
            self.last = b'"'  # a literal quote inside an unquoted field
        self.at_line_start = False

    def count_unquoted(self, segment: bytes) -> None:
        self.closed = False
        self.records += segment.count(b"\n")
        self.blanks += len(_BLANK_LINE.findall(segment))
        if self.at_line_start and segment.startswith((b"\n", b"\r\n")):
            self.blanks += 1
        self.last = segment[-1:]
        self.at_line_start = self.last == b"\n"
        self.pending = not self.at_line_start


class _Unclosable(io.RawIOBase):
    def __init__(self, file: IO[bytes]) -> None:
        self._file = file

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._file.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:  # leave the underlying file open
        pass


# --------------------------------------------------------------------------- XLSX


def _analyse_xlsx(file: IO[bytes]) -> Analysis:
    import openpyxl  # imported here: it is slow to import and only needed for workbooks

    file.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
        try:
            if not workbook.worksheets:
                return Analysis()
            sheet = workbook.worksheets[0]
            return _table_of(_non_empty(sheet.iter_rows(values_only=True)))
        finally:
            workbook.close()


def _non_empty(rows: Iterable[tuple]) -> Iterator[list[str]]:
    for row in rows:
        values = [cell(v) for v in row]
        while values and values[-1] == "":
            values.pop()
        if values:
            yield values


def _table_of(rows: Iterator[list[str]]) -> Analysis:
    header = next(rows, None)
    if header is None:
        return Analysis()
    first: list[list[str]] = []
    count = 0
    for row in rows:
        if count < PREVIEW_ROWS:
            first.append(row)
        count += 1
    return Analysis(preview=make_preview(header, first), row_count=count)


# --------------------------------------------------------------------------- JSON


def _analyse_json(file: IO[bytes], *, encoding: str, size: int) -> Analysis:
    """A top-level array of objects is a table: columns are the keys in order of first
    appearance in the previewed objects."""
    file.seek(0)
    elements = iter_json_array(file, encoding=encoding or "utf-8")
    objects: list[dict] = []
    for element in elements:
        if not isinstance(element, dict):
            return Analysis()
        objects.append(element)
        if len(objects) == PREVIEW_ROWS:
            break
    if not objects:
        return Analysis()
    columns: list[str] = []
    for obj in objects:
        columns.extend(k for k in obj if k not in columns)
    rows = [[obj.get(k) for k in columns] for obj in objects]
    preview = make_preview(columns, rows)
    count = None
    if size <= settings.PORTAL_JSON_COUNT_MAX_BYTES:
        count = len(objects) + sum(1 for _ in elements)
    return Analysis(preview=preview, row_count=count)


def iter_json_array(file: IO[bytes], *, encoding: str) -> Iterator[Any]:
    """The elements of a top-level JSON array, decoded one at a time from blocks of text.
    Stops (ValueError) at malformed input or an element over JSON_ELEMENT_MAX_BYTES."""
    decoder = json.JSONDecoder()
    text = io.TextIOWrapper(_Unclosable(file), encoding=encoding, errors="strict")
    try:
        buffer = _fill(text, "").lstrip("\ufeff \t\r\n")
        if not buffer.startswith("["):
            return
        buffer = buffer[1:]
        while True:
            buffer = buffer.lstrip(" \t\r\n")
            if not buffer:
                buffer = _fill(text, buffer)
                if not buffer:
                    raise ValueError("Unterminated JSON array")
                continue
            if buffer[0] == "]":
                return
            if buffer[0] == ",":
                buffer = buffer[1:]
                continue
            value, end, buffer = _decode_one(decoder, text, buffer)
            yield value
            buffer = buffer[end:]
    finally:
        text.detach()


def _fill(text: io.TextIOWrapper, buffer: str) -> str:
    return buffer + text.read(BLOCK_BYTES // 4)


def _decode_one(decoder: json.JSONDecoder, text: io.TextIOWrapper, buffer: str):
    while True:
        try:
            value, end = decoder.raw_decode(buffer)
        except json.JSONDecodeError:
            if len(buffer) > JSON_ELEMENT_MAX_BYTES:
                raise ValueError("JSON element too large to preview") from None
            more = _fill(text, buffer)
            if len(more) == len(buffer):
                raise
            buffer = more
            continue
        # A number at the end of the buffer may continue in the next block.
        if end == len(buffer):
            more = _fill(text, buffer)
            if len(more) > len(buffer):
                buffer = more
                continue
        return value, end, buffer
