"""The commerce world: part 1's agency, operators and licences (tests/operations), plus
consumers, a pricing period, a listed statistics product with a ceiling and a price."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from operations.commerce import metering
from operations.commerce.models import OrderUsage
from operations.commerce.services import orders, pricing, products
from portal.models import UsageKind, UsageRecord
from registry.models import ObjectType, RoleAssignment
from tests.conftest import at, make_org, make_user, pdf
from tests.operations.conftest import Ops

NOW = at(2026, 6, 2)
STATS_QUERY = {"group_by": ["区"], "aggregates": "count:*,sum:金额"}


class Market:
    def __init__(self, world) -> None:
        self.world = world
        self.ops = ops = Ops(world)
        self.agency, self.agency_user = ops.agency, ops.agency_user
        self.operator, self.operator_user = ops.operator, ops.operator_user
        self.other_operator_user = ops.other_operator_user
        self.agreement = ops.agreement()
        self.licence = ops.licence(
            "aggregates_only", agreement=self.agreement, columns=["区", "金额"], k=5
        )
        RoleAssignment.objects.create(
            user=self.operator_user, role="holder_staff", organisation=self.operator.organisation
        )
        self.admin = world.gd_admin
        self.industry, self.industry_user = self.consumer("广州某银行股份有限公司")
        self.welfare, self.welfare_user = self.consumer("广州市某公益基金会")
        self.other, self.other_user = self.consumer("另一消费单位")
        self.period = self.approve_period()

    def consumer(self, name: str, *, verified: bool = True):
        user = make_user()
        consumer = orders.consumer_register(
            actor=user,
            organisation=make_org(name, org_type="utility"),
            legal_representative="李四",
            authorised_contact="陈七",
            contact_phone="020-1234",
            now=NOW,
        )
        if verified:
            orders.consumer_verify(
                actor=self.admin, consumer=consumer, method="credit_code", result="passed", now=NOW
            )
        consumer.refresh_from_db()
        return consumer, user

    def approve_period(
        self,
        start=dt.date(2026, 6, 1),
        end=dt.date(2027, 5, 31),
        cost="800000",
        profit="80000",
        taxes="48000",
    ):
        return pricing.period_approve(
            actor=self.agency_user,
            operator=self.operator,
            start=start,
            end=end,
            operating_cost=cost,
            permitted_profit=profit,
            taxes=taxes,
            approval_reference="穗发改价格〔2026〕12号",
            approval_document=pdf(),
            now=NOW,
        )

    def product(self, *, name="低保对象分区统计", query=None, kind="statistics", licence=None):
        return products.product_create(
            actor=self.operator_user,
            licence=licence or self.licence,
            data={
                "kind": kind,
                "name": name,
                "summary": "按区统计人数与金额。",
                "data_source_statement": "数据来源于广州市民政局登记的公共数据资源，经授权运营。",
                "query": query or STATS_QUERY,
                "parameters": [],
            },
            now=NOW,
        )

    def register(self, product, now=NOW):
        reg = self.world.coded(
            user=self.operator_user,
            holder=self.operator.organisation,
            object_type=ObjectType.DATA_PRODUCT,
            name=product.name,
            now=now,
        )
        record = reg.resource
        record.refresh_from_db()
        return products.product_attach_record(
            actor=self.operator_user, product=product, record=record, now=NOW
        )

    def ceiling(self, product, amount="0.50", unit="call", now=NOW):
        return pricing.ceiling_set(
            actor=self.agency_user,
            product=product,
            unit=unit,
            amount=amount,
            basis="数据、算力与人力投入",
            document_reference="穗数据〔2026〕3号",
            now=now,
        )

    def price(self, product, now=NOW, **data):
        data = {"unit": "call", "shape": "flat", "unit_price": "0.20", **data}
        return pricing.price_publish(actor=self.operator_user, product=product, data=data, now=now)

    def listed_product(self, **kw):
        product = self.product(**kw)
        self.register(product)
        self.ceiling(product)
        self.price(product)
        return products.product_list(actor=self.operator_user, product=product, now=NOW)

    def order(self, product, consumer=None, user=None, purpose="industry_development", **data):
        consumer, user = consumer or self.industry, user or self.industry_user
        payload = {"purpose_class": purpose, "scenario": "小微企业信贷风控", **data}
        if purpose in ("public_governance", "public_welfare"):
            payload.setdefault("attestation", "本单位承诺仅用于公益事业。")
            payload.setdefault("evidence", pdf("证明.pdf"))
        order = orders.order_create(
            actor=user, consumer=consumer, product=product, data=payload, now=NOW
        )
        order, key = orders.order_accept(actor=user, order=order, now=NOW)
        return order, key

    def usage(self, order, at_, *, calls=1, records=0, bytes_=0, billable=True, price=None):
        """A metered call written directly (billing tests; the call path has its own tests)."""
        record = UsageRecord.objects.create(
            request_id=uuid.uuid4(),
            kind=UsageKind.API_CALL,
            dataset=self.ops.people_ds,
            status=200 if billable else 403,
            bytes=bytes_,
            rows=records,
            at=at_,
        )
        price = (
            price
            if price is not None
            else (None if order.is_free else order.product.prices.get(status="live"))
        )
        return OrderUsage.objects.create(
            usage=record,
            order=order,
            price_version=price,
            calls=calls,
            records=records,
            bytes=bytes_,
            billable=billable,
            at=at_,
        )

    def call(self, key, product, now=None, **values):
        credential = metering.authenticate(key)
        return metering.product_call(
            credential=credential, product_id=product.pk, values=values, now=now
        )


@pytest.fixture
def market(world) -> Market:
    return Market(world)


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))
