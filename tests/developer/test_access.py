"""The access layer the API views call: header forms, keys in URLs, the one generic 401,
scope, rate limits and quotas with their headers, and metering (one usage row per call, none
for a call that raised, replays counted once)."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from portal.developer import services
from portal.developer.access import (
    GENERIC_KEY_MESSAGE,
    KeyInUrl,
    KeyRefused,
    KeyScopeRefused,
    QuotaExceeded,
    RateLimited,
    RequestReplayed,
    authenticate_request,
    check_key_scope,
    client_ip,
    metered_call,
    record_failed_call,
)
from portal.developer.models import UsageCounter
from portal.models import Dataset, UsageRecord
from tests.developer.conftest import api_request, make_key, set_plan

SHANGHAI = ZoneInfo("Asia/Shanghai")
probe = pytest.mark.urls("tests.developer.probe")


def serve(dataset, *, key=None, user=None, request=None):
    """One metered call whose block does nothing; returns its meter."""
    with metered_call(
        request=request or api_request(), key=key, user=user, dataset=dataset
    ) as meter:
        pass
    return meter


def url(dataset, query=""):
    return f"/probe/{dataset.slug}/records{query}"


# --------------------------------------------------------------------------- headers


def test_a_key_is_read_from_the_authorization_header(developer):
    key, plaintext = make_key(developer)

    assert authenticate_request(api_request(key=plaintext)) == key
    assert authenticate_request(api_request(authorization=f"api-key   {plaintext} ")) == key


def test_a_key_is_read_from_the_x_api_key_header(developer):
    key, plaintext = make_key(developer)

    assert authenticate_request(api_request(**{"x-api-key": plaintext})) == key


def test_no_key_is_an_anonymous_call(developer):
    assert authenticate_request(api_request()) is None
    assert authenticate_request(api_request(authorization="Basic dXNlcjpwdw==")) is None


def test_our_key_under_another_scheme_is_refused(developer):
    _, plaintext = make_key(developer)

    with pytest.raises(KeyRefused):
        authenticate_request(api_request(authorization=f"Bearer {plaintext}"))


def test_two_different_keys_in_one_request_are_refused(developer):
    _, first = make_key(developer, name="一")
    _, second = make_key(developer, name="二")

    with pytest.raises(KeyRefused):
        authenticate_request(api_request(key=first, **{"x-api-key": second}))


@pytest.mark.parametrize("param", ["api_key", "key", "apikey", "token", "API_KEY", "access_token"])
def test_a_key_in_the_query_string_is_refused(developer, param):
    _, plaintext = make_key(developer)

    with pytest.raises(KeyInUrl):
        authenticate_request(api_request(f"/api/v1/datastore/1/records?{param}={plaintext}"))


def test_a_key_like_value_under_any_parameter_is_refused(developer):
    _, plaintext = make_key(developer)

    with pytest.raises(KeyInUrl):
        authenticate_request(api_request(f"/x?filters=a&q={plaintext}", key=plaintext))


@probe
def test_a_key_in_the_url_is_a_400_problem_never_a_500(developer, dataset):
    _, plaintext = make_key(developer)

    response = Client().get(url(dataset, f"?api_key={plaintext}"))

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"].endswith("/api_key_in_url")
    assert plaintext not in response.content.decode()
    assert not UsageRecord.objects.exists()


@probe
def test_every_bad_key_gets_the_same_401(developer, dataset):
    revoked, revoked_plain = make_key(developer, name="吊销")
    services.key_revoke(actor=developer, key=revoked, now=timezone.now())
    now = timezone.now()
    expiring, expired_plain = make_key(
        developer, name="过期", expires_at=now + dt.timedelta(hours=1)
    )
    _, good = make_key(developer, name="有效")
    unknown = "odk_" + "a" * 12 + "_" + good.split("_")[2]
    wrong_secret = good[:-1] + ("A" if good[-1] != "A" else "B")
    bad = [revoked_plain, expired_plain, unknown, wrong_secret, "odk_short", "not a key", "x" * 500]

    bodies = set()
    with time_machine.travel(now + dt.timedelta(hours=2), tick=False):
        for value in bad:
            for headers in ({"HTTP_AUTHORIZATION": f"Api-Key {value}"}, {"HTTP_X_API_KEY": value}):
                response = Client().get(url(dataset), **headers)
                assert response.status_code == 401, value
                assert response["WWW-Authenticate"] == 'Api-Key realm="opendata"'
                bodies.add(response.content)
        empty = Client().get(url(dataset), HTTP_AUTHORIZATION="Api-Key ")
        bodies.add(empty.content)

    assert len(bodies) == 1
    body = empty.json()
    assert body["detail"] == GENERIC_KEY_MESSAGE
    assert body["type"].endswith("/invalid_api_key")
    assert "headers" not in body


# --------------------------------------------------------------------------- scope


def test_anonymous_calls_may_read_unconditional_data_only(dataset, conditional_dataset):
    check_key_scope(key=None, dataset=dataset)

    with pytest.raises(KeyScopeRefused):
        check_key_scope(key=None, dataset=conditional_dataset)


def test_a_dataset_scoped_key_is_refused_for_other_datasets(developer, dataset, other_dataset):
    key, _ = make_key(developer, scope="datasets", datasets=[dataset])

    check_key_scope(key=key, dataset=dataset)
    with pytest.raises(KeyScopeRefused) as exc:
        check_key_scope(key=key, dataset=other_dataset)
    assert exc.value.status == 403


def test_conditional_data_needs_a_key_of_a_user_who_may_have_it(
    world, developer, conditional_dataset
):
    stranger_key, _ = make_key(developer)
    holder_key, _ = make_key(world.holder)

    with pytest.raises(KeyScopeRefused):
        check_key_scope(key=stranger_key, dataset=conditional_dataset)
    check_key_scope(key=holder_key, dataset=conditional_dataset)


# --------------------------------------------------------------------------- rate limits


@probe
def test_a_served_call_carries_the_rate_limit_headers(developer, dataset):
    set_plan("standard", rate_per_minute=10, quota_per_day=100)
    _, plaintext = make_key(developer)

    response = Client().get(url(dataset), HTTP_AUTHORIZATION=f"Api-Key {plaintext}")

    assert response.status_code == 200
    assert response["X-RateLimit-Limit"] == "10"
    assert response["X-RateLimit-Remaining"] == "9"
    reset = int(response["X-RateLimit-Reset"])
    assert 0 < reset - timezone.now().timestamp() <= 60
    assert response["X-Quota-Limit"] == "100"
    assert response["X-Quota-Remaining"] == "99"
    uuid.UUID(response["X-Request-ID"])


@probe
def test_the_call_over_the_rate_limit_is_a_429_with_retry_after(dataset):
    set_plan("anonymous", rate_per_minute=2)
    start = timezone.now().replace(second=10, microsecond=0)
    client = Client()

    with time_machine.travel(start, tick=False):
        statuses = [client.get(url(dataset)).status_code for _ in range(3)]
        refused = client.get(url(dataset))

    assert statuses == [200, 200, 429]
    assert refused["Retry-After"] == "50"
    assert refused["X-RateLimit-Limit"] == "2"
    assert refused["X-RateLimit-Remaining"] == "0"
    assert refused.json()["type"].endswith("/rate_limited")
    assert UsageRecord.objects.count() == 2
    with time_machine.travel(start + dt.timedelta(seconds=50), tick=False):
        assert client.get(url(dataset)).status_code == 200


def test_anonymous_calls_are_limited_per_address_and_ipv6_per_64(dataset):
    set_plan("anonymous", rate_per_minute=1)

    def call(ip):
        with metered_call(request=api_request(ip=ip), key=None, user=None, dataset=dataset):
            pass

    call("198.51.100.1")
    call("198.51.100.2")
    call("2001:db8:1:2::1")
    with pytest.raises(RateLimited):
        call("2001:db8:1:2::ffff")
    with pytest.raises(RateLimited):
        call("198.51.100.1")


def test_the_client_address_comes_from_the_configured_proxy_header(settings):
    settings.PORTAL_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"

    assert client_ip(api_request(ip="10.0.0.1", **{"x-real-ip": "203.0.113.9"})) == "203.0.113.9"
    assert client_ip(api_request(ip="10.0.0.1", **{"x-real-ip": "garbage"})) == "10.0.0.1"
    assert client_ip(api_request(ip="::ffff:198.51.100.4")) == "198.51.100.4"


def test_the_account_limit_spans_all_of_a_users_keys(developer, dataset):
    set_plan("standard", rate_per_minute=100, account_rate_per_minute=3)
    first, _ = make_key(developer, name="一")
    second, _ = make_key(developer, name="二")

    for key in (first, second, first):
        with metered_call(request=api_request(), key=key, user=developer, dataset=dataset):
            pass
    with pytest.raises(RateLimited):
        serve(dataset, key=second, user=developer)
    counters = dict(UsageCounter.objects.filter(period="minute").values_list("subject", "used"))
    assert counters == {
        f"key:{first.family.hex}": 2,
        f"key:{second.family.hex}": 1,
        f"user:{developer.pk}": 3,
    }


# --------------------------------------------------------------------------- quotas


def test_the_daily_quota_refuses_the_call_after_the_last_unit(developer, dataset):
    set_plan("standard", quota_per_day=2)
    key, _ = make_key(developer)

    for _ in range(2):
        with metered_call(request=api_request(), key=key, user=developer, dataset=dataset):
            pass
    with (
        pytest.raises(QuotaExceeded) as exc,
        metered_call(request=api_request(), key=key, user=developer, dataset=dataset),
    ):
        raise AssertionError("the block must not run")

    headers = exc.value.extra["headers"]
    assert headers["X-RateLimit-Limit"] == headers["X-Quota-Limit"] == "2"
    assert headers["X-RateLimit-Remaining"] == "0"
    assert int(headers["Retry-After"]) >= 1
    assert UsageRecord.objects.count() == 2


def test_the_quota_resets_at_midnight_in_beijing(developer, dataset):
    set_plan("standard", quota_per_day=1)
    key, _ = make_key(developer)
    evening = dt.datetime(2026, 5, 1, 23, 59, tzinfo=SHANGHAI)

    def call(at):
        with time_machine.travel(at, tick=False):
            serve(dataset, key=key, user=developer)

    call(evening)
    with pytest.raises(QuotaExceeded) as exc:
        call(evening + dt.timedelta(seconds=30))
    assert exc.value.extra["retry_after"] == 30
    call(evening + dt.timedelta(minutes=1))


def test_rotation_does_not_reset_the_days_quota(developer, dataset):
    set_plan("standard", quota_per_day=1)
    key, _ = make_key(developer)
    with metered_call(request=api_request(), key=key, user=developer, dataset=dataset):
        pass

    new, _ = services.key_rotate(actor=developer, key=key, now=timezone.now())

    with pytest.raises(QuotaExceeded):
        serve(dataset, key=new, user=developer)


# --------------------------------------------------------------------------- metering


def test_a_served_call_is_one_usage_row_and_one_dataset_call(developer, dataset):
    key, _ = make_key(developer)
    request = api_request(ip="203.0.113.50")

    with metered_call(request=request, key=key, user=developer, dataset=dataset) as meter:
        meter.rows, meter.bytes = 42, 4096

    row = UsageRecord.objects.get()
    assert (row.request_id, row.api_key, row.user, row.dataset) == (
        meter.request_id,
        key,
        developer,
        dataset,
    )
    assert (row.kind, row.status, row.rows, row.bytes, row.client_ip) == (
        "api_call",
        200,
        42,
        4096,
        "203.0.113.50",
    )
    assert Dataset.objects.get(pk=dataset.pk).api_call_count == 1
    assert UsageCounter.objects.get(subject=f"key:{key.family.hex}", period="day").used == 1


def test_a_call_that_raises_leaves_no_row_and_takes_no_quota(developer, dataset):
    key, _ = make_key(developer)

    with (
        pytest.raises(ZeroDivisionError),
        metered_call(request=api_request(), key=key, user=developer, dataset=dataset) as meter,
    ):
        meter.rows = 1
        _ = 1 / 0

    assert not UsageRecord.objects.exists()
    assert Dataset.objects.get(pk=dataset.pk).api_call_count == 0
    assert not UsageCounter.objects.filter(period="day").exists()
    # The rate window counts the attempt.
    assert UsageCounter.objects.get(subject=f"key:{key.family.hex}", period="minute").used == 1


def test_a_replayed_request_id_is_counted_once(developer, dataset):
    key, _ = make_key(developer)
    request_id = str(uuid.uuid4())

    with metered_call(
        request=api_request(**{"x-request-id": request_id}),
        key=key,
        user=developer,
        dataset=dataset,
    ) as meter:
        pass
    with (
        pytest.raises(RequestReplayed) as exc,
        metered_call(
            request=api_request(**{"x-request-id": request_id}),
            key=key,
            user=developer,
            dataset=dataset,
        ),
    ):
        raise AssertionError("a replay must not run")

    assert str(meter.request_id) == request_id
    assert exc.value.status == 409
    assert UsageRecord.objects.filter(request_id=request_id).count() == 1
    assert UsageCounter.objects.get(subject=f"key:{key.family.hex}", period="day").used == 1
    assert Dataset.objects.get(pk=dataset.pk).api_call_count == 1


def test_an_invalid_request_id_is_replaced_by_a_new_one(dataset):
    with metered_call(
        request=api_request(**{"x-request-id": "'; drop table"}),
        key=None,
        user=None,
        dataset=dataset,
    ) as meter:
        pass

    assert UsageRecord.objects.get().request_id == meter.request_id


def test_a_call_answered_with_an_error_status_is_recorded_outside_the_quota(developer, dataset):
    key, _ = make_key(developer)

    with metered_call(request=api_request(), key=key, user=developer, dataset=dataset) as meter:
        meter.status = 400

    assert UsageRecord.objects.get().status == 400
    assert not UsageCounter.objects.filter(period="day").exists()
    assert Dataset.objects.get(pk=dataset.pk).api_call_count == 0


def test_a_failed_call_is_recorded_without_touching_the_quota(developer, dataset):
    key, _ = make_key(developer)
    request_id = str(uuid.uuid4())
    request = api_request(**{"x-request-id": request_id})

    row = record_failed_call(
        request=request, key=key, user=developer, dataset=dataset, status=503, duration_ms=5000
    )

    assert (row.status, row.duration_ms, row.api_key) == (503, 5000, key)
    assert str(row.request_id) != request_id  # the client's retry with its id is still served
    with metered_call(request=request, key=key, user=developer, dataset=dataset):
        pass
    assert UsageRecord.objects.count() == 2
    assert (
        record_failed_call(
            request=request, key=None, user=None, dataset=None, status=401, duration_ms=1
        )
        is None
    )
