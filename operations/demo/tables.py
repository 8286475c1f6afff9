"""Demo datasets with datastore tables: picked from the portal demo, loaded synchronously when
the worker has not loaded them yet."""

from __future__ import annotations

from django.utils import timezone

from portal.datastore.models import DatastoreTable, IngestJob, IngestStatus
from portal.datastore.query import columns_of
from portal.datastore.reading import TABULAR_FORMATS
from portal.datastore.services import ingest_request, ingest_run
from portal.models import Dataset


def ensure_table(dataset: Dataset) -> DatastoreTable | None:
    table = (
        DatastoreTable.objects.filter(distribution__dataset=dataset)
        .order_by("distribution_id")
        .first()
    )
    if table is not None:
        return table
    for distribution in dataset.distributions.select_related("current_version").order_by("pk"):
        version = distribution.current_version
        if version is None or version.format not in TABULAR_FORMATS:
            continue
        job = IngestJob.objects.filter(version=version, status=IngestStatus.QUEUED).first()
        if job is None:
            job = ingest_request(version=version, actor=dataset.published_by, now=timezone.now())
        ingest_run(job_id=job.pk, clock=timezone.now)
        table = DatastoreTable.objects.filter(distribution=distribution).first()
        if table is not None:
            return table
    return None


def pick(province: str, count: int) -> list[tuple[Dataset, DatastoreTable]]:
    """Datasets of a province with a loaded table of at least three columns, one of them
    text (to group by), conditional ones first."""
    out = []
    candidates = (
        Dataset.objects.filter(
            province_code=province,
            status="published",
            distributions__current_version__format__in=TABULAR_FORMATS,
        )
        .distinct()
        .order_by("open_category", "pk")  # "conditional" sorts before "unconditional"
        .select_related("resource", "holder")
    )
    for dataset in candidates:
        table = ensure_table(dataset)
        if table is None or len(table.columns) < 3 or not text_columns(table):
            continue
        out.append((dataset, table))
        if len(out) == count:
            break
    return out


def text_columns(table: DatastoreTable) -> list[str]:
    return [c.id for c in columns_of(table).values() if c.type == "text"]


def numeric_columns(table: DatastoreTable) -> list[str]:
    return [c.id for c in columns_of(table).values() if c.type in ("integer", "numeric")]
