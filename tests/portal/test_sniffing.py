"""What a file really is: the extension must agree with the bytes; executables, HTML posing
as data, binary junk, hostile XML and hostile archives are refused with a precise message."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from portal.services.files import sanitise_name
from portal.sniffing import sniff_file
from registry.errors import ValidationFailed
from tests.portal.publishing_helpers import xlsx_bytes

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def sniff(name: str, content: bytes):
    return sniff_file(io.BytesIO(content), name=name)


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationFailed) as exc:
        sniff(name, content)
    assert list(exc.value.errors) == ["file"]
    return exc.value.errors["file"][0]


def zip_bytes(entries: dict[str, bytes], *, infos=()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        for info, data in infos:
            archive.writestr(info, data)
    return buffer.getvalue()


# --------------------------------------------------------------------------- text


def test_a_utf8_csv_is_accepted():
    result = sniff("公交.csv", "线路,站点\n1路,火车站\n".encode())
    assert (result.format, result.media_type, result.encoding) == ("CSV", "text/csv", "utf-8")


def test_a_csv_with_a_byte_order_mark_is_utf8_sig():
    assert sniff("a.csv", "\ufeff线路,站点\n".encode()).encoding == "utf-8-sig"


def test_a_gbk_csv_is_accepted_as_gb18030():
    result = sniff("gbk.csv", "线路,站点\n1路,广州火车站\n".encode("gbk"))
    assert (result.format, result.encoding) == ("CSV", "gb18030")


def test_a_head_cut_inside_a_multibyte_character_still_decodes():
    content = ("名" * 30000).encode()  # 90 000 bytes: the 64 KiB head ends mid-character
    assert sniff("long.txt", content).encoding == "utf-8"


def test_a_csv_that_is_really_html_is_refused():
    page = b"<!DOCTYPE html>\n<html><head><title>Login</title></head><body>...</body></html>"
    assert refusal("data.csv", page) == "The content is HTML, not CSV."
    assert (
        refusal("data.csv", b"  \n<html><body>x</body></html>") == "The content is HTML, not CSV."
    )


def test_an_exe_renamed_csv_is_refused():
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 100
    assert refusal("data.csv", exe) == "The file is an executable program, not data."


@pytest.mark.parametrize(
    "head", [b"\x7fELF\x02\x01\x01\x00", b"\xcf\xfa\xed\xfe\x07\x00\x00\x01", b"\xca\xfe\xba\xbe"]
)
def test_elf_and_mach_o_binaries_are_refused_whatever_their_name(head):
    assert "executable" in refusal("data.json", head + b"\x00" * 64)


def test_a_shell_script_renamed_txt_is_refused():
    assert (
        refusal("run.txt", b"#!/bin/sh\nrm -rf /\n")
        == "The file is an executable script, not data."
    )


def test_binary_junk_named_csv_is_refused():
    junk = random.Random(7).randbytes(8192)
    message = refusal("junk.csv", junk)
    assert message in (
        "The content is binary data, not CSV text.",
        "The text is not encoded in UTF-8 or GB18030 (GBK).",
    )


def test_control_characters_mark_text_as_binary():
    noisy = b"a,b\n" + bytes(range(1, 9)) * 200
    assert refusal("noisy.csv", noisy) == "The content is binary data, not CSV text."


def test_utf16_text_is_refused_with_a_hint():
    assert "UTF-16" in refusal("a.csv", "a,b\n".encode("utf-16"))


def test_json_must_start_with_an_object_or_array():
    assert sniff("a.json", b'  [{"a": 1}]').format == "JSON"
    assert refusal("a.json", b"hello") == "A JSON file must start with '{' or '['."
    assert (
        refusal("a.geojson", b"[1, 2]") == "A GeoJSON file must be a JSON object starting with '{'."
    )
    assert sniff("a.geojson", b'{"type": "FeatureCollection", "features": []}').format == "GEOJSON"


# --------------------------------------------------------------------------- XML


def test_plain_xml_is_accepted():
    assert (
        sniff("a.xml", b'<?xml version="1.0"?>\n<!-- x --><rows><row a="1"/></rows>').format
        == "XML"
    )


def test_xml_declared_in_gb18030_is_accepted():
    content = '<?xml version="1.0" encoding="GB2312"?><数据><行>广州</行></数据>'.encode("gb2312")
    assert sniff("gb.xml", content).encoding == "gb18030"


def test_xml_with_entity_declarations_is_refused():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>'
    )
    assert (
        refusal("a.xml", laughs)
        == "XML with entity declarations or external references is refused."
    )


def test_xml_with_an_external_entity_is_refused():
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><x>&xxe;</x>'
    )
    assert "entity" in refusal("a.xml", xxe)


def test_malformed_xml_and_html_named_xml_are_refused():
    assert refusal("a.xml", b"<?xml version='1.0'?><a><b></a>").startswith(
        "The XML is not well-formed"
    )
    assert refusal("a.xml", b"<!DOCTYPE html><html></html>") == "The content is HTML, not XML."
    assert refusal("a.xml", b"just text") == "An XML file must start with '<'."


# --------------------------------------------------------------------------- binary formats


def test_an_xlsx_workbook_is_accepted():
    result = sniff("表.xlsx", xlsx_bytes([["a", "b"], [1, 2]]))
    assert result.format == "XLSX" and result.tabular


def test_a_zip_renamed_xlsx_is_refused():
    content = zip_bytes({"readme.txt": b"hello"})
    assert (
        refusal("t.xlsx", content)
        == "The content is a ZIP archive but not an Excel workbook (XLSX)."
    )


def test_a_pdf_and_a_legacy_xls_are_recognised_by_their_magic_numbers():
    assert sniff("a.pdf", PDF).format == "PDF"
    assert sniff("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500).format == "XLS"
    assert refusal("a.pdf", b"hello") == "The content does not match the '.pdf' extension."
    assert refusal("a.zip", PDF) == "The content does not match the '.zip' extension."


def test_unsupported_missing_extensions_and_empty_files_are_refused():
    assert refusal("tool.exe", b"x").startswith("Unsupported file type '.exe'")
    assert refusal("README", b"x").startswith("The file name has no extension")
    assert refusal("a.csv", b"") == "The file is empty."


# --------------------------------------------------------------------------- archives


def test_a_zip_bomb_is_refused_from_its_central_directory():
    bomb = zip_bytes({"zeros.csv": b"0" * (8 * 1024 * 1024)})
    assert len(bomb) < 100_000
    assert "compression ratio exceeds 100:1" in refusal("bomb.zip", bomb)


def test_an_archive_expanding_past_the_limit_is_refused(settings):
    settings.PORTAL_ZIP_MAX_UNCOMPRESSED_BYTES = 1000
    content = zip_bytes({"a.csv": random.Random(1).randbytes(2000)})
    assert refusal("big.zip", content) == "The archive expands to more than 1000 bytes."


def test_an_archive_with_too_many_entries_is_refused(settings):
    settings.PORTAL_ZIP_MAX_ENTRIES = 3
    content = zip_bytes({f"{n}.csv": b"a" for n in range(4)})
    assert refusal("many.zip", content) == "The archive has too many entries (at most 3)."


@pytest.mark.parametrize(
    "name",
    ["../evil.csv", "data/../../evil.csv", "/etc/passwd", "C:/Windows/x.dll", "a\\..\\b.csv"],
)
def test_traversal_and_absolute_entry_names_are_refused(name):
    content = zip_bytes({"ok.csv": b"a", name: b"x"})
    assert refusal("t.zip", content).startswith("The archive contains an unsafe entry name")


def test_a_symbolic_link_entry_is_refused():
    link = zipfile.ZipInfo("link")
    link.create_system = 3
    link.external_attr = 0o120777 << 16
    content = zip_bytes({"ok.csv": b"a"}, infos=[(link, b"/etc/passwd")])
    assert refusal("t.zip", content) == "The archive contains a symbolic link: link"


def test_a_damaged_archive_is_refused():
    content = zip_bytes({"a.csv": b"a,b\n"})[:-30]
    assert refusal("t.zip", content) == "The archive is damaged or not a ZIP file."


def test_a_normal_zip_of_files_is_accepted():
    content = zip_bytes({"data/2025.csv": b"a,b\n1,2\n", "data/readme.txt": "说明".encode()})
    assert sniff("data.zip", content).format == "ZIP"


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.csv", "passwd.csv"),
        ("C:\\Users\\x\\报表.xlsx", "报表.xlsx"),
        ("a\r\nb\x00c.csv", "abc.csv"),
        ("invoice\u202egpj.csv", "invoicegpj.csv"),
        ("...hidden.csv", "hidden.csv"),
        ("  spaced   name .csv ", "spaced name .csv"),
        ("e\u0301.csv", "\u00e9.csv"),  # NFC
    ],
)
def test_original_names_are_sanitised(raw, clean):
    assert sanitise_name(raw) == clean


def test_a_very_long_name_keeps_its_extension():
    name = sanitise_name("长" * 400 + ".csv")
    assert len(name) == 255 and name.endswith(".csv")
