"""One operator or consumer never sees another's products, orders, usage or statements:
404 on the API, and lists hold only one's own."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from operations.commerce.services import statements
from tests.conftest import at

API = "/api/v1/commerce/"


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def scene(market):
    product = market.listed_product()
    draft = market.product(name="草稿产品")
    order, _ = market.order(product)
    market.usage(order, at(2026, 6, 3))
    statement = statements.statement_generate(
        actor=market.operator_user, order=order, month=dt.date(2026, 6, 1), now=at(2026, 7, 1)
    )
    statement = statements.statement_finalise(
        actor=market.operator_user, statement=statement, now=at(2026, 7, 1)
    )
    invoice = (
        client_for(market.operator_user).post(f"{API}statements/{statement.pk}/invoice").json()
    )
    return market, draft, order, statement, invoice


def test_another_operator_gets_404_on_every_object_and_sees_none_in_lists(scene):
    market, draft, order, statement, invoice = scene
    client = client_for(market.other_operator_user)
    for url in (
        f"products/{draft.pk}/",
        f"orders/{order.pk}/",
        f"orders/{order.pk}/usage",
        f"statements/{statement.pk}/",
        f"statements/{statement.pk}/document.pdf",
        f"invoices/{invoice['id']}/",
        f"invoices/{invoice['id']}/document.csv",
    ):
        assert client.get(API + url).status_code == 404, url
    for url in (
        f"orders/{order.pk}/statements",
        f"statements/{statement.pk}/invoice",
        f"invoices/{invoice['id']}/credit-notes",
        f"products/{draft.pk}/prices",
        f"products/{draft.pk}/list",
    ):
        assert client.post(API + url, {}, format="json").status_code == 404, url
    assert client.get(API + "orders/").json()["results"] == []
    assert client.get(API + "statements/").json()["results"] == []
    assert {p["name"] for p in client.get(API + "products/").json()["results"]} == {
        "低保对象分区统计"
    }


def test_another_consumer_gets_404_and_lists_nothing_of_others(scene):
    market, draft, order, statement, invoice = scene
    client = client_for(market.other_user)
    for url in (
        f"products/{draft.pk}/",
        f"orders/{order.pk}/",
        f"orders/{order.pk}/usage",
        f"statements/{statement.pk}/",
        f"invoices/{invoice['id']}/document.pdf",
    ):
        assert client.get(API + url).status_code == 404, url
    assert client.post(API + f"orders/{order.pk}/accept").status_code == 404
    assert client.get(API + "orders/").json()["results"] == []
    assert client.get(API + "invoices/").json()["results"] == []


def test_the_buyer_reads_its_own_statement_but_cannot_bill_itself(scene):
    market, draft, order, statement, invoice = scene
    client = client_for(market.industry_user)
    assert client.get(f"{API}statements/{statement.pk}/").status_code == 200
    assert (
        client.post(
            f"{API}invoices/{invoice['id']}/credit-notes",
            {"amount": "0.10", "reason": "x"},
            format="json",
        ).status_code
        == 404
    )


def test_an_anonymous_visitor_sees_the_price_list_but_no_drafts_or_orders(scene):
    market, draft, order, statement, invoice = scene
    client = APIClient()
    price_list = client.get(API + "price-list/").json()
    assert [p["name"] for p in price_list] == ["低保对象分区统计"]
    assert price_list[0]["live_price"]["unit_price"] == "0.200000"
    assert price_list[0]["ceilings"][0]["amount"] == "0.500000"
    assert client.get(f"{API}products/{draft.pk}/").status_code == 404
    assert client.get(f"{API}orders/{order.pk}/").status_code in (401, 403)
