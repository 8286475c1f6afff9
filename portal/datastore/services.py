"""Ingest jobs: requesting, claiming, running, sweeping. Writes only; reads are selectors."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from psycopg import sql

from portal.datastore.ingest import SCHEMA, Superseded, load_version
from portal.datastore.models import ColumnType, IngestJob, IngestStatus
from portal.datastore.reading import TABULAR_FORMATS, IngestError
from portal.models import DistributionVersion
from registry.errors import ValidationFailed

log = logging.getLogger(__name__)


def _enqueue(job_id: int) -> None:
    from portal.datastore.tasks import ingest_version

    ingest_version.delay(job_id)


def check_type_overrides(value: object) -> dict[str, str]:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValidationFailed(
            "Type overrides map field names to types.",
            errors={"type_overrides": ["An object of field name → type."]},
        )
    bad = sorted(v for v in value.values() if v not in ColumnType.values)
    if bad:
        raise ValidationFailed(
            "Unknown column type.",
            errors={"type_overrides": [f"Allowed types: {', '.join(ColumnType.values)}."]},
        )
    return dict(value)


def ingest_request(
    *, version: DistributionVersion, actor, now: dt.datetime, type_overrides: object = None
) -> IngestJob:
    """Queue a load of `version`. An already active job for it is returned as it is."""
    if version.format not in TABULAR_FORMATS:
        raise ValidationFailed(
            "Only tabular files can be loaded into the datastore.",
            errors={"format": [f"Tabular formats: {', '.join(sorted(TABULAR_FORMATS))}."]},
        )
    overrides = check_type_overrides(type_overrides)
    active = Q(status__in=[IngestStatus.QUEUED, IngestStatus.RUNNING])
    existing = IngestJob.objects.filter(active, version=version).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            job = IngestJob.objects.create(
                version=version,
                type_overrides=overrides,
                requested_by=actor if getattr(actor, "is_authenticated", False) else None,
                created_at=now,
            )
    except IntegrityError:  # a concurrent request won the partial unique index
        return IngestJob.objects.get(active, version=version)
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _claim(job_id: int, now: dt.datetime) -> bool:
    """Compare-and-swap: queued → running, or take over a running job whose worker went
    silent (redelivered after the worker died)."""
    stale = now - dt.timedelta(seconds=settings.DATASTORE_JOB_STALE_SECONDS)
    claimable = Q(status=IngestStatus.QUEUED) | Q(
        status=IngestStatus.RUNNING, heartbeat_at__lt=stale
    )
    return bool(
        IngestJob.objects.filter(claimable, pk=job_id).update(
            status=IngestStatus.RUNNING,
            started_at=now,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            rows_loaded=0,
        )
    )


def _finish(job_id: int, status: str, now: dt.datetime, **fields) -> None:
    IngestJob.objects.filter(pk=job_id, status=IngestStatus.RUNNING).update(
        status=status, finished_at=now, heartbeat_at=now, **fields
    )


def ingest_run(
    *, job_id: int, clock: Callable[[], dt.datetime], progress: Callable[[int], None] | None = None
) -> IngestJob | None:
    """Run a queued job. Returns None when another worker holds it. A load error fails the
    job with its report; an unexpected error requeues it until attempts run out."""
    if not _claim(job_id, clock()):
        return None
    job = IngestJob.objects.select_related("version__distribution").get(pk=job_id)
    if job.version.distribution.current_version_id != job.version_id:
        _finish(job_id, IngestStatus.SUPERSEDED, clock())
        return IngestJob.objects.get(pk=job_id)

    def report(rows: int) -> None:
        IngestJob.objects.filter(pk=job_id).update(rows_loaded=rows, heartbeat_at=clock())
        if progress is not None:
            progress(rows)

    try:
        table = load_version(
            version=job.version,
            overrides=job.type_overrides,
            now=clock(),
            job=job,
            progress=report,
        )
    except Superseded:
        _finish(job_id, IngestStatus.SUPERSEDED, clock())
    except IngestError as exc:
        _finish(
            job_id, IngestStatus.FAILED, clock(), error={"message": exc.message, "lines": exc.lines}
        )
    except Exception as exc:
        if job.attempts >= settings.DATASTORE_JOB_MAX_ATTEMPTS:
            _finish(
                job_id,
                IngestStatus.FAILED,
                clock(),
                error={"message": f"The load failed {job.attempts} times: {exc}", "lines": []},
            )
        else:
            IngestJob.objects.filter(pk=job_id, status=IngestStatus.RUNNING).update(
                status=IngestStatus.QUEUED, heartbeat_at=None
            )
        raise
    else:
        _finish(job_id, IngestStatus.SUCCEEDED, clock(), rows_loaded=table.row_count)
    return IngestJob.objects.get(pk=job_id)


def ingest_sweep(*, now: dt.datetime) -> dict[str, int]:
    """Requeue (or fail, after the last attempt) jobs whose worker went silent, and drop
    staging tables that no active job owns."""
    stale = now - dt.timedelta(seconds=settings.DATASTORE_JOB_STALE_SECONDS)
    silent = IngestJob.objects.filter(status=IngestStatus.RUNNING, heartbeat_at__lt=stale)
    failed = silent.filter(attempts__gte=settings.DATASTORE_JOB_MAX_ATTEMPTS).update(
        status=IngestStatus.FAILED,
        finished_at=now,
        error={"message": "The worker stopped responding on the last attempt.", "lines": []},
    )
    requeued = []
    for job_id in silent.values_list("pk", flat=True):
        if IngestJob.objects.filter(
            pk=job_id, status=IngestStatus.RUNNING, heartbeat_at__lt=stale
        ).update(status=IngestStatus.QUEUED):
            requeued.append(job_id)
    for job_id in requeued:
        transaction.on_commit(lambda job_id=job_id: _enqueue(job_id))
    return {"failed": failed, "requeued": len(requeued), "dropped": _drop_orphans()}


def _drop_orphans() -> int:
    active = set(
        IngestJob.objects.filter(status=IngestStatus.RUNNING).values_list(
            "version__distribution_id", flat=True
        )
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename ~ '^s[0-9]+_'",
            [SCHEMA],
        )
        names = [row[0] for row in cursor.fetchall()]
        dropped = 0
        for name in names:
            if int(name[1:].split("_", 1)[0]) in active:
                continue
            cursor.execute(
                sql.SQL("DROP TABLE IF EXISTS {}.{}").format(
                    sql.Identifier(SCHEMA), sql.Identifier(name)
                )
            )
            dropped += 1
    return dropped
