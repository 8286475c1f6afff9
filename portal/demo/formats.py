"""Writers that turn a demo table into file bytes: CSV (UTF-8, UTF-8 with BOM, GBK), XLSX, JSON,
GeoJSON, XML, PDF and ZIP. Every writer is deterministic: the same table gives the same bytes
(archive entry times and document dates come from the table's `as_of` date, never the clock).
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree as ET

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

Value = str | int | float | decimal.Decimal | bool | dt.date | dt.datetime | None


@dataclass
class Table:
    """Rows of one demo file. `lon`/`lat` name the coordinate columns for a point GeoJSON;
    `shapes` (one GeoJSON geometry per row) replaces them for lines and polygons."""

    columns: list[str]
    rows: list[list[Value]]
    as_of: dt.date
    lon: str = ""
    lat: str = ""
    shapes: list[dict[str, Any]] | None = None
    sheet: str = "数据"
    root: str = "records"  # XML root and row element names
    item: str = "record"


@dataclass
class Report:
    """A short PDF publication: title, paragraphs and an optional table excerpt."""

    title: str
    subtitle: str
    paragraphs: list[str]
    as_of: dt.date
    table: Table | None = None
    table_rows: int = 25
    notes: list[str] = field(default_factory=list)


@dataclass
class Bundle:
    """Files to pack into one ZIP archive, each entry (name, bytes)."""

    entries: list[tuple[str, bytes]]
    as_of: dt.date


def cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_bytes(table: Table, *, encoding: str = "utf-8", bom: bool = False) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows([cell(v) for v in row] for row in table.rows)
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def _json_value(value: Value) -> Any:
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, decimal.Decimal):
        return float(value)
    return cell(value)


def records(table: Table) -> list[dict[str, Any]]:
    return [
        {c: _json_value(v) for c, v in zip(table.columns, row, strict=True)} for row in table.rows
    ]


def json_bytes(table: Table) -> bytes:
    """An array of objects, one per line: readable, and compact enough for thousands of rows."""
    lines = [json.dumps(obj, ensure_ascii=False, separators=(",", ":")) for obj in records(table)]
    return ("[\n" + ",\n".join(lines) + "\n]\n").encode("utf-8")


def geojson_bytes(table: Table, *, name: str) -> bytes:
    features = []
    for index, props in enumerate(records(table)):
        if table.shapes is not None:
            geometry = table.shapes[index]
        else:
            lon, lat = props[table.lon], props[table.lat]
            geometry = {"type": "Point", "coordinates": [lon, lat]}
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    collection = {"type": "FeatureCollection", "name": name, "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def xml_bytes(table: Table, *, title: str) -> bytes:
    root = ET.Element(table.root, {"title": title, "generated": table.as_of.isoformat()})
    for row in table.rows:
        item = ET.SubElement(root, table.item)
        for column, value in zip(table.columns, row, strict=True):
            ET.SubElement(item, "field", {"name": column}).text = cell(value)
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _fixed_zip(entries: list[tuple[str, bytes]], when: dt.date) -> bytes:
    stamp = (when.year, when.month, when.day, 9, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return out.getvalue()


def zip_bytes(bundle: Bundle) -> bytes:
    return _fixed_zip(bundle.entries, bundle.as_of)


def xlsx_bytes(table: Table) -> bytes:
    # openpyxl stamps the workbook and every archive entry with the wall clock; build it, then
    # rewrite the archive with the table's date so that the bytes only depend on the table.
    book = Workbook(write_only=True)
    stamp = dt.datetime.combine(table.as_of, dt.time(9, 0))
    book.properties.creator = "公共数据开放平台"
    book.properties.created = stamp
    sheet = book.create_sheet(table.sheet)
    bold = Font(bold=True)
    header = []
    for name in table.columns:
        cell_ = WriteOnlyCell(sheet, value=name)
        cell_.font = bold
        header.append(cell_)
    sheet.append(header)
    for row in table.rows:
        sheet.append([_xlsx_value(v) for v in row])
    raw = io.BytesIO()
    book.save(raw)
    return _restamp(raw.getvalue(), stamp)


def _xlsx_value(value: Value) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def _restamp(data: bytes, stamp: dt.datetime) -> bytes:
    modified = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    entries = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            body = archive.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _replace_modified(body, modified)
            entries.append((info.filename, body))
    return _fixed_zip(entries, stamp.date())


def _replace_modified(core: bytes, stamp: bytes) -> bytes:
    start = core.find(b"<dcterms:modified")
    if start < 0:
        return core
    open_end = core.find(b">", start) + 1
    close = core.find(b"</dcterms:modified>", open_end)
    return core[:open_end] + stamp + core[close:]


def pdf_bytes(report: Report) -> bytes:
    # STSong-Light is one of the CID fonts PDF readers supply: nothing is embedded.
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    font = "STSong-Light"
    title = ParagraphStyle("t", fontName=font, fontSize=17, leading=24, spaceAfter=4)
    sub = ParagraphStyle("s", fontName=font, fontSize=10, leading=14, textColor=colors.grey)
    body = ParagraphStyle("b", fontName=font, fontSize=10.5, leading=17, firstLineIndent=21)
    small = ParagraphStyle("n", fontName=font, fontSize=8.5, leading=12, textColor=colors.grey)
    story: list[Any] = [Paragraph(report.title, title), Paragraph(report.subtitle, sub)]
    story.append(Spacer(1, 6 * mm))
    story.extend(Paragraph(text, body) for text in report.paragraphs)
    if report.table is not None:
        story.append(Spacer(1, 4 * mm))
        story.append(_pdf_table(report.table, report.table_rows, font))
    if report.notes:
        story.append(Spacer(1, 4 * mm))
        story.extend(Paragraph(text, small) for text in report.notes)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=report.title,
        author="公共数据开放平台",
        invariant=1,  # no creation date or random document id: reproducible bytes
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    doc.build(story)
    return out.getvalue()


def _pdf_table(table: Table, limit: int, font: str) -> PdfTable:
    data = [table.columns] + [[cell(v) for v in row] for row in table.rows[:limit]]
    grid = PdfTable(data, repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#b0b8c4")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return grid
