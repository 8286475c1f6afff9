"""Small, valid one-page PDF documents for demo attachments, generated in code.

Text uses the standard CJK font STSong-Light with the UniGB-UCS2-H encoding, which PDF
readers supply themselves, so no font is embedded and the files stay around 1.5 KB.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile


def _text(value: str) -> str:
    return "<" + value.encode("utf-16-be").hex().upper() + ">"


def _content(title: str, lines: list[str]) -> bytes:
    ops = [f"BT /F1 18 Tf 72 760 Td {_text(title)} Tj ET"]
    y = 720
    for line in lines:
        ops.append(f"BT /F1 11 Tf 72 {y} Td {_text(line)} Tj ET")
        y -= 20
    return "\n".join(ops).encode("ascii")


def pdf_bytes(title: str, lines: list[str]) -> bytes:
    stream = _content(title, lines)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> "
        b"/FontDescriptor 7 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
        b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        b"/CapHeight 880 /StemV 93 >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_upload(filename: str, title: str, lines: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile(filename, pdf_bytes(title, lines), content_type="application/pdf")
