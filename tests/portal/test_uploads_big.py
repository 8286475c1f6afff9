"""A 2 GB upload streams end to end without being held in memory: a real HTTP request to the
live server whose body is a generator (multipart written by hand), the process's allocation
peak measured with tracemalloc, and the stored size and SHA-256 checked afterwards.

The size is a parameter: PORTAL_BIG_UPLOAD_BYTES (default 2 GiB = 2147483648)."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import tracemalloc
import uuid
from urllib.parse import urlsplit

from django.core.files.storage import default_storage
from django.urls import reverse

from portal.models import DistributionVersion
from tests.conftest import World
from tests.portal.publishing_helpers import publish

SIZE = int(os.environ.get("PORTAL_BIG_UPLOAD_BYTES", str(2 * 1024**3)))
PEAK_LIMIT = 64 * 1024 * 1024
LINE = b"1234567890,abcdefghijklmnopqrs\n"  # 32 bytes
HEADER = b"identifier,value".ljust(len(LINE) - 1, b"_") + b"\n"
BLOCK = LINE * (1024 * 1024 // len(LINE))  # 1 MiB of rows


def csv_chunks(size: int, digest):
    """`size` bytes of CSV (a header line, then rows), hashed as they are produced."""
    sent = 0
    first = HEADER[:size]
    digest.update(first)
    sent += len(first)
    yield first
    while sent < size:
        chunk = BLOCK[: size - sent]
        digest.update(chunk)
        sent += len(chunk)
        yield chunk


def expected_rows(size: int) -> int:
    records = size // len(LINE) + (1 if size % len(LINE) else 0)
    return max(records - 1, 0)


def test_a_2_gb_upload_is_streamed_without_holding_it_in_memory(live_server, settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = SIZE + 1024 * 1024
    world = World()
    dataset = publish(world)
    from portal import services

    distribution = services.distribution_create(
        actor=world.holder, dataset=dataset, title="大文件", now=dataset.published_at
    )
    path = reverse("portal-api:distribution-versions", args=[dataset.slug, distribution.pk])
    boundary = uuid.uuid4().hex
    head = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="big.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    client_digest = hashlib.sha256()

    def body():
        yield head
        yield from csv_chunks(SIZE, client_digest)
        yield tail

    token = base64.b64encode(b"holder:pw-123456!").decode()
    url = urlsplit(live_server.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=1800)
    key = None
    tracemalloc.start()
    try:
        connection.request(
            "POST",
            path,
            body=body(),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(len(head) + SIZE + len(tail)),
                "Authorization": f"Basic {token}",
            },
        )
        response = connection.getresponse()
        payload = response.read()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

        assert response.status == 201, payload[:2000]
        result = json.loads(payload)
        version = DistributionVersion.objects.get(distribution=distribution)
        key = version.file.name
        print(f"{SIZE} bytes uploaded; allocation peak {peak / 2**20:.1f} MiB")
        assert peak < PEAK_LIMIT, f"peak {peak / 2**20:.1f} MiB"
        assert result["size"] == version.size == SIZE
        assert result["sha256"] == version.sha256 == client_digest.hexdigest()
        assert version.row_count == expected_rows(SIZE)
        assert version.preview["columns"] == HEADER.decode().strip().split(",")
        assert default_storage.size(key) == SIZE
        stored = hashlib.sha256()
        with default_storage.open(key, "rb") as handle:
            for block in iter(lambda: handle.read(8 * 1024 * 1024), b""):
                stored.update(block)
        assert stored.hexdigest() == client_digest.hexdigest()
    finally:
        if tracemalloc.is_tracing():
            tracemalloc.stop()
        connection.close()
        if key is None:
            key = (
                DistributionVersion.objects.filter(distribution=distribution)
                .values_list("file", flat=True)
                .first()
            )
        if key:
            default_storage.delete(key)
