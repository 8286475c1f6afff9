"""The commerce demo: four products (one of each kind) over the demo licences, ceilings and
prices (flat, tiered, fixed plus usage, a priority-scenario discount), consumers of every
purpose class, orders, usage from last March to last month, monthly statements, invoices,
payments and a credit note, last year's pricing period closed with its over-recovery carried
into this year's, last year's disclosure published and the operator's report filed.

Everything goes through the services with the moment it happened, so events, ledger
journals and numbers are real. Dates are relative to the day of the load."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from operations.commerce.demo import licences as auth
from operations.commerce.metering import product_call
from operations.commerce.models import Consumer, ConsumerMember, OrderUsage, Product, Statement
from operations.commerce.services import disclosure, invoices, orders, pricing, products, statements
from operations.commerce.services.common import SHANGHAI, month_bounds
from operations.licensing import licence_table
from operations.models import LicenceMode
from portal.models import UsageKind, UsageRecord
from registry import services as registry
from registry.models import ObjectType, Organisation
from registry.validators import make_credit_code, organisation_type_of

CONSUMERS = [
    # key (username), name, credit-code body, region
    ("bank_buyer", "广州农村商业银行股份有限公司", "91440100MA5C00011", "440100"),
    ("credit_buyer", "广东粤信征信服务有限公司", "91440100MA5C00022", "440100"),
    ("welfare_buyer", "广州市慈善会", "53440100MJ5C00033", "440100"),
    ("gov_buyer", "广州市天河区政务服务数据管理局", "11440106MB5C00044", "440106"),
]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def is_loaded() -> bool:
    return Consumer.objects.filter(organisation__name=CONSUMERS[0][1]).exists()


def _months(first: dt.date, last: dt.date):
    month = first
    while month <= last:
        yield month
        month = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)


class Demo:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.today = now.astimezone(SHANGHAI).date()
        self.y0 = self.today.year - 1
        self.rng = random.Random(2026)
        self.admin = auth.user("admin")
        self.reviewer = auth.user("gd_reviewer")

    # ----------------------------------------------------------------- setup
    def authorise(self) -> None:
        a = auth.build(
            admin=self.admin, start=dt.date(self.y0, 1, 1), now=at(dt.date(self.y0, 1, 2))
        )
        self.a = a
        self.op, self.agency = a.operator_user, a.agency_user

    def consumers(self) -> dict:
        out = {}
        for username, name, code, region in CONSUMERS:
            member = auth.user(username)
            org = Organisation.objects.filter(name=name).first() or registry.organisation_create(
                name=name,
                credit_code=make_credit_code(code),
                org_type=organisation_type_of(code) or "enterprise",
                region_code=region,
                contact_name="业务联系人",
                contact_phone="020-38880000",
            )
            consumer = Consumer.objects.filter(
                organisation=org
            ).first() or orders.consumer_register(
                actor=member,
                organisation=org,
                legal_representative="张建华",
                authorised_contact="李明",
                contact_phone="020-38880000",
                now=at(dt.date(self.y0, 1, 20)),
            )
            ConsumerMember.objects.get_or_create(consumer=consumer, user=member)
            orders.consumer_verify(
                actor=self.admin,
                consumer=consumer,
                method="credit_code",
                result="passed",
                note="国家企业信用信息公示系统核验一致",
                now=at(dt.date(self.y0, 1, 21)),
            )
            consumer.refresh_from_db()
            out[username] = (consumer, member)
        return out

    def record(self, name: str, summary: str, when: dt.datetime):
        """A data-product registration of the operator, taken to its code."""
        reg = registry.registration_create_initial(
            actor=self.op,
            holder=self.a.operator.organisation,
            object_type=ObjectType.DATA_PRODUCT,
            data={
                "name": name,
                "summary": summary,
                "industry": "L",
                "domain": "营商环境",
                "data_items": [{"name": "结果", "type": "string", "description": "产品输出"}],
                "coverage_regions": ["440000"],
                "update_frequency": "daily",
                "formats": ["API"],
                "security_grade": "general",
                "open_category": "conditional",
                "contact_name": "林晓峰",
                "contact_phone": "020-83133000",
            },
            now=when,
        )
        for kind in ("description", "commitment"):
            registry.attachment_add(
                actor=self.op, registration=reg, kind=kind, upload=pdf(f"{kind}.pdf"), now=when
            )
        registry.registration_submit(actor=self.op, registration=reg, now=when)
        registry.registration_accept(actor=self.reviewer, registration=reg, now=when)
        reg = registry.registration_approve_review(actor=self.reviewer, registration=reg, now=when)
        reg = registry.registration_complete(
            registration=reg, now=reg.notice_end + dt.timedelta(minutes=5)
        )
        reg.resource.refresh_from_db()
        return reg.resource

    SPECS = [
        (
            "statistics",
            LicenceMode.AGGREGATES_ONLY,
            "广东省市场主体分地市统计",
            {"group_by": ["登记机关"], "aggregates": "count:*"},
            [],
        ),
        (
            "dataset",
            LicenceMode.AGGREGATES_ONLY,
            "广东省市场主体结构衍生数据集",
            {"group_by": ["主体类型", "登记状态"], "aggregates": "count:*,sum:注册资本"},
            [],
        ),
        (
            "verification",
            LicenceMode.VERIFICATION_ONLY,
            "企业登记状态核验服务",
            {"filters": {"登记状态": "存续"}},
            [{"name": "credit_code", "field": "统一社会信用代码", "op": "eq"}],
        ),
        (
            "api",
            LicenceMode.IN_DOMAIN_ROWS,
            "市场主体登记信息查询接口",
            {"fields": ["主体名称", "主体类型", "登记状态", "登记机关"], "limit": 100},
            [{"name": "authority", "field": "登记机关", "op": "eq"}],
        ),
    ]

    def products(self) -> dict:
        out = {}
        created = at(dt.date(self.y0, 1, 6))
        for kind, mode, name, query, params in self.SPECS:
            product = products.product_create(
                actor=self.op,
                licence=self.a.licences[mode],
                data={
                    "kind": kind,
                    "name": name,
                    "summary": f"{name}：基于授权的市场主体登记数据加工，结果出域、原始数据不出域。",
                    "data_source_statement": "数据来源：广东省市场监督管理局登记的公共数据资源（授权运营协议范围内），经运营机构在专区内加工。",
                    "query": query,
                    "parameters": params,
                },
                now=created,
            )
            products.product_attach_record(
                actor=self.op,
                product=product,
                record=self.record(name, product.summary, created),
                now=at(dt.date(self.y0, 1, 28)),
            )
            out[kind] = product
        return out

    def ceilings_and_prices(self, p: dict) -> None:
        when = at(dt.date(self.y0, 1, 29))
        ceilings = [
            ("statistics", "call", "0.50"),
            ("dataset", "record", "0.02"),
            ("dataset", "period", "800.00"),
            ("verification", "call", "0.12"),
            ("api", "record", "0.01"),
        ]
        for kind, unit, amount in ceilings:
            pricing.ceiling_set(
                actor=self.agency,
                product=p[kind],
                unit=unit,
                amount=amount,
                basis="综合数据、算力和存储使用，人力投入及预计销量测算",
                document_reference=f"粤数据价〔{self.y0}〕3号",
                now=when,
            )
        self.period1 = pricing.period_approve(
            actor=self.agency,
            operator=self.a.operator,
            start=dt.date(self.y0, 1, 1),
            end=dt.date(self.y0, 12, 31),
            operating_cost="4000.00",
            permitted_profit="400.00",
            taxes="240.00",
            approval_reference=f"粤发改价格〔{self.y0}〕21号",
            approval_document=pdf("核定文件.pdf"),
            now=when,
        )
        self.publish(p, at(dt.date(self.y0, 1, 30)), statistics="0.20")
        self.scenario = pricing.scenario_create(
            actor=self.op,
            operator=self.a.operator,
            name="普惠金融",
            criteria="服务小微企业、个体工商户信贷的金融机构",
            discount_percent="20",
            now=when,
        )
        for product in p.values():
            products.product_list(actor=self.op, product=product, now=at(dt.date(self.y0, 2, 1)))

    def publish(self, p: dict, when: dt.datetime, *, statistics: str) -> None:
        prices = {
            "statistics": {"unit": "call", "shape": "flat", "unit_price": statistics},
            "dataset": {
                "unit": "record",
                "shape": "fixed_plus_usage",
                "unit_price": "0.01",
                "period_fee": "500.00",
                "included_quantity": "1000",
            },
            "verification": {
                "unit": "call",
                "shape": "tiered",
                "tiers": [
                    {"up_to": "300", "unit_price": "0.10"},
                    {"up_to": "1000", "unit_price": "0.08"},
                    {"up_to": None, "unit_price": "0.05"},
                ],
            },
            "api": {"unit": "record", "shape": "flat", "unit_price": "0.005"},
        }
        for kind, data in prices.items():
            pricing.price_publish(actor=self.op, product=p[kind], data=data, now=when)

    def orders(self, p: dict, c: dict) -> list:
        accepted = at(dt.date(self.y0, 2, 10))
        plan = [
            (
                "bank_buyer",
                "statistics",
                "industry_development",
                "小微企业授信前的区域经营主体分析",
                self.scenario.pk,
            ),
            (
                "bank_buyer",
                "verification",
                "industry_development",
                "对公开户和贷前核验企业登记状态",
                None,
            ),
            ("credit_buyer", "dataset", "sector_development", "征信行业企业结构分析报告", None),
            ("credit_buyer", "api", "sector_development", "企业信用报告基础信息查询", None),
            (
                "welfare_buyer",
                "statistics",
                "public_welfare",
                "慈善项目覆盖地区的个体工商户帮扶分析",
                None,
            ),
            (
                "gov_buyer",
                "verification",
                "public_governance",
                "政务服务事项办理中的企业登记状态核验",
                None,
            ),
        ]
        made = []
        for username, kind, purpose, scenario, priority in plan:
            consumer, member = c[username]
            data = {"purpose_class": purpose, "scenario": scenario, "priority_scenario": priority}
            if purpose in ("public_welfare", "public_governance"):
                data.update(
                    attestation="本单位承诺所订购数据仅用于上述公益或公共治理用途，不转售、不用于商业目的。",
                    evidence=pdf("用途证明.pdf"),
                )
            order = orders.order_create(
                actor=member, consumer=consumer, product=p[kind], data=data, now=accepted
            )
            order, _ = orders.order_accept(actor=member, order=order, now=accepted)
            made.append((order, kind))
        return made

    # ----------------------------------------------------------------- usage and billing
    VOLUME = {
        "statistics": (30, 80, 0),
        "verification": (200, 600, 0),
        "dataset": (5, 15, 400),
        "api": (50, 120, 100),
    }

    def usage(self, order, kind: str, month: dt.date, dataset) -> None:
        low, high, rows = self.VOLUME[kind]
        if order.is_free:
            low, high = low // 2, high // 2
        start, end = month_bounds(month)
        span = int((min(end, self.now) - start).total_seconds())
        price = None if order.is_free else order.product.prices.filter(status="live").first()
        records, links = [], []
        for _ in range(self.rng.randint(low, high)):
            moment = start + dt.timedelta(seconds=self.rng.randrange(span))
            n = (
                self.rng.randint(rows // 4, rows)
                if rows
                else (0 if kind == "verification" else self.rng.randint(8, 21))
            )
            size = 180 + n * 120
            record = UsageRecord(
                request_id=uuid.uuid4(),
                kind=UsageKind.API_CALL,
                dataset=dataset,
                user=order.created_by,
                status=200,
                bytes=size,
                rows=n,
                at=moment,
            )
            records.append(record)
            links.append(
                OrderUsage(
                    usage=record, order=order, price_version=price, records=n, bytes=size, at=moment
                )
            )
        UsageRecord.objects.bulk_create(records)
        OrderUsage.objects.bulk_create(links)

    def bill(self, order, month: dt.date, last_month: dt.date) -> None:
        close = at(month_bounds(month)[1].date(), 9)
        statement = statements.statement_generate(
            actor=self.op, order=order, month=month, now=close
        )
        statement = statements.statement_finalise(actor=self.op, statement=statement, now=close)
        if statement.total <= 0:
            return
        invoice = invoices.invoice_issue(
            actor=self.op, statement=statement, now=close + dt.timedelta(days=1)
        )
        if month >= last_month:
            return  # the latest invoices are still open
        paid_on = close + dt.timedelta(days=18)
        amount = statement.total
        if month == dt.date(self.y0, 6, 1) and order.product.kind == "api":
            invoices.credit_note_issue(
                actor=self.op,
                invoice=invoice,
                amount="5.00",
                reason="6月12日接口故障期间重复计量的调用退费",
                now=close + dt.timedelta(days=5),
            )
            amount -= Decimal("5.00")
        invoices.payment_record(
            actor=self.op,
            invoice=invoice,
            amount=amount,
            reference=f"GZRCB{invoice.number[-6:]}",
            received_on=paid_on.date(),
            now=paid_on,
        )

    def run_months(self, p: dict, made: list) -> None:
        dataset = licence_table(self.a.licences[LicenceMode.AGGREGATES_ONLY]).distribution.dataset
        this_month = self.today.replace(day=1)
        last_month = dt.date(
            this_month.year - (this_month.month == 1), (this_month.month - 2) % 12 + 1, 1
        )
        for month in _months(dt.date(self.y0, 3, 1), this_month):
            if month == dt.date(self.y0 + 1, 1, 1):
                self.new_year(p)
            for order, kind in made:
                self.usage(order, kind, month, dataset)
                if month < this_month:
                    self.bill(order, month, last_month)

    def new_year(self, p: dict) -> None:
        """Approve this year's period, close last year's (over-recovery carried), reprice."""
        pricing.period_approve(
            actor=self.agency,
            operator=self.a.operator,
            start=dt.date(self.y0 + 1, 1, 1),
            end=dt.date(self.y0 + 1, 12, 31),
            operating_cost="9000.00",
            permitted_profit="900.00",
            taxes="540.00",
            approval_reference=f"粤发改价格〔{self.y0 + 1}〕4号",
            approval_document=pdf("核定文件.pdf"),
            now=at(dt.date(self.y0, 12, 20)),
        )
        self.publish(p, at(dt.date(self.y0 + 1, 1, 1), 0), statistics="0.25")
        for order in {o for o, _ in self.made_orders}:
            order.refresh_from_db()

    def close_last_year(self) -> None:
        pricing.period_close(
            actor=self.agency, period=self.period1, now=at(dt.date(self.y0 + 1, 1, 10))
        )

    def live_calls(self, made: list) -> None:
        """A few real calls this month through the licence-enforced path."""
        for order, kind in made:
            if kind == "statistics" and not order.is_free:
                credential = order.credentials.first()
                for _ in range(3):
                    product_call(credential=credential, product_id=order.product_id, values={})

    def disclosure(self) -> None:
        latest = self.now - dt.timedelta(hours=1)
        moments = [
            min(at(dt.date(self.y0 + 1, 2, d)), latest - dt.timedelta(minutes=10 - d))
            for d in (15, 20)
        ]
        report = disclosure.disclosure_generate(actor=self.agency, year=self.y0, now=moments[0])
        report = disclosure.disclosure_review(
            actor=self.admin,
            disclosure=report,
            note="经核对，授权、上限价格和实际价格与台账一致。",
            now=moments[1],
        )
        disclosure.disclosure_publish(
            actor=self.agency, disclosure=report, now=min(at(dt.date(self.y0 + 1, 3, 10)), latest)
        )
        disclosure.operating_report_file(
            actor=self.op,
            operator=self.a.operator,
            year=self.y0,
            narrative="全年运营平稳，产品均按核定上限以内价格收费，公益用途免费。",
            now=min(at(dt.date(self.y0 + 1, 3, 15)), latest),
        )


def load(*, now: dt.datetime) -> str:
    if is_loaded():
        return "The commerce demo is already loaded."
    demo = Demo(now)
    with transaction.atomic():
        demo.authorise()
        c = demo.consumers()
        p = demo.products()
        demo.ceilings_and_prices(p)
        made = demo.orders(p, c)
        demo.made_orders = made
        demo.run_months(p, made)
        demo.close_last_year()
        demo.live_calls(made)
        demo.disclosure()
    return summary()


def summary() -> str:
    return (
        f"Commerce demo: {Product.objects.count()} products, {Consumer.objects.count()} consumers, "
        f"{OrderUsage.objects.count()} metered calls, {Statement.objects.count()} statements."
    )
