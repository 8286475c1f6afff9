"""The records endpoint's thin WSGI path (`portal.datastore.fastpath`) answers as Django's
full request cycle does: the same status, headers and body for served calls, rate and quota
refusals and exports; and it hands Django every request it should not answer (refusals
before metering, session cookies, hosts not allowed, other paths and methods) without
writing anything."""

from __future__ import annotations

import io
import json
import sys
from urllib.parse import quote

import pytest
from django.core import signals, signing
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections

from portal.datastore.fastpath import RecordsFastPath
from portal.datastore.query import _CURSOR_SALT
from portal.models import UsageRecord
from tests.developer.conftest import make_key, set_plan
from tests.portal.datastore.conftest import load

CSV = (
    "站点,区,线路数\n"
    + "".join(f"站点{i},{'天河区' if i % 3 else '越秀区'},{i % 17}\n" for i in range(120))
).encode()
# Values that differ between any two calls, whichever path made them.
VOLATILE = {"X-Request-ID", "X-RateLimit-Remaining", "X-Quota-Remaining", "Retry-After"}


class Counting:
    """The Django application, counting the requests it is handed."""

    def __init__(self) -> None:
        self.app = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.app(environ, start_response)


def call(app, path: str, query: str = "", **headers):
    environ = {
        "REQUEST_METHOD": headers.pop("method", "GET"),
        "PATH_INFO": path,
        "QUERY_STRING": quote(query, safe="=&"),
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": headers.pop("host", "testserver"),
        "REMOTE_ADDR": "203.0.113.9",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }
    for name, value in headers.items():
        environ["HTTP_" + name.upper()] = value
    seen = {}

    def start_response(status, header_list, exc_info=None):
        seen["status"], seen["headers"] = status, header_list

    # As Django's test client: the test's connection (in its transaction) stays open.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        result = app(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            getattr(result, "close", lambda: None)()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return seen["status"], dict(seen["headers"]), body


@pytest.fixture
def served(world, dataset, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    _, table = load(dataset, CSV)
    set_plan("standard", rate_per_minute=1000, quota_per_day=1000)
    _, plaintext = make_key(world.citizen)
    django = Counting()
    return table, plaintext, django, RecordsFastPath(django)


def _comparable(body: bytes):
    try:
        doc = json.loads(body)
    except ValueError:
        return body
    if isinstance(doc, dict) and doc.get("next"):
        doc["next"] = signing.loads(doc["next"], salt=_CURSOR_SALT)
        doc["next_url"] = (doc["next_url"] or "").split("cursor=")[0]
    return doc


def assert_same(fast, full):
    assert fast[0] == full[0]
    assert {k for k in fast[1] if k not in VOLATILE} == {k for k in full[1] if k not in VOLATILE}
    for name, value in full[1].items():
        if name not in VOLATILE and name != "Content-Length" and not name.endswith("-Reset"):
            assert fast[1][name] == value, name
    assert _comparable(fast[2]) == _comparable(full[2])


@pytest.mark.parametrize(
    "query",
    [
        "",
        "sort=-线路数&total=none",
        "filters=" + json.dumps({"区": "天河区"}) + "&limit=5",
        "records_format=lists&total=exact&offset=3",
        "group_by=区&aggregates=" + json.dumps([{"func": "count"}]),
        "format=csv&sort=站点",
    ],
)
def test_a_served_call_is_the_same_on_both_paths(served, query):
    table, key, django, fast = served
    path = f"/api/v1/datastore/{table.distribution_id}/records"
    got = call(fast, path, query, x_api_key=key)
    assert django.calls == 0  # answered by the thin path
    assert_same(got, call(django.app, path, query, x_api_key=key))
    assert got[0] == "200 OK"
    assert UsageRecord.objects.filter(status=200).count() == 2


def test_an_anonymous_call_is_served_by_the_thin_path_too(served):
    table, _, django, fast = served
    path = f"/api/v1/datastore/{table.distribution_id}/records"
    got = call(fast, path, "limit=2", accept_language="en")
    assert django.calls == 0
    assert_same(got, call(django.app, path, "limit=2", accept_language="en"))
    assert got[1]["Content-Language"] == "en"


def test_rate_and_quota_refusals_are_the_same_on_both_paths(served):
    table, key, django, fast = served
    path = f"/api/v1/datastore/{table.distribution_id}/records"
    set_plan("standard", rate_per_minute=2, quota_per_day=1000)
    call(fast, path, "", x_api_key=key)
    call(fast, path, "", x_api_key=key)
    fast_refused = call(fast, path, "", x_api_key=key)
    full_refused = call(django.app, path, "", x_api_key=key)
    assert django.calls == 0
    assert fast_refused[0] == "429 Too Many Requests"
    assert fast_refused[1]["Content-Type"] == "application/problem+json"
    assert int(fast_refused[1]["Retry-After"]) > 0
    assert_same(fast_refused, full_refused)

    set_plan("standard", rate_per_minute=1000, quota_per_day=2)
    fast_quota = call(fast, path, "", x_api_key=key)
    assert fast_quota[0] == "429 Too Many Requests"
    assert json.loads(fast_quota[2])["type"].endswith("quota_exceeded")
    assert_same(fast_quota, call(django.app, path, "", x_api_key=key))
    assert UsageRecord.objects.filter(status=200).count() == 2


@pytest.mark.parametrize(
    ("path", "query", "headers", "status"),
    [
        ("/api/v1/datastore/{id}/records", "", {"x_api_key": "odk_wrong_secret"}, "401"),
        ("/api/v1/datastore/999999/records", "", {}, "404"),
        ("/api/v1/datastore/{id}/records", "sort=nosuchfield", {}, "400"),
        ("/api/v1/datastore/{id}/records", "limit=1&limit=2", {}, "400"),
        ("/api/v1/datastore/{id}/records", "", {"host": "evil.example"}, "400"),
        ("/api/v1/datastore/{id}/records", "", {"cookie": "sessionid=abc"}, "200"),
        ("/api/v1/datastore/{id}/records", "", {"method": "HEAD"}, "200"),
        ("/api/v1/datastore/{id}", "", {}, "200"),
    ],
)
def test_what_the_thin_path_declines_django_answers(served, path, query, headers, status):
    table, _, django, fast = served
    path = path.format(id=table.distribution_id)
    before = UsageRecord.objects.count()
    got = call(fast, path, query, **dict(headers))
    after_fast = UsageRecord.objects.count()
    assert django.calls == 1
    assert got[0].startswith(status)
    expected = call(django.app, path, query, **dict(headers))
    assert_same(got, expected)
    # The thin path wrote nothing before handing over: Django's answer wrote what the same
    # request written by Django alone writes.
    assert after_fast - before == UsageRecord.objects.count() - after_fast


def test_switched_off_every_request_goes_to_django(served, settings):
    table, key, django, fast = served
    settings.DATASTORE_FAST_PATH = False
    got = call(fast, f"/api/v1/datastore/{table.distribution_id}/records", "", x_api_key=key)
    assert got[0] == "200 OK" and django.calls == 1
