"""Downloadable documents: statements, invoices and the annual disclosure as PDF (reportlab,
with its built-in CID font STSong-Light for Chinese, so no font file is shipped) and CSV
(UTF-8 with BOM, so spreadsheet programs read the Chinese)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from operations.commerce.models import AnnualDisclosure, Invoice, Statement
from operations.commerce.services.common import SHANGHAI
from operations.commerce.services.invoices import invoice_outstanding

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
_TITLE = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, spaceAfter=6)
_TEXT = ParagraphStyle("text", fontName=FONT, fontSize=9.5, leading=14)
_HEAD = ParagraphStyle("head", fontName=FONT, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4)


def _csv(rows: Iterable[Iterable]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        # A cell starting with = + - @ would be a formula in a spreadsheet: quote it.
        writer.writerow(["'" + c if isinstance(c, str) and c[:1] in "=+-@" else c for c in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _table(rows: list[list], widths: list[float] | None = None) -> Table:
    cells = [[Paragraph(str(c), _TEXT) for c in row] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _pdf(title: str, story: list) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
    )
    doc.build([Paragraph(title, _TITLE), *story])
    return buffer.getvalue()


def _when(moment) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if moment else ""


_LINE_HEAD = [
    "序号 No.",
    "项目 Item",
    "数量 Quantity",
    "单价 Unit price",
    "折扣% Discount",
    "金额(元) Amount",
]


def _line_rows(statement: Statement) -> list[list]:
    return [
        [
            line.position,
            line.description,
            f"{line.quantity.normalize():f}",
            f"{line.unit_price.normalize():f}",
            f"{line.discount_percent}",
            f"{line.amount}",
        ]
        for line in statement.lines.all()
    ]


def _statement_meta(statement: Statement) -> list[list]:
    order = statement.order
    return [
        ["对账单编号 Statement", statement.number],
        ["订单 Order", f"{order.number} · {order.product.name}"],
        ["运营机构 Operator", order.product.operator.organisation.name],
        ["使用单位 Consumer", order.consumer.organisation.name],
        ["用途类别 Purpose", order.get_purpose_class_display()],
        ["计费月份 Month", statement.month.strftime("%Y-%m")],
        ["状态 Status", statement.get_status_display()],
        ["币种 Currency", statement.currency],
        ["合计(元) Total", f"{statement.total}"],
    ]


def statement_csv(statement: Statement) -> bytes:
    return _csv([*_statement_meta(statement), [], _LINE_HEAD, *_line_rows(statement)])


def statement_pdf(statement: Statement) -> bytes:
    story = [
        _table(_statement_meta(statement), [50 * mm, 130 * mm]),
        Spacer(1, 6 * mm),
        _table(
            [
                _LINE_HEAD,
                *_line_rows(statement),
                ["", "合计 Total", "", "", "", f"{statement.total}"],
            ],
            [14 * mm, 70 * mm, 26 * mm, 26 * mm, 18 * mm, 26 * mm],
        ),
        Spacer(1, 4 * mm),
        Paragraph(
            "每行金额按分四舍五入一次，合计为各行之和。Each line is rounded once to the fen; the total is the sum of the lines.",
            _TEXT,
        ),
    ]
    return _pdf(f"公共数据运营服务费对账单 {statement.number}", story)


def _invoice_meta(invoice: Invoice) -> list[list]:
    return [
        ["发票编号 Invoice", invoice.number],
        ["对账单 Statement", invoice.statement.number],
        ["销售方 Seller", f"{invoice.seller_name}（{invoice.seller_credit_code}）"],
        ["购买方 Buyer", f"{invoice.buyer_name}（{invoice.buyer_credit_code}）"],
        ["开具时间 Issued", _when(invoice.issued_at)],
        ["金额(元) Amount", f"{invoice.amount}"],
        [
            "红字冲减 Credited",
            ", ".join(f"{c.number}: {c.amount}" for c in invoice.credit_notes.all()) or "—",
        ],
        [
            "已收款 Paid",
            ", ".join(f"{p.reference}: {p.amount}" for p in invoice.payments.all()) or "—",
        ],
        ["未结金额 Outstanding", f"{invoice_outstanding(invoice)}"],
    ]


def invoice_csv(invoice: Invoice) -> bytes:
    return _csv([*_invoice_meta(invoice), [], _LINE_HEAD, *_line_rows(invoice.statement)])


def invoice_pdf(invoice: Invoice) -> bytes:
    story = [
        _table(_invoice_meta(invoice), [50 * mm, 130 * mm]),
        Spacer(1, 6 * mm),
        _table(
            [_LINE_HEAD, *_line_rows(invoice.statement)],
            [14 * mm, 70 * mm, 26 * mm, 26 * mm, 18 * mm, 26 * mm],
        ),
    ]
    return _pdf(f"公共数据运营服务费发票 {invoice.number}", story)


def _price_summary(price: dict) -> str:
    if price["shape"] == "tiered":
        tiers = "; ".join(f"≤{t['up_to'] or '∞'}: {t['unit_price']}" for t in price["tiers"])
        return f"v{price['version']} {price['unit']} 阶梯 {tiers}"
    text = f"v{price['version']} {price['unit']} {price['unit_price']}"
    if price["shape"] == "fixed_plus_usage":
        text += f" + 月费 {price['period_fee']}"
    return text + (" (试行)" if price["trial"] else "")


def disclosure_rows(disclosure: AnnualDisclosure) -> list[list]:
    """One flat table of the disclosure (for CSV)."""
    rows = [["部分 Section", "主体 Party", "项目 Item", "内容 Detail"]]
    content = disclosure.content
    for agency in content.get("agencies", []):
        for a in agency["authorisations"]:
            codes = ", ".join(r["code"] or "" for r in a["resources"])
            rows.append(
                [
                    "授权 Authorisation",
                    agency["agency"],
                    f"{a['agreement']} {a['title']}",
                    f"{a['operator']}; {a['start']}–{a['end']}; {codes}",
                ]
            )
        for c in agency["ceilings"]:
            rows.append(
                [
                    "限价 Ceiling",
                    agency["agency"],
                    c["product"],
                    f"{c['unit']} ≤ {c['amount']} ({c['effective_from']}, {c['document_reference']})",
                ]
            )
    for op in content.get("operators", []):
        for r in op["resources"]:
            rows.append(
                ["资源 Resource", op["operator"], r["code"] or "", f"{r['name']} ({r['mode']})"]
            )
        for p in op["products"]:
            prices = " | ".join(_price_summary(x) for x in p["prices"]) or "—"
            rows.append(
                [
                    "产品 Product",
                    op["operator"],
                    p["name"],
                    f"{p['kind']} {p['registry_code'] or ''}: {prices}",
                ]
            )
    return rows


def disclosure_csv(disclosure: AnnualDisclosure) -> bytes:
    return _csv(disclosure_rows(disclosure))


def disclosure_pdf(disclosure: AnnualDisclosure) -> bytes:
    rows = disclosure_rows(disclosure)
    story = [
        Paragraph(
            f"截止日期 Due: {disclosure.deadline.isoformat()} · 公开时间 Published: {_when(disclosure.published_at) or '—'}",
            _TEXT,
        ),
        Spacer(1, 4 * mm),
        _table(rows, [28 * mm, 45 * mm, 45 * mm, 62 * mm]),
    ]
    return _pdf(f"{disclosure.year}年度公共数据授权运营信息公开", story)


def records_csv(rows: list[dict]) -> bytes:
    head = ["kind", "record", "object", "at", "actor", "amount", "detail"]
    return _csv([head, *([r[h] for h in head] for r in rows)])


def holder_usage_csv(rows: list[dict]) -> bytes:
    head = [
        "resource",
        "licence",
        "product",
        "operator",
        "purpose_class",
        "calls",
        "records",
        "bytes",
        "refused",
    ]
    return _csv([head, *([r[h] for h in head] for r in rows)])
