"""Reads behind the public catalogue pages: portal-wide figures, holders, provinces, licences,
timeliness, and a dataset's file versions. Everything is public, so the only scoping is
"published": a withdrawn dataset is never counted or shown, and a holder, province or licence
page that would show nothing is NotFound (404).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from portal.models import Dataset, DatasetStatus, Distribution, DistributionVersion, Licence, Theme
from portal.selectors import datasets_public
from registry.errors import NotFound
from registry.models import NATIONAL_REGION_CODE, Organisation, Region, RegionLevel

PUBLISHED = Q(datasets__status=DatasetStatus.PUBLISHED)
# Checked before any query: a URL segment may hold anything, NUL included, which PostgreSQL
# refuses in text.
_REGION_CODE = re.compile(r"[0-9]{6}")
_LICENCE_CODE = re.compile(r"[-A-Za-z0-9_.]{1,40}")


@dataclass(frozen=True)
class PortalStats:
    datasets: int
    files: int
    downloads: int
    api_calls: int
    organisations: int


@dataclass(frozen=True)
class RegionCount:
    region: Region
    count: int


@dataclass(frozen=True)
class HolderTimeliness:
    holder: Organisation
    on_time: int
    overdue: int
    no_due_date: int

    @property
    def total(self) -> int:
        return self.on_time + self.overdue + self.no_due_date


def portal_stats() -> PortalStats:
    """Published datasets, files (distributions with a current version), downloads, API calls
    and holders with published datasets. Two queries."""
    totals = datasets_public().aggregate(
        datasets=Count("id"),
        downloads=Coalesce(Sum("download_count"), 0),
        api_calls=Coalesce(Sum("api_call_count"), 0),
        organisations=Count("holder", distinct=True),
    )
    files = Distribution.objects.filter(
        dataset__status=DatasetStatus.PUBLISHED, current_version__isnull=False
    ).count()
    return PortalStats(files=files, **totals)


def datasets_newest(limit: int = 6) -> list[Dataset]:
    return list(datasets_public().order_by("-published_at", "-id")[:limit])


def datasets_most_downloaded(limit: int = 6) -> list[Dataset]:
    return list(datasets_public().order_by("-download_count", "-published_at", "-id")[:limit])


def theme_counts() -> list[Theme]:
    """Every theme, with `n` = its published datasets."""
    return list(Theme.objects.annotate(n=Count("datasets", filter=PUBLISHED)))


def province_regions() -> QuerySet[Region]:
    """Nationwide (000000) first, then the provincial-level divisions."""
    return Region.objects.filter(
        Q(level=RegionLevel.PROVINCE) | Q(code=NATIONAL_REGION_CODE)
    ).order_by("code")


def province_counts(*, with_empty: bool = False) -> list[RegionCount]:
    """Published datasets per province (the region facet), largest first by default."""
    counts = dict(
        datasets_public()
        .order_by()
        .values_list("province_code")
        .annotate(n=Count("id"))
        .values_list("province_code", "n")
    )
    rows = [RegionCount(r, counts.get(r.code, 0)) for r in province_regions()]
    if not with_empty:
        rows = sorted((r for r in rows if r.count), key=lambda r: (-r.count, r.region.code))
    return rows


def access_province(*, code: str) -> Region:
    """A provincial-level division or nationwide, by code; anything else is NotFound."""
    if not _REGION_CODE.fullmatch(code):
        raise NotFound("No such province.")
    region = province_regions().filter(code=code).first()
    if region is None:
        raise NotFound("No such province.")
    return region


def datasets_in_province(region: Region) -> QuerySet[Dataset]:
    return datasets_public().filter(province_code=region.code)


def holders_in_province(region: Region) -> QuerySet[Organisation]:
    # A dataset's province is its holder's (see Dataset.province_code); filtering on the
    # holder's own region keeps the dataset join, and so the counts, single.
    return holders_public().filter(region__province_code=region.code)


def holders_public() -> QuerySet[Organisation]:
    """Organisations with published datasets, each with `n` = how many, largest first."""
    return (
        Organisation.objects.filter(PUBLISHED)
        .annotate(n=Count("datasets", filter=PUBLISHED))
        .select_related("region")
        .order_by("-n", "name", "pk")
    )


def access_public_holder(*, pk: int) -> Organisation:
    holder = holders_public().filter(pk=pk).first()
    if holder is None:
        raise NotFound("No such data provider.")
    return holder


def datasets_of_holder(holder: Organisation) -> QuerySet[Dataset]:
    return datasets_public().filter(holder=holder)


def licences_public() -> QuerySet[Licence]:
    """The licence register, each with `n` = the published datasets under it."""
    return Licence.objects.annotate(n=Count("datasets", filter=PUBLISHED))


def access_licence(*, code: str) -> Licence:
    if not _LICENCE_CODE.fullmatch(code):
        raise NotFound("No such licence.")
    licence = licences_public().filter(code=code).first()
    if licence is None:
        raise NotFound("No such licence.")
    return licence


def datasets_under_licence(licence: Licence) -> QuerySet[Dataset]:
    return datasets_public().filter(licence=licence)


def datasets_overdue(*, now: dt.datetime) -> QuerySet[Dataset]:
    """Published datasets whose promised update is late, the longest overdue first."""
    return datasets_public().filter(update_due_at__lt=now).order_by("update_due_at", "id")


def timeliness_by_holder(*, now: dt.datetime) -> list[HolderTimeliness]:
    """Per holder: datasets updated on time, overdue, and with no due date (irregular, or no
    file yet). Holders with overdue datasets first. One query."""
    rows = holders_public().annotate(
        on_time=Count("datasets", filter=PUBLISHED & Q(datasets__update_due_at__gte=now)),
        overdue=Count("datasets", filter=PUBLISHED & Q(datasets__update_due_at__lt=now)),
        no_due_date=Count("datasets", filter=PUBLISHED & Q(datasets__update_due_at__isnull=True)),
    )
    out = [HolderTimeliness(h, h.on_time, h.overdue, h.no_due_date) for h in rows]
    return sorted(out, key=lambda h: (-h.overdue, -h.total, h.holder.name))


def dataset_versions(dataset: Dataset) -> dict[int, list[DistributionVersion]]:
    """Every version of the dataset's distributions, newest first, by distribution id. The
    file itself is not opened."""
    versions: dict[int, list[DistributionVersion]] = defaultdict(list)
    qs = DistributionVersion.objects.filter(distribution__dataset=dataset).order_by(
        "distribution_id", "-number"
    )
    for version in qs:
        versions[version.distribution_id].append(version)
    return versions
