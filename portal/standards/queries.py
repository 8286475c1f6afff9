"""Reads behind the standards endpoints. Only published datasets ever leave here, and each
batch is described in a fixed number of queries whatever its size."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet

from portal.models import Dataset, DatasetStatus, Distribution
from portal.selectors import datasets_public
from registry.models import Organisation, Region

_FILES = Prefetch(
    "distributions",
    queryset=Distribution.objects.filter(current_version__isnull=False)
    .select_related("current_version")
    .order_by("position", "id"),
)


def datasets_described() -> QuerySet[Dataset]:
    """Published datasets with their registry record, its current metadata and their files."""
    return (
        datasets_public()
        .select_related("resource__current_version", "holder__region")
        .prefetch_related(_FILES)
    )


def datasets_in_order(ids: list[int]) -> list[Dataset]:
    """The described datasets with these ids, in the order given (e.g. a search result page)."""
    by_id = {d.pk: d for d in datasets_described().filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


def files_of(dataset: Dataset) -> list[Distribution]:
    """The distributions that have a current version. Works on a dataset from
    `access_dataset` too (its prefetch is already filtered the same way)."""
    files = [d for d in dataset.distributions.all() if d.current_version_id is not None]
    return sorted(files, key=lambda d: (d.position, d.pk))


def coverage_codes(dataset: Dataset) -> list[str]:
    version = dataset.resource.current_version
    codes = version.coverage_regions if version is not None else []
    return [str(c) for c in codes if isinstance(c, str | int)]


def region_names(datasets: Iterable[Dataset]) -> dict[str, str]:
    """Names of the coverage regions of these datasets, in one query."""
    codes = {code for d in datasets for code in coverage_codes(d)}
    if not codes:
        return {}
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))


def catalogue_span() -> dict:
    """First publication, last metadata change and size of the published catalogue."""
    return datasets_public().aggregate(
        issued=Min("published_at"), modified=Max("metadata_updated_at"), total=Count("id")
    )


def publishers() -> QuerySet[Organisation]:
    """Organisations with at least one published dataset, with their count and last change."""
    published = Q(datasets__status=DatasetStatus.PUBLISHED)
    return (
        Organisation.objects.select_related("region")
        .annotate(
            package_count=Count("datasets", filter=published),
            last_modified=Max("datasets__metadata_updated_at", filter=published),
        )
        .filter(package_count__gt=0)
    )
