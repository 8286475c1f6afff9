"""Datastore reads, scoped: a table is visible when its dataset is published; jobs and
re-ingest belong to the holder's staff. Anything else is NotFound."""

from __future__ import annotations

from typing import Any

from portal.datastore.models import DatastoreTable, IngestJob
from portal.datastore.query import AGGREGATES, OPERATORS
from portal.lookups import Graph, fetch
from portal.models import DatasetStatus, Distribution
from registry.errors import NotFound
from registry.selectors import User, scope_of

_TABLE = Graph(
    DatastoreTable,
    ("distribution", "distribution.dataset", "distribution.dataset.holder", "version"),
)
_TABLE_WHERE = "{}.distribution_id = %s AND {distribution.dataset}.status = %s"


def table_lookup(distribution_id: int) -> tuple[Graph, str, list[Any]]:
    """The lookup of a queryable table (see `portal.lookups.fetch`): its distribution, dataset,
    holder and version come with it."""
    return _TABLE, _TABLE.select(_TABLE_WHERE), [distribution_id, DatasetStatus.PUBLISHED]


def table_or_404(table: DatastoreTable | None) -> DatastoreTable:
    if table is None:
        raise NotFound("No queryable resource with this id (unknown, or not loaded yet).")
    return table


def access_table(*, distribution_id: int) -> DatastoreTable:
    """The table of a published dataset's distribution, or NotFound."""
    [table] = fetch(table_lookup(distribution_id))
    return table_or_404(table)


def table_info(table: DatastoreTable) -> dict[str, Any]:
    return {
        "resource": table.distribution_id,
        "dataset": table.distribution.dataset.slug,
        "version": table.version.number,
        "row_count": table.row_count,
        "loaded_at": table.loaded_at,
        "fields": [{"id": c["id"], "label": c["label"], "type": c["type"]} for c in table.columns],
        "operators": list(OPERATORS),
        "aggregates": list(AGGREGATES),
    }


def tables_of_dataset(dataset) -> dict[int, DatastoreTable]:
    """Distribution id → live table, for the dataset page's API tab."""
    return {
        t.distribution_id: t
        for t in DatastoreTable.objects.filter(distribution__dataset=dataset).select_related(
            "version"
        )
    }


def _managed_org_ids(user: User) -> frozenset[int]:
    return scope_of(user).holder_org_ids if user.is_authenticated else frozenset()


def access_managed_distribution(*, user: User, distribution_id: int) -> Distribution:
    distribution = (
        Distribution.objects.select_related("dataset", "current_version")
        .filter(pk=distribution_id, dataset__holder_id__in=_managed_org_ids(user))
        .first()
    )
    if distribution is None:
        raise NotFound("No such resource.")
    return distribution


def access_job(*, user: User, job_id: int) -> IngestJob:
    job = (
        IngestJob.objects.select_related("version__distribution__dataset")
        .filter(pk=job_id, version__distribution__dataset__holder_id__in=_managed_org_ids(user))
        .first()
    )
    if job is None:
        raise NotFound("No such ingest job.")
    return job


def latest_jobs(distribution_ids: list[int]) -> dict[int, IngestJob]:
    """The newest job per distribution, for staff pages' progress bars."""
    jobs: dict[int, IngestJob] = {}
    for job in (
        IngestJob.objects.filter(version__distribution_id__in=distribution_ids)
        .select_related("version")
        .order_by("version__distribution_id", "-created_at", "-id")
        .distinct("version__distribution_id")
    ):
        jobs[job.version.distribution_id] = job
    return jobs
