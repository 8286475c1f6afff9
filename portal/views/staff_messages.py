"""The Chinese wording, on pages, of the portal services' English messages (the English
catalogue is compiled from these msgids). Unknown messages are shown as they are."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registry.errors import DomainError
from registry.views.common import translate_message as registry_message

_MESSAGES = {
    "This field is required.": _("此项为必填项。"),
    "This field is read-only.": _("此项不可修改。"),
    "Unknown field.": _("未知字段。"),
    "Must be a string.": _("请输入文本。"),
    "A reason is required.": _("请填写理由。"),
    "Not a valid phone number.": _("电话号码格式不正确。"),
    "Not a valid e-mail address.": _("邮箱地址格式不正确。"),
    "At most 20 tags.": _("标签最多 20 个。"),
    "Each tag has at most 40 characters.": _("每个标签最多 40 个字符。"),
    "Must be a list of strings or a comma-separated string.": _("标签请用逗号或顿号分隔。"),
    "The record has no registration code yet.": _("该登记记录尚未赋码，不能发布。"),
    "Only active registry records can be published.": _("只有有效状态的登记记录可以发布。"),
    "The record's open category is 'not_open': it cannot be published.": _(
        "该资源的开放属性为不予开放，不能发布。"
    ),
    "This record is already published.": _("该登记记录已发布为数据集。"),
    "No such record.": _("未找到该登记记录。"),
    "The file is empty.": _("文件为空。"),
    "The file is an executable program, not data.": _("文件是可执行程序，不是数据文件。"),
    "The file is an executable script, not data.": _("文件是可执行脚本，不是数据文件。"),
    "UTF-16 text is not supported; save the file as UTF-8.": _(
        "不支持 UTF-16 编码的文本，请另存为 UTF-8 编码后上传。"
    ),
    "The text is not encoded in UTF-8 or GB18030 (GBK).": _(
        "文本编码无法识别，请使用 UTF-8 或 GB18030（GBK）编码。"
    ),
    "A JSON file must start with '{' or '['.": _("JSON 文件应以“{”或“[”开头。"),
    "A GeoJSON file must be a JSON object starting with '{'.": _(
        "GeoJSON 文件应为以“{”开头的 JSON 对象。"
    ),
    "An XML file must start with '<'.": _("XML 文件应以“<”开头。"),
    "XML with entity declarations or external references is refused.": _(
        "XML 文件含有实体声明或外部引用，出于安全原因不予接收。"
    ),
    "The XML has no root element.": _("XML 文件没有根元素。"),
    "The XML prolog is too long (no root element in the first 8 MiB).": _(
        "XML 文件前 8 MiB 内没有根元素。"
    ),
    "The archive is damaged or not a ZIP file.": _("压缩包已损坏或不是 ZIP 文件。"),
    "The archive is empty.": _("压缩包为空。"),
    "The archive is encrypted; upload it without a password.": _(
        "压缩包已加密，请上传未加密的压缩包。"
    ),
    "The content is a ZIP archive but not an Excel workbook (XLSX).": _(
        "文件是 ZIP 压缩包，不是 Excel 工作簿（XLSX）。"
    ),
    "The content is a ZIP archive but not a Word document (DOCX).": _(
        "文件是 ZIP 压缩包，不是 Word 文档（DOCX）。"
    ),
    "The file was not stored completely; please upload it again.": _(
        "文件未能完整保存，请重新上传。"
    ),
}
_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^At most (\d+) characters\.$"), lambda m: gettext("最多 %s 个字符。") % m[1]),
    (
        re.compile(r"^Unknown value '(.*)'\. Allowed"),
        lambda m: gettext("未知的取值：%s。") % m[1],
    ),
    (
        re.compile(r"^The file name has no extension\."),
        lambda m: gettext("文件名没有扩展名。支持的格式：%s。") % _FORMATS,
    ),
    (
        re.compile(r"^Unsupported file type '(.*)'\."),
        lambda m: (
            gettext("不支持“%(ext)s”类型的文件。支持的格式：%(formats)s。")
            % {"ext": m[1], "formats": _FORMATS}
        ),
    ),
    (
        re.compile(r"^The content is HTML, not (\w+)\.$"),
        lambda m: gettext("文件内容是网页（HTML），不是 %s 数据。") % m[1],
    ),
    (
        re.compile(r"^The content is XML, not (\w+)\.$"),
        lambda m: gettext("文件内容是 XML，不是 %s 数据。") % m[1],
    ),
    (
        re.compile(r"^The content is binary data, not (\w+) text\.$"),
        lambda m: gettext("文件内容是二进制数据，不是 %s 文本。") % m[1],
    ),
    (
        re.compile(r"^The content does not match the '(.*)' extension\.$"),
        lambda m: gettext("文件内容与扩展名“%s”不符。") % m[1],
    ),
    (
        re.compile(r"^The XML is not well-formed: (.*)$"),
        lambda m: gettext("XML 格式不正确：%s") % m[1],
    ),
    (
        re.compile(r"^The XML is not valid (.*) text\.$"),
        lambda m: gettext("XML 文件不是有效的 %s 文本。") % m[1],
    ),
    (
        re.compile(r"^The XML declares an unknown encoding '(.*)'\.$"),
        lambda m: gettext("XML 声明了未知的编码“%s”。") % m[1],
    ),
    (
        re.compile(r"^The archive has too many entries \(at most (\d+)\)\.$"),
        lambda m: gettext("压缩包内文件过多（最多 %s 个）。") % m[1],
    ),
    (
        re.compile(r"^The archive expands to more than (\d+) bytes\.$"),
        lambda m: gettext("压缩包解压后超过 %s 字节。") % m[1],
    ),
    (
        re.compile(r"^The archive's compression ratio exceeds (\d+):1"),
        lambda m: gettext("压缩包压缩比超过 %s:1，疑似压缩炸弹，不予接收。") % m[1],
    ),
    (
        re.compile(r"^The archive contains an unsafe entry name: (.*)$"),
        lambda m: gettext("压缩包含有不安全的文件路径：%s") % m[1],
    ),
    (
        re.compile(r"^The archive contains a symbolic link: (.*)$"),
        lambda m: gettext("压缩包含有符号链接：%s") % m[1],
    ),
    (
        re.compile(r"^The file is larger than the limit of (\d+) bytes\.$"),
        lambda m: gettext("文件超过大小上限（%s 字节）。") % m[1],
    ),
]
_FORMATS = "CSV、TSV、TXT、JSON、GeoJSON、XML、XLSX、XLS、PDF、ZIP、DOCX"


def portal_message(message: str) -> str:
    if message in _MESSAGES:
        return str(_MESSAGES[message])
    for pattern, render in _PATTERNS:
        match = pattern.match(message)
        if match:
            return render(match)
    return registry_message(message)


def portal_errors(exc: DomainError) -> dict[str, list[str]]:
    errors = exc.errors or {"__all__": [exc.detail]}
    return {key: [portal_message(m) for m in msgs] for key, msgs in errors.items()}
