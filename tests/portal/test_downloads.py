"""File downloads: access by open category, validators and conditional requests, byte ranges,
a safe Content-Disposition, the three transports, and metering."""

from __future__ import annotations

import hashlib
import uuid
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils.http import http_date

from portal import services
from portal.models import DistributionVersion, UsageRecord
from tests.conftest import at
from tests.portal import factories
from tests.portal.publishing_helpers import NOW, add_file, new_version, publish

CONTENT = "编号,名称\n" + "".join(f"{n},站点{n}\n" for n in range(100))
BODY = CONTENT.encode()


@pytest.fixture
def version(world) -> DistributionVersion:
    dataset = publish(world)
    return add_file(world, dataset, content=BODY, name="公交站点.csv")


def latest_url(version) -> str:
    dist = version.distribution
    return reverse("distribution-latest", args=[dist.dataset.slug, dist.pk])


def version_url(version) -> str:
    dist = version.distribution
    return reverse("version-download", args=[dist.dataset.slug, dist.pk, version.number])


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def counts(version) -> tuple[int, int, int]:
    version.refresh_from_db()
    dataset = version.distribution.dataset
    dataset.refresh_from_db()
    return UsageRecord.objects.count(), dataset.download_count, version.download_count


# --------------------------------------------------------------------------- full downloads


def test_anyone_downloads_unconditional_data_without_logging_in(client, version):
    response = client.get(latest_url(version))

    assert response.status_code == 200
    assert body(response) == BODY
    assert response["Content-Length"] == str(len(BODY))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["ETag"] == f'"{hashlib.sha256(BODY).hexdigest()}"'
    assert response["Last-Modified"] == http_date(NOW.timestamp())
    assert response["Accept-Ranges"] == "bytes"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, no-cache"
    assert response["Content-Location"] == version_url(version)
    assert response["Content-Disposition"] == (
        "attachment; filename=\"download.csv\"; filename*=UTF-8''"
        "%E5%85%AC%E4%BA%A4%E7%AB%99%E7%82%B9.csv"
    )
    assert counts(version) == (1, 1, 1)


def test_a_version_url_is_cacheable_publicly(client, version):
    response = client.get(version_url(version))

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=3600"
    assert body(response) == BODY


def test_the_latest_url_moves_and_old_versions_stay_downloadable(client, world, version):
    second = new_version(world, version.distribution, content=b"a\n2\n", now=at(2026, 5, 1))

    latest = client.get(latest_url(version))
    old = client.get(version_url(version))

    assert body(latest) == b"a\n2\n"
    assert latest["Content-Location"] == version_url(second)
    assert body(old) == BODY
    assert old["ETag"] != latest["ETag"]


def test_head_answers_the_headers_without_a_body_and_is_not_counted(client, version):
    response = client.head(latest_url(version))

    assert response.status_code == 200
    assert response["Content-Length"] == str(len(BODY))
    assert response["ETag"] and response["Content-Disposition"].startswith("attachment;")
    assert body(response) == b""
    assert counts(version) == (0, 0, 0)


def test_other_methods_are_not_allowed(client, version):
    assert client.post(latest_url(version)).status_code == 405


@pytest.mark.parametrize(
    "path",
    [
        lambda v: reverse(
            "version-download", args=[v.distribution.dataset.slug, v.distribution_id, 9]
        ),
        lambda v: reverse("distribution-latest", args=[v.distribution.dataset.slug, 999999]),
        lambda v: reverse("distribution-latest", args=["no-such-dataset", v.distribution_id]),
    ],
)
def test_unknown_files_are_404(client, version, path):
    assert client.get(path(version)).status_code == 404


def test_files_of_a_withdrawn_dataset_are_404(client, world, version):
    services.dataset_withdraw(
        actor=world.holder, dataset=version.distribution.dataset, reason="整改", now=NOW
    )

    assert client.get(latest_url(version)).status_code == 404
    assert client.get(version_url(version)).status_code == 404
    assert counts(version) == (0, 0, 0)


def test_html_is_never_served_as_html(client, world):
    dataset = factories.make_dataset(world)
    html = factories.add_file(
        dataset, content=b"<script>alert(1)</script>", name="x.csv", media_type="text/html"
    )

    response = client.get(latest_url(html))

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


# --------------------------------------------------------------------------- ranges


@pytest.mark.parametrize(
    ("header", "start", "end", "counted"),
    [
        ("bytes=0-9", 0, 9, 1),
        ("bytes=-5", len(BODY) - 5, len(BODY) - 1, 0),
        ("bytes=10-", 10, len(BODY) - 1, 0),
        ("bytes=20-29", 20, 29, 0),
        ("bytes=0-999999", 0, len(BODY) - 1, 1),
        ("bytes=-999999", 0, len(BODY) - 1, 1),
    ],
)
def test_a_single_range_is_a_206(client, version, header, start, end, counted):
    response = client.get(latest_url(version), HTTP_RANGE=header)

    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{len(BODY)}"
    assert response["Content-Length"] == str(end - start + 1)
    assert body(response) == BODY[start : end + 1]
    assert counts(version) == (counted, counted, counted)


def test_several_ranges_get_the_whole_file(client, version):
    response = client.get(latest_url(version), HTTP_RANGE="bytes=0-1, 5-6")

    assert response.status_code == 200
    assert "Content-Range" not in response
    assert body(response) == BODY


@pytest.mark.parametrize(
    "header",
    ["bytes=999999-", "bytes=-0", "bytes=5-2", "garbage", "bytes=abc", "bytes=", "bytes=1-2,x"],
)
def test_unsatisfiable_or_malformed_ranges_are_416(client, version, header):
    response = client.get(latest_url(version), HTTP_RANGE=header)

    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(BODY)}"
    assert counts(version) == (0, 0, 0)


def test_another_range_unit_is_ignored(client, version):
    response = client.get(latest_url(version), HTTP_RANGE="items=0-5")

    assert response.status_code == 200 and body(response) == BODY


def test_if_range_with_a_stale_validator_gets_the_whole_file(client, version):
    etag = f'"{version.sha256}"'

    stale = client.get(latest_url(version), HTTP_RANGE="bytes=10-", HTTP_IF_RANGE='"other"')
    weak = client.get(latest_url(version), HTTP_RANGE="bytes=10-", HTTP_IF_RANGE=f"W/{etag}")
    fresh = client.get(latest_url(version), HTTP_RANGE="bytes=10-", HTTP_IF_RANGE=etag)
    dated = client.get(
        latest_url(version), HTTP_RANGE="bytes=10-", HTTP_IF_RANGE=http_date(NOW.timestamp())
    )
    old_date = client.get(
        latest_url(version), HTTP_RANGE="bytes=10-", HTTP_IF_RANGE=http_date(NOW.timestamp() - 60)
    )

    assert (stale.status_code, body(stale)) == (200, BODY)
    assert weak.status_code == 200
    assert (fresh.status_code, body(fresh)) == (206, BODY[10:])
    assert dated.status_code == 206
    assert old_date.status_code == 200


def test_head_ignores_the_range(client, version):
    response = client.head(latest_url(version), HTTP_RANGE="bytes=0-9")

    assert response.status_code == 200
    assert response["Content-Length"] == str(len(BODY))


# --------------------------------------------------------------------------- conditional GET


def test_a_matching_etag_is_a_304_and_not_counted(client, version):
    etag = f'"{version.sha256}"'

    exact = client.get(latest_url(version), HTTP_IF_NONE_MATCH=etag)
    listed = client.get(latest_url(version), HTTP_IF_NONE_MATCH=f'"x", W/{etag}')
    star = client.get(latest_url(version), HTTP_IF_NONE_MATCH="*")

    assert [r.status_code for r in (exact, listed, star)] == [304, 304, 304]
    assert exact["ETag"] == etag and exact["Cache-Control"] == "public, no-cache"
    assert body(exact) == b""
    assert counts(version) == (0, 0, 0)


def test_another_etag_gets_the_file(client, version):
    response = client.get(latest_url(version), HTTP_IF_NONE_MATCH='"stale"')

    assert response.status_code == 200


def test_if_modified_since(client, version):
    later = client.get(latest_url(version), HTTP_IF_MODIFIED_SINCE=http_date(NOW.timestamp() + 60))
    earlier = client.get(
        latest_url(version), HTTP_IF_MODIFIED_SINCE=http_date(NOW.timestamp() - 60)
    )
    # If-None-Match wins over If-Modified-Since.
    both = client.get(
        latest_url(version),
        HTTP_IF_NONE_MATCH='"stale"',
        HTTP_IF_MODIFIED_SINCE=http_date(NOW.timestamp() + 60),
    )

    assert later.status_code == 304
    assert earlier.status_code == 200
    assert both.status_code == 200


# --------------------------------------------------------------------------- file names


@pytest.mark.parametrize(
    "name",
    [
        'evil"; filename="x.exe.csv',
        "line\r\nSet-Cookie: a=b.csv",
        "../../etc/passwd.csv",
        "..\\..\\boot.ini.csv",
        "invoice\u202efdp.exe.csv",
        "长" * 300 + ".csv",
        "tab\tand;semi.csv",
    ],
)
def test_hostile_file_names_are_made_safe(client, world, name):
    dataset = publish(world)
    version = add_file(world, dataset, content=b"a\n1\n", name=name)

    disposition = client.get(latest_url(version))["Content-Disposition"]

    assert "\r" not in disposition and "\n" not in disposition and "\u202e" not in disposition
    assert disposition.startswith('attachment; filename="')
    fallback = disposition.split('filename="', 1)[1].split('"', 1)[0]
    assert (
        fallback.isascii() and "/" not in fallback and "\\" not in fallback and ";" not in fallback
    )
    assert fallback.endswith(".csv") and len(fallback) <= 100
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert all(c not in encoded for c in ' "\\;')
    decoded = unquote(encoded)
    assert decoded.endswith(".csv") and "/" not in decoded and "\\" not in decoded
    assert not decoded.startswith(".") and len(decoded) <= 255


# --------------------------------------------------------------------------- conditional data


@pytest.fixture
def conditional(world) -> DistributionVersion:
    dataset = publish(world, open_category="conditional")
    return add_file(world, dataset, content=BODY)


def test_anonymous_visitors_of_conditional_data_get_401_with_a_login_link(client, conditional):
    url = latest_url(conditional)

    response = client.get(url)

    assert response.status_code == 401
    assert response["WWW-Authenticate"]
    assert response["Cache-Control"] == "private, no-store"
    html = response.content.decode()
    assert f"{reverse('login')}?next=" in html and "有条件开放" in html
    assert counts(conditional) == (0, 0, 0)


def test_a_citizen_without_a_grant_gets_403_saying_how_to_get_access(client, world, conditional):
    client.force_login(world.citizen)

    response = client.get(latest_url(conditional))

    assert response.status_code == 403
    html = response.content.decode()
    assert "数据使用申请" in html and "张三" in html  # how to apply, and whom to contact


def test_staff_of_another_holder_are_refused_too(client, world, conditional):
    client.force_login(world.other_holder)

    assert client.get(latest_url(conditional)).status_code == 403


def test_the_holders_staff_download_conditional_data_privately(client, world, conditional):
    client.force_login(world.holder)

    response = client.get(latest_url(conditional))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"
    assert body(response) == BODY
    record = UsageRecord.objects.get()
    assert record.user == world.holder and record.status == 200 and record.bytes == len(BODY)


# --------------------------------------------------------------------------- transports


def test_x_accel_redirect_mode_hands_the_bytes_to_nginx(client, settings, version):
    settings.PORTAL_DOWNLOAD_ACCEL_REDIRECT = "/protected-files/"

    response = client.get(latest_url(version))

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-files/{version.file.name}"
    assert body(response) == b""
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["ETag"] == f'"{version.sha256}"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "public, no-cache"
    assert counts(version) == (1, 1, 1)


def test_x_accel_redirect_mode_still_answers_304_and_meters_ranges_by_their_start(
    client, settings, version
):
    settings.PORTAL_DOWNLOAD_ACCEL_REDIRECT = "/protected-files/"

    not_modified = client.get(latest_url(version), HTTP_IF_NONE_MATCH=f'"{version.sha256}"')
    later = client.get(latest_url(version), HTTP_RANGE="bytes=50-")

    assert not_modified.status_code == 304 and "X-Accel-Redirect" not in not_modified
    assert later["X-Accel-Redirect"]
    assert counts(version) == (0, 0, 0)


def test_object_storage_mode_redirects_to_a_signed_url(client, settings, version):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.portal.signing_storage.SigningStorage"},
    }
    settings.PORTAL_DOWNLOAD_SIGNED_URLS = True
    settings.PORTAL_DOWNLOAD_URL_EXPIRE_SECONDS = 120

    response = client.get(latest_url(version))

    assert response.status_code == 302
    location = unquote(response["Location"])
    assert location.startswith(f"https://objects.example.gov.cn/bucket/{version.file.name}?")
    assert "ResponseContentDisposition=attachment; filename=" in location.replace("+", " ")
    assert "X-Amz-Expires=120" in location
    assert response["Cache-Control"] == "private, no-store"
    assert counts(version) == (1, 1, 1)


# --------------------------------------------------------------------------- metering


def test_a_request_id_is_taken_from_the_header_and_a_replay_is_not_counted(client, version):
    request_id = uuid.uuid4()

    first = client.get(latest_url(version), HTTP_X_REQUEST_ID=str(request_id))
    body(first)
    replay = client.get(latest_url(version), HTTP_X_REQUEST_ID=request_id.hex)
    body(replay)

    assert replay.status_code == 200
    assert counts(version) == (1, 1, 1)
    assert UsageRecord.objects.get().request_id == request_id


def test_an_invalid_request_id_is_replaced(client, version):
    body(client.get(latest_url(version), HTTP_X_REQUEST_ID="not-a-uuid"))
    body(client.get(latest_url(version), HTTP_X_REQUEST_ID="not-a-uuid"))

    assert counts(version) == (2, 2, 2)


def test_an_aborted_transfer_is_not_a_download(rf, version, monkeypatch):
    from django.contrib.auth.models import AnonymousUser
    from django.core.signals import request_finished
    from django.db import close_old_connections

    import portal.downloads as downloads
    from portal.views import files

    monkeypatch.setattr(downloads, "BLOCK_BYTES", 16)
    request = rf.get(latest_url(version))
    request.user = AnonymousUser()
    dist = version.distribution
    response = files.distribution_latest(request, dist.dataset.slug, dist.pk)
    assert len(next(iter(response.streaming_content))) == 16
    # The client went away after the first block: the server closes the response (keeping
    # the test's database connection, as the test client does).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)

    assert counts(version) == (0, 0, 0)


def test_the_usage_record_names_the_version_ip_and_bytes(client, version):
    body(client.get(version_url(version), REMOTE_ADDR="203.0.113.9"))

    record = UsageRecord.objects.get()
    assert (record.kind, record.version, record.dataset_id) == (
        "download",
        version,
        version.distribution.dataset_id,
    )
    assert record.client_ip == "203.0.113.9"
    assert record.user is None and record.bytes == len(BODY)
