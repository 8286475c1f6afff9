"""Ingest jobs: claiming, a worker that died, the sweeper, and a run through a real worker."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from portal.datastore import services, tasks
from portal.datastore.models import DatastoreTable, IngestJob, IngestStatus
from tests.portal.datastore.conftest import load
from tests.portal.factories import add_file, make_dataset


def test_a_job_is_claimed_once(dataset):
    version = add_file(dataset, content=b"a\n1\n")
    job = IngestJob.objects.get(version=version)
    assert services.ingest_run(job_id=job.pk, clock=timezone.now).status == IngestStatus.SUCCEEDED
    assert services.ingest_run(job_id=job.pk, clock=timezone.now) is None  # already done


def test_a_second_request_for_the_same_version_returns_the_active_job(dataset):
    version = add_file(dataset, content=b"a\n1\n")
    first = IngestJob.objects.get(version=version)
    again = services.ingest_request(version=version, actor=None, now=timezone.now())
    assert again.pk == first.pk


def test_a_silent_running_job_is_requeued_then_failed_after_the_last_attempt(dataset, settings):
    version = add_file(dataset, content=b"a\n1\n")
    job = IngestJob.objects.get(version=version)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    IngestJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=long_ago, attempts=1)
    result = services.ingest_sweep(now=timezone.now())
    assert result["requeued"] == 1
    job.refresh_from_db()
    assert job.status == IngestStatus.QUEUED
    IngestJob.objects.filter(pk=job.pk).update(
        status="running", heartbeat_at=long_ago, attempts=settings.DATASTORE_JOB_MAX_ATTEMPTS
    )
    assert services.ingest_sweep(now=timezone.now())["failed"] == 1
    job.refresh_from_db()
    assert job.status == IngestStatus.FAILED and "worker" in job.error["message"]


def test_a_redelivered_task_takes_over_a_stale_job(dataset):
    version = add_file(dataset, content=b"a\n1\n")
    job = IngestJob.objects.get(version=version)
    stale = timezone.now() - dt.timedelta(hours=1)
    IngestJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=stale, attempts=1)
    done = services.ingest_run(job_id=job.pk, clock=timezone.now)
    assert done.status == IngestStatus.SUCCEEDED and done.attempts == 2
    fresh = add_file(dataset, content=b"a\n2\n")
    busy = IngestJob.objects.get(version=fresh)
    IngestJob.objects.filter(pk=busy.pk).update(status="running", heartbeat_at=timezone.now())
    assert services.ingest_run(job_id=busy.pk, clock=timezone.now) is None  # another worker has it


def test_orphaned_staging_tables_are_dropped(dataset):
    job, table = load(dataset, b"a\n1\n")
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE datastore.s{table.distribution_id}_deadbeef (x int)")
    assert services.ingest_sweep(now=timezone.now())["dropped"] == 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE tablename = %s",
            [f"s{table.distribution_id}_deadbeef"],
        )
        assert cursor.fetchone()[0] == 0


def test_non_tabular_files_are_not_queued(dataset):
    version = add_file(
        dataset, content=b"%PDF-1.4\n", name="r.pdf", fmt="PDF", media_type="application/pdf"
    )
    assert not IngestJob.objects.filter(version=version).exists()
    with pytest.raises(Exception) as exc:
        services.ingest_request(version=version, actor=None, now=timezone.now())
    assert "tabular" in str(exc.value)


def test_a_real_worker_loads_an_uploaded_csv(
    reference_data_restored,
    transactional_db,
    worker_app,
    monkeypatch,
):
    from celery.contrib.testing.worker import start_worker

    from tests.conftest import World

    app, queue = worker_app
    monkeypatch.setattr(services, "_enqueue", lambda job_id: None)  # sent by hand below
    world = World()
    dataset = make_dataset(world, title="广州市公交站点")
    version = add_file(dataset, content="站点,线路数\n天河客运站,12\n".encode())
    job = IngestJob.objects.get(version=version)
    with start_worker(app, queues=[queue], perform_ping_check=False, shutdown_timeout=30):
        status = tasks.ingest_version.apply_async(args=[job.pk], queue=queue).get(timeout=60)
    assert status == IngestStatus.SUCCEEDED
    table = DatastoreTable.objects.get(distribution=version.distribution)
    assert table.row_count == 1 and table.columns[1]["type"] == "integer"


def test_progress_and_heartbeat_are_reported_while_rows_are_copied(dataset, monkeypatch):
    from portal.datastore import ingest

    monkeypatch.setattr(ingest, "_BLOCK", 64)  # a COPY statement and a report every few rows
    monkeypatch.setattr(ingest, "_COPY_BLOCKS", 1)
    seen = []
    version = add_file(dataset, content=b"n\n" + b"".join(b"%d\n" % i for i in range(200)))
    job = IngestJob.objects.get(version=version)

    def watch(rows):
        seen.append(IngestJob.objects.values_list("rows_loaded", flat=True).get(pk=job.pk))

    done = services.ingest_run(job_id=job.pk, clock=timezone.now, progress=watch)
    assert done.status == IngestStatus.SUCCEEDED and done.rows_loaded == 200
    assert len(seen) > 3 and seen == sorted(seen) and 0 < seen[0] < 200 and seen[-1] == 200
    assert done.rows_estimated == 200


def test_an_older_version_finishing_after_a_newer_one_is_superseded(dataset):
    from tests.portal.datastore.conftest import add_version

    job, table = load(dataset, b"n\n1\n")
    old_job = IngestJob.objects.create(
        version=table.version, created_at=timezone.now(), status=IngestStatus.QUEUED
    )
    add_version(table.distribution, b"n\n2\n")
    done = services.ingest_run(job_id=old_job.pk, clock=timezone.now)
    assert done.status == IngestStatus.SUPERSEDED
    table.refresh_from_db()
    assert table.version.number == 2
