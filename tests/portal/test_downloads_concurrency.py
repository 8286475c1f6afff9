"""Counting is exact under concurrency: N parallel downloads are N usage rows and a count of
N, and N parallel replays of one request id are one row. Real threads, real transactions."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from portal.models import Dataset, DistributionVersion, UsageRecord
from tests.conftest import World
from tests.portal.publishing_helpers import add_file, publish

N = 12


def download_in_threads(url: str, headers: list[dict]) -> list[int]:
    barrier = threading.Barrier(len(headers))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def worker(extra: dict) -> None:
        try:
            client = Client()
            barrier.wait(timeout=30)
            response = client.get(url, **extra)
            b"".join(response.streaming_content)
            statuses.append(response.status_code)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(h,)) for h in headers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return statuses


@pytest.fixture
def version(reference_data_restored, transactional_db) -> DistributionVersion:
    world = World()
    dataset = publish(world)
    return add_file(world, dataset, content=b"a,b\n" + b"1,2\n" * 1000)


def test_parallel_downloads_are_each_counted_exactly_once(version):
    dist = version.distribution
    url = reverse("distribution-latest", args=[dist.dataset.slug, dist.pk])

    statuses = download_in_threads(url, [{} for _ in range(N)])

    assert statuses == [200] * N
    assert UsageRecord.objects.filter(version=version).count() == N
    assert Dataset.objects.get(pk=dist.dataset_id).download_count == N
    assert DistributionVersion.objects.get(pk=version.pk).download_count == N


def test_parallel_replays_of_one_request_id_count_once(version):
    dist = version.distribution
    url = reverse("version-download", args=[dist.dataset.slug, dist.pk, version.number])
    request_id = str(uuid.uuid4())

    statuses = download_in_threads(url, [{"HTTP_X_REQUEST_ID": request_id} for _ in range(N)])

    assert statuses == [200] * N
    assert UsageRecord.objects.count() == 1
    assert Dataset.objects.get(pk=dist.dataset_id).download_count == 1
