"""`Idempotency-Key` on the order endpoints, and the guarantees of the wrapper itself: the
handler's writes and its stored response commit together, a claim left by a request that
died is taken over by a retry, and a request whose claim was taken over keeps nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from rest_framework.test import APIClient

from operations.commerce.models import IdempotencyRecord, IdempotencyState, Order, OrderCredential
from operations.commerce.services import orders

API = "/api/v1/commerce/"
BODY = {"purpose_class": "industry_development", "scenario": "信贷风控"}


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _order(client, product, key: str):
    return client.post(
        f"{API}orders/", {"product": product.pk, **BODY}, format="json", HTTP_IDEMPOTENCY_KEY=key
    )


def test_a_replayed_accept_returns_the_order_without_the_key_shown_once(market):
    product = market.listed_product()
    client = client_for(market.industry_user)
    order = _order(client, product, "o-1").json()
    url = f"{API}orders/{order['id']}/accept"

    first = client.post(url, HTTP_IDEMPOTENCY_KEY="a-1")
    again = client.post(url, HTTP_IDEMPOTENCY_KEY="a-1")

    assert first.status_code == 200 and again.status_code == 200
    key = first.json()["key"]
    assert key.startswith("odk_") and key.split("_")[1] == first.json()["key_prefix"]
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["key"] is None
    assert "rotate" in again.json()["detail"]
    assert again.json()["order"] == first.json()["order"]
    assert again.json()["key_prefix"] == first.json()["key_prefix"]
    assert OrderCredential.objects.filter(order_id=order["id"]).count() == 1
    stored = IdempotencyRecord.objects.get(key="a-1")
    assert key not in str(stored.response_body)  # the plaintext is never stored
    # Without the key, a second accept is refused on its merits.
    assert client.post(url).status_code == 409


def test_a_replayed_rotation_issues_no_second_credential(market):
    product = market.listed_product()
    order, _ = market.order(product)
    client = client_for(market.industry_user)
    url = f"{API}orders/{order.pk}/credentials/rotate"

    first = client.post(url, HTTP_IDEMPOTENCY_KEY="r-1")
    again = client.post(url, HTTP_IDEMPOTENCY_KEY="r-1")

    assert first.status_code == 200 and first.json()["key"].startswith("odk_")
    assert again["Idempotent-Replayed"] == "true" and again.json()["key"] is None
    assert OrderCredential.objects.filter(order=order).count() == 2  # the first + one rotation
    assert OrderCredential.objects.filter(order=order, revoked_at__isnull=True).count() == 1


def test_a_replayed_order_creates_one_order_and_a_closed_one_closes_once(market):
    product = market.listed_product()
    client = client_for(market.industry_user)

    first, again = _order(client, product, "o-2"), _order(client, product, "o-2")

    assert first.status_code == 201 and again.status_code == 201
    assert again.json()["id"] == first.json()["id"] and again["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1
    close = f"{API}orders/{first.json()['id']}/close"
    closed = client.post(close, {"reason": "不再需要"}, format="json", HTTP_IDEMPOTENCY_KEY="c-1")
    replay = client.post(close, {"reason": "不再需要"}, format="json", HTTP_IDEMPOTENCY_KEY="c-1")
    assert closed.status_code == 200 and replay.json() == closed.json()
    assert replay["Idempotent-Replayed"] == "true"


def _stale_claim(user, key: str, age: dt.timedelta, like: str) -> IdempotencyRecord:
    """The row a request leaves when its process dies after claiming `key`: in progress, no
    response (its request the same as the one of the completed key `like`)."""
    model = IdempotencyRecord.objects.get(user=user, key=like)
    claimed = timezone.now() - age
    return IdempotencyRecord.objects.create(
        user=user,
        key=key,
        scope=model.scope,
        request_hash=model.request_hash,
        state=IdempotencyState.IN_PROGRESS,
        created_at=claimed,
        claimed_at=claimed,
    )


def test_a_claim_left_by_a_dead_request_is_taken_over_by_the_retry(market, settings):
    settings.COMMERCE_IDEMPOTENCY_STALE_SECONDS = 300
    product = market.listed_product()
    client = client_for(market.industry_user)
    assert _order(client, product, "probe").status_code == 201
    _stale_claim(market.industry_user, "fresh", dt.timedelta(seconds=10), like="probe")
    _stale_claim(market.industry_user, "dead", dt.timedelta(seconds=400), like="probe")

    running = _order(client, product, "fresh")
    retried = _order(client, product, "dead")

    assert running.status_code == 409 and running["Retry-After"] == "1"
    assert running.json()["type"].endswith("idempotency_in_progress")
    assert retried.status_code == 201
    dead = IdempotencyRecord.objects.get(key="dead")
    assert (
        dead.state == IdempotencyState.COMPLETED
        and dead.response_body["id"] == retried.json()["id"]
    )
    assert Order.objects.count() == 2  # the probe's and the retry's
    assert _order(client, product, "dead").json()["id"] == retried.json()["id"]


def test_a_request_whose_claim_was_taken_over_keeps_nothing(market, monkeypatch):
    product = market.listed_product()
    client = client_for(market.industry_user)
    real_create = orders.order_create

    def create_then_lose_the_claim(**kw):
        order = real_create(**kw)
        # Meanwhile a retry took the claim over (this request looked dead).
        IdempotencyRecord.objects.filter(key="slow").update(claimed_at=timezone.now())
        return order

    monkeypatch.setattr(
        "operations.commerce.apis.orders.orders.order_create", create_then_lose_the_claim
    )
    response = _order(client, product, "slow")

    assert response.status_code == 409
    assert "took this request over" in response.json()["detail"]
    assert not Order.objects.exists()  # its order was rolled back with it
    row = IdempotencyRecord.objects.get(key="slow")
    assert row.state == IdempotencyState.IN_PROGRESS and row.response_body is None


def test_an_unexpected_error_keeps_neither_the_effect_nor_the_key(market, monkeypatch):
    product = market.listed_product()
    client = client_for(market.industry_user)
    client.raise_request_exception = False
    real_create = orders.order_create

    def create_then_fail(**kw):
        real_create(**kw)
        raise RuntimeError("the worker failed after writing")

    monkeypatch.setattr("operations.commerce.apis.orders.orders.order_create", create_then_fail)
    failed = _order(client, product, "boom")

    assert failed.status_code == 500
    assert not Order.objects.exists()
    assert not IdempotencyRecord.objects.filter(key="boom").exists()
    monkeypatch.setattr("operations.commerce.apis.orders.orders.order_create", real_create)
    retried = _order(client, product, "boom")
    assert retried.status_code == 201 and Order.objects.count() == 1
