"""What an uploaded file really is: the format named by its extension, confirmed by its bytes.

`sniff_file` reads the head of the file (and, for archives, the central directory at its end;
for XML, a streamed parse that keeps nothing), never the whole file into memory. Every refusal
is a ValidationFailed on the field `file` with a message that says what was found, e.g. "The
content is HTML, not CSV." (pages translate these messages; the API shows them as they are).

Rules:
- the extension must name a supported format, and the bytes must agree with it;
- executables (MZ/PE, ELF, Mach-O, `#!` scripts) are refused whatever their name;
- text formats must decode (UTF-8, UTF-8 with BOM, or GB18030 which includes GBK/GB2312),
  contain no NUL bytes and few control characters, and must not be HTML;
- JSON starts with `{` or `[` (GeoJSON with `{`); XML starts with `<` and is parsed with
  defusedxml: entity declarations and external references are refused, and the document must
  be well-formed (checked up to 256 MiB; beyond that only the prolog can hold a DTD);
- ZIP-based formats (ZIP, XLSX, DOCX) are checked from the central directory before anything
  is extracted: entry count, total uncompressed size, compression ratio (bombs), and unsafe
  entry names (absolute, `..`, backslashes, drive letters, NUL) and symbolic links.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.conf import settings

from registry.errors import ValidationFailed

HEAD_BYTES = 64 * 1024
XML_PROLOG_MAX_BYTES = 8 * 1024 * 1024
XML_WELLFORMED_MAX_BYTES = 256 * 1024 * 1024
BOMB_MIN_BYTES = 1024 * 1024  # small entries compress extremely well without being bombs


@dataclass(frozen=True)
class FileFormat:
    code: str
    media_type: str
    extensions: tuple[str, ...]
    family: str  # text | zip | pdf | ole
    tabular: bool = False


FORMATS: dict[str, FileFormat] = {
    f.code: f
    for f in (
        FileFormat("CSV", "text/csv", (".csv",), "text", tabular=True),
        FileFormat("TSV", "text/tab-separated-values", (".tsv", ".tab"), "text", tabular=True),
        FileFormat("TXT", "text/plain", (".txt",), "text"),
        FileFormat("JSON", "application/json", (".json",), "text", tabular=True),
        FileFormat("GEOJSON", "application/geo+json", (".geojson",), "text"),
        FileFormat("XML", "application/xml", (".xml",), "text"),
        FileFormat(
            "XLSX",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (".xlsx",),
            "zip",
            tabular=True,
        ),
        FileFormat("XLS", "application/vnd.ms-excel", (".xls",), "ole"),
        FileFormat("PDF", "application/pdf", (".pdf",), "pdf"),
        FileFormat("ZIP", "application/zip", (".zip",), "zip"),
        FileFormat(
            "DOCX",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (".docx",),
            "zip",
        ),
    )
}
FORMAT_BY_EXTENSION = {ext: f for f in FORMATS.values() for ext in f.extensions}
ALLOWED_TEXT = "CSV, TSV, TXT, JSON, GeoJSON, XML, XLSX, XLS, PDF, ZIP, DOCX"

# Parts that must be present in an Office Open XML package of each format.
_OOXML_PARTS = {"XLSX": "xl/workbook.xml", "DOCX": "word/document.xml"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MACHO_MAGICS = (
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)
_HTML_START = re.compile(
    r"<(?:!doctype\s+html|html|head|body|script|iframe|meta|title|div|table|a\s|p>|!--)",
    re.IGNORECASE,
)
_XML_DECL_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']""")
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\v", "\x1a"}


@dataclass(frozen=True)
class Sniffed:
    format: str
    media_type: str
    extension: str
    encoding: str = ""  # text formats only

    @property
    def tabular(self) -> bool:
        return FORMATS[self.format].tabular


def refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={"file": [message]})


def format_for_name(name: str) -> FileFormat:
    """The format named by the file name's extension, or a refusal listing what is allowed."""
    dot = name.rfind(".")
    ext = name[dot:].lower() if dot > 0 else ""
    if not ext:
        raise refuse(f"The file name has no extension. Allowed: {ALLOWED_TEXT}.")
    fmt = FORMAT_BY_EXTENSION.get(ext)
    if fmt is None:
        raise refuse(f"Unsupported file type '{ext[:20]}'. Allowed: {ALLOWED_TEXT}.")
    return fmt


def sniff_file(file: IO[bytes], *, name: str) -> Sniffed:
    """Check `file` (readable, seekable, positioned anywhere) against the format its `name`
    claims. Leaves the position at 0."""
    fmt = format_for_name(name)
    ext = name[name.rfind(".") :].lower()
    file.seek(0)
    head = file.read(HEAD_BYTES)
    whole = len(head) < HEAD_BYTES
    file.seek(0)
    if not head:
        raise refuse("The file is empty.")
    _refuse_executable(head)
    encoding = ""
    if fmt.family == "text":
        encoding = _check_text(head, fmt, whole=whole)
        if fmt.code == "XML":
            encoding = _check_xml(file, head, encoding)
    elif fmt.family == "pdf":
        if b"%PDF-" not in head[:1024]:
            raise _mismatch(ext)
    elif fmt.family == "ole":
        if not head.startswith(_OLE_MAGIC):
            raise _mismatch(ext)
    else:
        if not head.startswith(b"PK\x03\x04"):
            raise _mismatch(ext)
        _check_zip(file, fmt)
    file.seek(0)
    return Sniffed(format=fmt.code, media_type=fmt.media_type, extension=ext, encoding=encoding)


def _mismatch(ext: str) -> ValidationFailed:
    return refuse(f"The content does not match the '{ext}' extension.")


def _refuse_executable(head: bytes) -> None:
    is_pe = head.startswith(b"MZ") and b"\x00" in head[:64]
    if is_pe or head.startswith(b"\x7fELF") or head.startswith(_MACHO_MAGICS):
        raise refuse("The file is an executable program, not data.")
    if head.startswith(b"#!"):
        raise refuse("The file is an executable script, not data.")


# --------------------------------------------------------------------------- text


def decode_head(head: bytes, *, whole: bool) -> tuple[str, str] | None:
    """(encoding, text) for UTF-8 (with or without BOM) or GB18030, else None. A head cut in
    the middle of a multi-byte character still decodes (the decoder is not told it ended)."""
    candidates = ("utf-8-sig",) if head.startswith(codecs.BOM_UTF8) else ("utf-8", "gb18030")
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            return encoding, decoder.decode(head, final=whole)
        except UnicodeDecodeError:
            continue
    return None


def _check_text(head: bytes, fmt: FileFormat, *, whole: bool) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise refuse("UTF-16 text is not supported; save the file as UTF-8.")
    if b"\x00" in head:
        raise refuse(f"The content is binary data, not {fmt.code} text.")
    decoded = decode_head(head, whole=whole)
    if decoded is None:
        raise refuse("The text is not encoded in UTF-8 or GB18030 (GBK).")
    encoding, text = decoded
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc")
    controls -= sum(text.count(ch) for ch in _ALLOWED_CONTROLS)
    if controls > max(2, len(text) // 100):
        raise refuse(f"The content is binary data, not {fmt.code} text.")
    start = text.lstrip("\ufeff \t\r\n")
    if fmt.code != "XML" and _HTML_START.match(start):
        raise refuse(f"The content is HTML, not {fmt.code}.")
    if fmt.code in ("CSV", "TSV", "TXT") and start.startswith("<?xml"):
        raise refuse(f"The content is XML, not {fmt.code}.")
    if fmt.code == "JSON" and start[:1] not in ("{", "["):
        raise refuse("A JSON file must start with '{' or '['.")
    if fmt.code == "GEOJSON" and start[:1] != "{":
        raise refuse("A GeoJSON file must be a JSON object starting with '{'.")
    if fmt.code == "XML":
        if start[:1] != "<":
            raise refuse("An XML file must start with '<'.")
        if re.match(r"<(?:!doctype\s+html|html[\s>])", start, re.IGNORECASE):
            raise refuse("The content is HTML, not XML.")
    return encoding


# --------------------------------------------------------------------------- XML


class _PrologTarget:
    """Keeps nothing (memory stays flat whatever the document's size); notes the root."""

    root_seen = False

    def start(self, tag, attrib):
        self.root_seen = True

    def close(self):
        return None


def _check_xml(file: IO[bytes], head: bytes, detected: str) -> str:
    """Parse with defusedxml: a DTD with entity declarations or an external reference is
    refused. The whole document is checked for well-formedness up to XML_WELLFORMED_MAX_BYTES;
    past that only the prolog matters (no DTD can follow the root element). Text is decoded
    here and fed to expat as str, so GB18030 documents parse although expat itself only knows
    UTF-8/16 and Latin-1."""
    encoding = _declared_encoding(head.lstrip(codecs.BOM_UTF8 + b" \t\r\n")) or detected
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    target = _PrologTarget()
    parser = DefusedXMLParser(
        target=target, forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    read = 0
    file.seek(0)
    try:
        while True:
            block = file.read(HEAD_BYTES)
            read += len(block)
            text = decoder.decode(block, final=not block)
            if read == len(block):  # the first block
                text = text.lstrip("\ufeff")
            parser.feed(text)
            if not block:
                parser.close()
                return encoding
            if target.root_seen and read >= XML_WELLFORMED_MAX_BYTES:
                return encoding
            if not target.root_seen and read >= XML_PROLOG_MAX_BYTES:
                raise refuse("The XML prolog is too long (no root element in the first 8 MiB).")
    except DefusedXmlException:
        raise refuse("XML with entity declarations or external references is refused.") from None
    except UnicodeDecodeError:
        raise refuse(f"The XML is not valid {encoding} text.") from None
    except ValidationFailed:
        raise
    except Exception as exc:  # expat's ParseError, and anything a hostile document triggers
        raise refuse(f"The XML is not well-formed: {str(exc)[:120]}.") from None


def _declared_encoding(head: bytes) -> str | None:
    match = _XML_DECL_ENCODING.match(head)
    if not match:
        return None
    try:
        name = codecs.lookup(match[1].decode("ascii")).name
    except LookupError:
        raise refuse(f"The XML declares an unknown encoding '{match[1].decode()}'.") from None
    if name in ("gb2312", "gbk"):
        return "gb18030"  # a superset: files labelled GB2312 routinely contain GBK characters
    return "utf-8-sig" if name == "utf-8" else name


# --------------------------------------------------------------------------- archives


def _check_zip(file: IO[bytes], fmt: FileFormat) -> None:
    try:
        archive = zipfile.ZipFile(file)
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise refuse("The archive is damaged or not a ZIP file.") from None
    check_archive_entries(infos)
    names = {info.filename for info in infos}
    required = _OOXML_PARTS.get(fmt.code)
    if required and (required not in names or "[Content_Types].xml" not in names):
        label = "an Excel workbook (XLSX)" if fmt.code == "XLSX" else "a Word document (DOCX)"
        raise refuse(f"The content is a ZIP archive but not {label}.")


def check_archive_entries(infos: list[zipfile.ZipInfo]) -> None:
    """Limits from settings, checked on the central directory only (nothing is extracted).
    Declared sizes bound what zipfile will ever decompress for an entry."""
    if not infos:
        raise refuse("The archive is empty.")
    if len(infos) > settings.PORTAL_ZIP_MAX_ENTRIES:
        raise refuse(
            f"The archive has too many entries (at most {settings.PORTAL_ZIP_MAX_ENTRIES})."
        )
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    if total > settings.PORTAL_ZIP_MAX_UNCOMPRESSED_BYTES:
        raise refuse(
            f"The archive expands to more than {settings.PORTAL_ZIP_MAX_UNCOMPRESSED_BYTES} bytes."
        )
    ratio = settings.PORTAL_ZIP_MAX_RATIO
    if total > BOMB_MIN_BYTES and total > packed * ratio:
        raise refuse(f"The archive's compression ratio exceeds {ratio}:1 (a zip bomb?).")
    for info in infos:
        _check_entry(info, ratio)


def _check_entry(info: zipfile.ZipInfo, ratio: int) -> None:
    name = info.filename
    shown = name[:100].encode("unicode_escape").decode("ascii")
    parts = name.replace("\\", "/").split("/")
    if (
        not name
        or "\x00" in name
        or "\\" in name
        or name.startswith("/")
        or re.match(r"^[A-Za-z]:", name)
        or ".." in parts
    ):
        raise refuse(f"The archive contains an unsafe entry name: {shown}")
    if info.create_system == 3 and (info.external_attr >> 16) & 0o170000 == 0o120000:
        raise refuse(f"The archive contains a symbolic link: {shown}")
    if info.flag_bits & 0x1:
        raise refuse("The archive is encrypted; upload it without a password.")
    if info.file_size > BOMB_MIN_BYTES and info.file_size > max(info.compress_size, 1) * ratio:
        raise refuse(f"The archive's compression ratio exceeds {ratio}:1 (a zip bomb?).")
