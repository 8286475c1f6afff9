"""Uploads over HTTP: the streaming handler hashes as bytes arrive and skips other file
fields; an oversized Content-Length is refused with 413 before the body is read, on pages and
on the API."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopUpload
from django.http.multipartparser import MultiPartParser
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from portal.models import Distribution, DistributionVersion
from portal.uploads import HashingUploadHandler
from tests.portal.publishing_helpers import add_file, publish


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anyone reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@pytest.fixture
def dataset(world):
    return publish(world)


def oversized_post(client, url: str, *, limit: int):
    return client.generic(
        "POST",
        url,
        data=b"",
        content_type=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(limit + 1),
        **{"wsgi.input": UnreadableBody()},
    )


def test_an_oversized_page_upload_is_413_before_the_body_is_read(client, world, dataset, settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    client.force_login(world.holder)

    response = oversized_post(
        client,
        reverse("publish-add-file", args=[dataset.slug]),
        limit=settings.PORTAL_UPLOAD_MAX_BYTES,
    )

    assert response.status_code == 413
    assert "单个上传不得超过 10 MiB" in response.content.decode()
    assert not Distribution.objects.exists()


def test_an_oversized_api_upload_is_413_problem_json_before_the_body_is_read(
    client, world, dataset, settings
):
    settings.PORTAL_UPLOAD_MAX_BYTES = 1000
    dist = add_file(world, dataset).distribution
    client.force_login(world.holder)
    url = reverse("portal-api:distribution-versions", args=[dataset.slug, dist.pk])

    response = oversized_post(client, url, limit=1000)

    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 413
    assert problem["type"].endswith("/payload-too-large")
    assert "1000 bytes" in problem["detail"]
    assert dist.versions.count() == 1


def test_anonymous_oversized_uploads_are_not_read_either(client, dataset, settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 1000

    response = oversized_post(client, reverse("publish-add-file", args=[dataset.slug]), limit=1000)

    assert response.status_code == 302  # to the login page; nothing was read or stored


def parse(body: bytes, handler: HashingUploadHandler):
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
    return MultiPartParser(meta, io.BytesIO(body), [handler]).parse()


def test_the_handler_hashes_and_counts_as_the_bytes_arrive():
    content = b"a,b\n" * 100_000
    body = encode_multipart(BOUNDARY, {"file": SimpleUploadedFile("x.csv", content), "title": "t"})
    handler = HashingUploadHandler(max_bytes=10**9)

    post, files = parse(body, handler)

    upload = files["file"]
    assert post["title"] == "t"
    assert upload.sha256 == hashlib.sha256(content).hexdigest()
    assert upload.streamed_size == upload.size == len(content)
    assert hasattr(upload, "temporary_file_path")  # on disk, never in memory
    upload.close()


def test_the_handler_skips_file_fields_other_than_file():
    body = encode_multipart(
        BOUNDARY,
        {"file": SimpleUploadedFile("x.csv", b"a\n"), "other": SimpleUploadedFile("y.exe", b"MZ")},
    )

    _, files = parse(body, HashingUploadHandler(max_bytes=10**9))

    assert list(files) == ["file"]


def test_the_handler_refuses_a_body_over_the_limit_without_parsing_it():
    body = encode_multipart(BOUNDARY, {"file": SimpleUploadedFile("x.csv", b"a" * 5000)})
    handler = HashingUploadHandler(max_bytes=1000)

    post, files = parse(body, handler)

    assert handler.too_large and not files and not post


def test_the_handler_stops_a_file_that_grows_past_the_limit():
    handler = HashingUploadHandler(max_bytes=100)
    handler.new_file("file", "x.csv", "text/csv", None)
    handler.receive_data_chunk(b"a" * 60, 0)

    with pytest.raises(StopUpload) as exc:
        handler.receive_data_chunk(b"a" * 60, 60)

    assert exc.value.connection_reset and handler.too_large
    handler.file.close()


def test_an_api_upload_streams_through_the_handler(client, world, dataset):
    dist = add_file(world, dataset).distribution
    client.force_login(world.holder)
    content = "编号,名称\n1,甲\n2,乙\n".encode("gbk")

    response = client.post(
        reverse("portal-api:distribution-versions", args=[dataset.slug, dist.pk]),
        {"file": SimpleUploadedFile("v2.csv", content)},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == 2 and body["encoding"] == "gb18030" and body["row_count"] == 2
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["download_url"].endswith(f"/files/{dist.pk}/versions/2")
    assert DistributionVersion.objects.filter(distribution=dist).count() == 2
