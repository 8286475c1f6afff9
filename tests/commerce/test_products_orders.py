"""Products need a registry record, a data-source statement and verified parties before a
sale; purpose classes decide free or charged; calls run through the licence and are
metered through the open API's usage rows."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from operations.commerce.models import OrderUsage, ProductStatus
from operations.commerce.services import orders, products
from operations.models import AccessLog, Licence, LicenceStatus
from portal.models import UsageRecord
from registry.errors import Conflict, ValidationFailed
from tests.commerce.conftest import NOW
from tests.conftest import at

API = "/api/v1/commerce/"


def test_a_product_is_listed_only_with_an_active_product_record(market):
    product = market.product()
    market.ceiling(product)
    market.price(product)
    with pytest.raises(Conflict) as exc:
        products.product_list(actor=market.operator_user, product=product, now=NOW)
    assert any("registry record" in p for p in exc.value.extra["problems"])
    market.register(product)
    assert (
        products.product_list(actor=market.operator_user, product=product, now=NOW).status
        == ProductStatus.LISTED
    )


def test_a_resource_record_is_not_a_product_record(market):
    product = market.product()
    with pytest.raises(ValidationFailed, match="cannot be attached"):
        products.product_attach_record(
            actor=market.operator_user, product=product, record=market.ops.people, now=NOW
        )


def test_a_product_needs_a_data_source_statement_and_a_query_within_the_licence(market):
    with pytest.raises(ValidationFailed) as exc:
        products.product_create(
            actor=market.operator_user,
            licence=market.licence,
            data={
                "kind": "statistics",
                "name": "x",
                "summary": "y",
                "data_source_statement": " ",
                "query": {"group_by": ["姓名"], "aggregates": "count:*"},
            },
            now=NOW,
        )
    assert set(exc.value.errors) == {"data_source_statement", "query"}
    assert "身份证号" not in str(
        exc.value.errors["query"]
    )  # never lists columns outside the licence


def test_a_kind_must_fit_the_licence_mode(market):
    with pytest.raises(ValidationFailed) as exc:
        market.product(kind="verification")
    assert "kind" in exc.value.errors


def test_an_unverified_operator_cannot_list(market):
    product = market.product()
    market.register(product)
    market.ceiling(product)
    market.price(product)
    type(market.operator).objects.filter(pk=market.operator.pk).update(identity_verified_at=None)
    with pytest.raises(Conflict) as exc:
        products.product_list(actor=market.operator_user, product=product, now=NOW)
    assert any("verified" in p for p in exc.value.extra["problems"])


def test_an_unverified_buyer_cannot_order(market):
    product = market.listed_product()
    consumer, user = market.consumer("未核验公司", verified=False)
    with pytest.raises(ValidationFailed) as exc:
        orders.order_create(
            actor=user,
            consumer=consumer,
            product=product,
            data={"purpose_class": "industry_development", "scenario": "风控"},
            now=NOW,
        )
    assert "consumer" in exc.value.errors


@pytest.mark.parametrize("purpose", ["public_governance", "public_welfare"])
def test_free_purposes_need_an_attestation_and_evidence_and_are_free(market, purpose):
    product = market.listed_product()
    with pytest.raises(ValidationFailed) as exc:
        orders.order_create(
            actor=market.welfare_user,
            consumer=market.welfare,
            product=product,
            data={"purpose_class": purpose, "scenario": "公益"},
            now=NOW,
        )
    assert {"attestation", "evidence"} <= set(exc.value.errors)
    order, _ = market.order(
        product, consumer=market.welfare, user=market.welfare_user, purpose=purpose
    )
    assert order.is_free and order.price_version is None and order.evidence.name


@pytest.mark.parametrize("purpose", ["industry_development", "sector_development"])
def test_industry_and_sector_purposes_are_charged_at_the_live_price(market, purpose):
    product = market.listed_product()
    order, _ = market.order(product, purpose=purpose)
    assert not order.is_free and order.price_version == product.prices.get()


def test_a_call_through_the_api_runs_under_the_licence_and_writes_one_usage_row(market):
    product = market.listed_product()
    order, key = market.order(product)
    client = APIClient()
    response = client.post(
        f"{API}products/{product.pk}/call", {}, format="json", HTTP_AUTHORIZATION=f"Api-Key {key}"
    )
    assert response.status_code == 200
    body = response.json()
    groups = {row["区"] for row in body["records"]}
    assert groups == {"天河区", "白云区"} and body["suppressed_groups"] == 1  # 越秀区 has 3 < k
    usage = OrderUsage.objects.get(order=order)
    assert usage.billable and usage.records == 2 and usage.bytes == len(response.content)
    assert UsageRecord.objects.filter(pk=usage.usage_id, status=200).exists()
    assert (
        AccessLog.objects.filter(
            licence=market.licence, channel="product", outcome="served"
        ).count()
        == 1
    )


def test_a_call_with_a_bad_or_foreign_key_is_401_and_another_product_is_404(market):
    product = market.listed_product()
    other = market.listed_product(name="另一产品")
    _, key = market.order(product)
    client = APIClient()
    assert (
        client.post(f"{API}products/{product.pk}/call", HTTP_X_API_KEY="odk_bad").status_code == 401
    )
    assert client.post(f"{API}products/{other.pk}/call", HTTP_X_API_KEY=key).status_code == 404


def test_a_suspended_licence_stops_calls_and_nothing_is_billed(market):
    product = market.listed_product()
    order, key = market.order(product)
    Licence.objects.filter(pk=market.licence.pk).update(status=LicenceStatus.SUSPENDED)
    response = APIClient().post(f"{API}products/{product.pk}/call", HTTP_X_API_KEY=key)
    assert response.status_code == 403
    usage = OrderUsage.objects.get(order=order)
    assert not usage.billable
    assert AccessLog.objects.filter(licence=market.licence, outcome="refused").exists()


def test_a_replayed_request_id_is_not_counted_twice(market):
    product = market.listed_product()
    order, key = market.order(product)
    client = APIClient()
    rid = "7d1c3f4e-2b7a-4c55-9a0e-3e9f2f1a6b01"
    assert (
        client.post(
            f"{API}products/{product.pk}/call", HTTP_X_API_KEY=key, HTTP_X_REQUEST_ID=rid
        ).status_code
        == 200
    )
    assert (
        client.post(
            f"{API}products/{product.pk}/call", HTTP_X_API_KEY=key, HTTP_X_REQUEST_ID=rid
        ).status_code
        == 409
    )
    assert OrderUsage.objects.filter(order=order).count() == 1


def test_a_closed_order_credential_stops_working(market):
    product = market.listed_product()
    order, key = market.order(product)
    orders.order_close(actor=market.industry_user, order=order, reason="合同结束", now=NOW)
    assert (
        APIClient().post(f"{API}products/{product.pk}/call", HTTP_X_API_KEY=key).status_code == 401
    )


def test_ordering_through_the_api_quotes_then_accept_shows_the_key_once(market):
    product = market.listed_product()
    client = APIClient()
    client.force_authenticate(market.industry_user)
    order = client.post(
        f"{API}orders/",
        {
            "product": product.pk,
            "purpose_class": "industry_development",
            "scenario": "信贷风控",
            "status": "active",
            "is_free": True,
        },
        format="json",
    )
    assert order.status_code == 400 and set(order.json()["errors"]) == {"status", "is_free"}
    order = client.post(
        f"{API}orders/",
        {"product": product.pk, "purpose_class": "industry_development", "scenario": "信贷风控"},
        format="json",
    )
    assert (
        order.status_code == 201
        and order.json()["status"] == "quoted"
        and order.json()["is_free"] is False
    )
    accepted = client.post(f"{API}orders/{order.json()['id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["key"].startswith("odk_")
    assert client.post(f"{API}orders/{order.json()['id']}/accept").status_code == 409


def test_generate_a_statement_for_a_month_before_acceptance_is_refused(market):
    product = market.listed_product()
    order, _ = market.order(product)
    client = APIClient()
    client.force_authenticate(market.operator_user)
    response = client.post(
        f"{API}orders/{order.pk}/statements", {"month": "2026-05"}, format="json"
    )
    assert response.status_code == 400
    assert (
        client.post(
            f"{API}orders/{order.pk}/statements", {"month": "May"}, format="json"
        ).status_code
        == 400
    )
    assert dt.date(2026, 6, 1) <= at(2026, 6, 2).date()
