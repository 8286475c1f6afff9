"""Reading tabular files for ingest: profiling (encoding, delimiter, header), streaming rows,
lossless type inference and field naming.

Nothing here loads a whole file: CSV/TSV stream through an incremental decoder, XLSX through
openpyxl's read-only mode (its XML parser does not expand entities), JSON arrays are parsed
only up to a size limit. Every row comes with its 1-based line (or sheet row) number so that
a failure report can point at it.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings

from portal.datastore.models import ColumnType

TABULAR_FORMATS = frozenset({"CSV", "TSV", "XLSX", "JSON"})
_DELIMITERS = ",\t;|"
_HEAD_BYTES = 64 * 1024

csv.field_size_limit(16 * 1024 * 1024)


class IngestError(Exception):
    """The file cannot be loaded. `lines` points at the offending rows."""

    def __init__(self, message: str, *, lines: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.lines = lines or []


@dataclass
class Profile:
    fmt: str
    encoding: str = "utf-8"
    delimiter: str = ","
    headers: list[str] = field(default_factory=list)
    # Set by a complete pass over a CSV/TSV whose every row PostgreSQL's own CSV parser reads
    # exactly as this module does (see `_copy_safe_row`): the file may then be COPYed as it is.
    copy_safe: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.fmt,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "headers": self.headers,
        }


# --------------------------------------------------------------------------- profiling


def detect_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM) when the head decodes as UTF-8, else GB18030 (a superset
    of GBK and GB2312) when it decodes as that, else charset-normaliser's best guess."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            decoder.decode(head, final=False)  # a character cut at the end is not an error
            return encoding
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    if best is None:
        raise IngestError("The file's text encoding could not be recognised.")
    return best.encoding


def detect_delimiter(sample: str, fmt: str) -> str:
    """The candidate that splits the sample's first lines (parsed with quoting) into the same
    number of fields, more than one, most consistently; ties go to the comma. More robust
    than csv.Sniffer, which is misled by delimiters inside quoted headers."""
    if fmt == "TSV":
        return "\t"
    lines = sample.splitlines()[:51]
    if len(lines) > 1:
        lines = lines[:-1]  # the last line of a sample may be cut short
    best, best_score = ",", (0, 0)
    for candidate in _DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=candidate) if row]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        score = (sum(1 for c in counts if c == counts[0]), counts[0])
        if score > best_score:
            best, best_score = candidate, score
    return best


def profile_file(fh: IO[bytes], fmt: str, *, encoding: str = "") -> Profile:
    """`encoding`: the one the upload's sniffing found (DistributionVersion.encoding), used
    as it is; detected from the head when empty."""
    if fmt not in TABULAR_FORMATS:
        raise IngestError(f"{fmt} files are not tabular.")
    profile = Profile(fmt=fmt)
    if fmt in ("CSV", "TSV"):
        head = fh.read(_HEAD_BYTES)
        fh.seek(0)
        if b"\x00" in head:
            raise IngestError("The file contains NUL bytes: it is not a text table.")
        profile.encoding = encoding or detect_encoding(head)
        sample = head.decode(profile.encoding, errors="ignore")
        profile.delimiter = detect_delimiter(sample, fmt)
    return profile


# --------------------------------------------------------------------------- rows


def _clean_cell(value: Any) -> str | None:
    """A cell as text; empty cells are NULL. NUL characters cannot be stored in PostgreSQL
    text and are removed (reported as a warning by the caller)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        value = int(value)
    if isinstance(value, dt.datetime):
        text = value.isoformat(sep=" ")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    if "\x00" in text:
        text = text.replace("\x00", "")
    return text if text.strip() != "" else None


def iter_rows(fh: IO[bytes], profile: Profile) -> Iterator[tuple[int, list[str | None]]]:
    """(line number, cells) for every data row; the header row is consumed into
    `profile.headers` first."""
    if profile.fmt in ("CSV", "TSV"):
        yield from _iter_csv(fh, profile)
    elif profile.fmt == "XLSX":
        yield from _iter_xlsx(fh, profile)
    else:
        yield from _iter_json(fh, profile)


def _iter_csv(fh: IO[bytes], profile: Profile) -> Iterator[tuple[int, list[str | None]]]:
    text = io.TextIOWrapper(fh, encoding=profile.encoding, errors="strict", newline="")
    reader = csv.reader(text, delimiter=profile.delimiter)
    try:
        header = next(reader, None)
        if header is None:
            raise IngestError("The file is empty.")
        profile.headers = list(header)
        width = len(header)
        safe = not any(_UNSAFE.search(h) for h in header)
        for cells in reader:
            # `_clean_cell` of text, for a whole row at once: a row of blank cells is
            # skipped, a blank cell is NULL, NUL characters are removed.
            joined = "".join(cells)
            if not joined.strip():
                safe = False
                continue
            if "\x00" in joined:
                row = [_clean_cell(c) for c in cells]
            else:
                row = [c if c.strip() else None for c in cells]
            if safe and not _copy_safe_row(cells, row, width, joined):
                safe = False
            yield reader.line_num, row
        profile.copy_safe = safe
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"The file is not valid {profile.encoding} text near line {reader.line_num + 1}.",
            lines=[{"line": reader.line_num + 1, "problem": "undecodable bytes"}],
        ) from exc
    except csv.Error as exc:
        raise IngestError(
            f"Malformed CSV near line {reader.line_num}: {exc}.",
            lines=[{"line": reader.line_num, "problem": str(exc)}],
        ) from exc
    finally:
        text.detach()


_UNSAFE = re.compile(r'["\r\n\x00]')


def _copy_safe_row(cells: list[str], row: list[str | None], width: int, joined: str) -> bool:
    """Whether PostgreSQL's CSV parser (FORCE_NULL on every column) reads this row as we do:
    the header's width, no quote characters inside values (PostgreSQL would take one in an
    unquoted value as quoting), no line breaks or NULs, no whitespace-only cells (NULL here,
    text there) and no `\\.` line (COPY's end-of-data marker). `joined`: the cells joined."""
    if len(cells) != width or _UNSAFE.search(joined):
        return False
    return row.count(None) == cells.count("") and "\\." not in cells


def _iter_xlsx(fh: IO[bytes], profile: Profile) -> Iterator[tuple[int, list[str | None]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(fh, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise IngestError(f"The workbook cannot be read: {exc}.") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise IngestError("The first sheet is empty.")
        profile.headers = ["" if h is None else str(h) for h in header]
        for number, values in enumerate(rows, start=2):
            cells = [_clean_cell(v) for v in values]
            if any(c is not None for c in cells):
                yield number, cells
    finally:
        workbook.close()


def _iter_json(fh: IO[bytes], profile: Profile) -> Iterator[tuple[int, list[str | None]]]:
    limit = settings.DATASTORE_JSON_MAX_BYTES
    raw = fh.read(limit + 1)
    if len(raw) > limit:
        raise IngestError(
            f"JSON files above {limit // (1024 * 1024)} MiB cannot be loaded; use CSV."
        )
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IngestError(f"The JSON cannot be parsed: {exc}.") from exc
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise IngestError("Only a JSON array of objects can be loaded as a table.")
    keys: dict[str, None] = {}
    for item in data:
        for key in item:
            keys.setdefault(str(key), None)
    profile.headers = list(keys)
    for number, item in enumerate(data, start=1):
        cells = []
        for key in profile.headers:
            value = item.get(key)
            if isinstance(value, dict | list):
                value = json.dumps(value, ensure_ascii=False)
            cells.append(_clean_cell(value))
        yield number, cells


# --------------------------------------------------------------------------- columns


_SAFE_ID = re.compile(r"[^0-9A-Za-z_\u3400-\u4dbf\u4e00-\u9fff]+")


def field_ids(headers: list[str]) -> list[tuple[str, str]]:
    """(API field id, label) per header. Ids are the NFC-normalised header with unsafe
    characters replaced, at most 60 characters, unique (`_2`, `_3` … on clashes), and
    `field_N` for empty headers; they name fields in the API and never reach SQL."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for index, header in enumerate(headers, start=1):
        label = unicodedata.normalize("NFC", str(header)).strip()[:500]
        base = _SAFE_ID.sub("_", label).strip("_")[:60] or f"field_{index}"
        if base.startswith("_"):
            base = "f" + base
        candidate, n = base, 1
        while candidate.lower() in seen:
            n += 1
            candidate = f"{base[:56]}_{n}"
        seen.add(candidate.lower())
        out.append((candidate, label))
    return out


_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?\Z"
)
_BIGINT = 2**63


def _fits_integer(value: str) -> bool:
    """A canonical integer within 64 bits (eighteen characters always fit)."""
    if not _INTEGER.match(value):
        return False
    return len(value) <= 18 or -_BIGINT <= int(value) < _BIGINT


def _fits_numeric(value: str) -> bool:
    return bool(_INTEGER.match(value) or _DECIMAL.match(value))


def _fits(kind: str, value: str) -> bool:
    if kind == ColumnType.INTEGER:
        return _fits_integer(value)
    if kind == ColumnType.NUMERIC:
        return _fits_numeric(value)
    if kind == ColumnType.DATE:
        if not _DATE.match(value):
            return False
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return False
        return True
    if kind == ColumnType.TIMESTAMP:
        if not _TIMESTAMP.match(value):
            return False
        try:
            dt.datetime.fromisoformat(value)
        except ValueError:
            return False
        return True
    return True


# Candidates narrow from the strictest; a value that fits none of them makes the column text.
_NARROWING = (ColumnType.INTEGER, ColumnType.NUMERIC, ColumnType.DATE, ColumnType.TIMESTAMP)


class TypeInferrer:
    """Lossless inference: a column gets a type only if every non-empty value is written in
    that type's canonical form, so the loaded value prints back as the original text.
    `00123`, `+5`, `1E5`, `NaN`, `1,000` and `2024/1/5` stay text; an integer beyond 64 bits
    is numeric (PostgreSQL numeric is exact).

    It sees every cell of a file, so the common states have their own short paths (the same
    decisions as `_fits` on each candidate): a column that is already text costs nothing; an
    integer column checks one pattern (a canonical integer is a canonical numeric too); a
    column of dates checks each distinct value once."""

    _CACHED = 4096  # distinct date/timestamp values remembered per column

    def __init__(self, width: int) -> None:
        self.candidates = [set(_NARROWING) for _ in range(width)]
        self.seen = [False] * width
        self._verified: list[set[str]] = [set() for _ in range(width)]
        self._active = list(range(width))

    def widen(self, width: int) -> None:
        while len(self.candidates) < width:
            self._active.append(len(self.candidates))
            self.candidates.append(set(_NARROWING))
            self.seen.append(False)
            self._verified.append(set())

    def add(self, cells: list[str | None]) -> None:
        """The cells of one row (extra cells beyond the width are ignored, missing ones are
        empty)."""
        short = len(cells) < len(self.candidates)
        narrowed = False
        for index in self._active:
            if short and index >= len(cells):
                continue
            value = cells[index]
            if value is None:
                continue
            self.seen[index] = True
            remaining = self.candidates[index]
            if len(remaining) <= 2 and ColumnType.NUMERIC in remaining:
                # {integer, numeric} or {numeric}: the one pattern that decides.
                if ColumnType.INTEGER in remaining and _fits_integer(value):
                    continue
                remaining.discard(ColumnType.INTEGER)
                if not _fits_numeric(value):
                    remaining.clear()
                    narrowed = True
                continue
            if len(remaining) == 1 and value in self._verified[index]:
                continue  # a date or timestamp already found to fit
            remaining.difference_update([k for k in remaining if not _fits(k, value)])
            if not remaining:
                narrowed = True
            elif len(remaining) == 1 and len(self._verified[index]) < self._CACHED:
                self._verified[index].add(value)
        if narrowed:
            self._active = [i for i in self._active if self.candidates[i]]

    def types(self) -> list[str]:
        out = []
        for seen, remaining in zip(self.seen, self.candidates, strict=True):
            if not seen or not remaining:
                out.append(ColumnType.TEXT)
            else:
                out.append(next(k for k in _NARROWING if k in remaining))
        return out


def check_value(kind: str, value: str) -> bool:
    """Whether a value can be loaded into a column of `kind` (used for holder overrides)."""
    return _fits(kind, value)
