"""Reads of the open portal, scoped to what the actor may see. A dataset that is withdrawn, or
outside a staff member's organisations, is NotFound (404)."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, F, Prefetch, QuerySet
from django.utils import timezone

from portal.models import Dataset, DatasetStatus, Distribution, DistributionVersion, Theme
from registry.errors import NotFound
from registry.models import OpenCategory, Organisation, RecordStatus, Region, Resource
from registry.selectors import User, scope_of

_DATASET_RELATED = ("holder", "region", "theme", "licence", "resource")


def datasets_public() -> QuerySet[Dataset]:
    """Every published dataset, the ones anyone may see in the catalogue."""
    return Dataset.objects.filter(status=DatasetStatus.PUBLISHED).select_related(*_DATASET_RELATED)


# What a result list shows (templates/portal/catalogue/_dataset_item.html, the API key scope
# picker; the CKAN search reads only ids): not the search vector (about 1 kB a row), the
# contact, withdrawal and counter columns, nor the resource and licence joins.
_LISTED_FIELDS = (
    "slug",
    "title",
    "description",
    "status",
    "open_category",
    "province_code",
    "formats",
    "tags",
    "published_at",
    "metadata_updated_at",
    "update_due_at",
    "download_count",
    "holder__name",
    "region__name",
    "theme__name",
)


def datasets_listed() -> QuerySet[Dataset]:
    """Published datasets with only the columns a result list shows (others load on access)."""
    return (
        Dataset.objects.filter(status=DatasetStatus.PUBLISHED)
        .select_related("holder", "region", "theme")
        .only(*_LISTED_FIELDS)
    )


def datasets_listed_by_ids(ids: list[int]) -> list[Dataset]:
    """`datasets_listed()` of these ids, in this order (ids not published are left out).

    One hand-written statement: the search reads every result page through here, and the
    ORM's compiling of the same query cost about as much as running it."""
    if not ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_listed_by_ids_sql(), [ids])
        rows = cursor.fetchall()
    found = {}
    for row in rows:
        values = iter(row)
        dataset = _from_row(Dataset, _LISTED_COLUMNS, values)
        cache = dataset._state.fields_cache
        cache["holder"] = _from_row(Organisation, _NAMED["holder"], values)
        cache["region"] = _from_row(Region, _NAMED["region"], values)
        theme = _from_row(Theme, _NAMED["theme"], values)
        cache["theme"] = None if theme.pk is None else theme
        found[dataset.pk] = dataset
    return [found[pk] for pk in ids if pk in found]


def _concrete(model, names) -> list[str]:
    """`names` (attnames) in the model's concrete field order, which `Model.from_db` expects."""
    return [f.attname for f in model._meta.concrete_fields if f.attname in names]


def _from_row(model, names: list[str], values):
    return model.from_db(connection.alias, names, [next(values) for _ in names])


_LISTED_COLUMNS = _concrete(
    Dataset,
    {"id", "holder_id", "region_id", "theme_id", *(f for f in _LISTED_FIELDS if "__" not in f)},
)
_NAMED = {
    "holder": _concrete(Organisation, {"id", "name"}),
    "region": _concrete(Region, {"code", "name"}),
    "theme": _concrete(Theme, {"id", "name"}),
}


def _listed_by_ids_sql() -> str:
    aliases = {"holder": "h", "region": "r", "theme": "t"}
    columns = [f"d.{connection.ops.quote_name(c)}" for c in _LISTED_COLUMNS] + [
        f"{aliases[rel]}.{connection.ops.quote_name(c)}"
        for rel, names in _NAMED.items()
        for c in names
    ]
    return (
        f"SELECT {', '.join(columns)} "  # noqa: S608
        "FROM portal_dataset d JOIN registry_organisation h ON h.id = d.holder_id "
        "JOIN registry_region r ON r.code = d.region_id "
        "LEFT JOIN portal_theme t ON t.id = d.theme_id "
        "WHERE d.status = 'published' AND d.id = ANY(%s)"
    )


def _with_files(qs: QuerySet[Dataset]) -> QuerySet[Dataset]:
    return qs.prefetch_related(
        Prefetch(
            "distributions",
            queryset=Distribution.objects.filter(current_version__isnull=False).select_related(
                "current_version"
            ),
        )
    )


def access_dataset(*, slug: str) -> Dataset:
    """A published dataset by slug, with its distributions, or NotFound."""
    dataset = _with_files(datasets_public()).filter(slug=slug).first()
    if dataset is None:
        raise NotFound("No such dataset.")
    return dataset


def datasets_managed_by(user: User) -> QuerySet[Dataset]:
    """Datasets of the organisations the user is holder staff of (any status)."""
    org_ids = scope_of(user).holder_org_ids
    return Dataset.objects.filter(holder_id__in=org_ids).select_related(*_DATASET_RELATED)


def access_managed_dataset(*, user: User, slug: str) -> Dataset:
    dataset = _with_files(datasets_managed_by(user)).filter(slug=slug).first()
    if dataset is None:
        raise NotFound("No such dataset.")
    return dataset


def is_holder_staff(*, user: User, dataset: Dataset) -> bool:
    return dataset.holder_id in scope_of(user).holder_org_ids


def can_download(*, user: User, dataset: Dataset) -> bool:
    """Unconditional data: anyone, no login. Conditional data: the holder's own staff, and
    users holding a valid grant (active, started, not expired at this moment: expiry is
    checked here, not left to the sweep). Files, preview and the datastore API all ask this."""
    if dataset.status != DatasetStatus.PUBLISHED:
        return False
    if dataset.open_category == OpenCategory.UNCONDITIONAL:
        return True
    if not user.is_authenticated:
        return False
    if is_holder_staff(user=user, dataset=dataset):
        return True
    from portal.access.selectors import has_valid_grant

    return has_valid_grant(user=user, dataset=dataset, now=timezone.now())


def access_version(*, slug: str, distribution_id: int, number: int | None) -> DistributionVersion:
    """A version of a published dataset's distribution (`number=None`: the current one)."""
    qs = DistributionVersion.objects.select_related(
        "distribution", "distribution__dataset", "distribution__dataset__holder"
    ).filter(
        distribution_id=distribution_id,
        distribution__dataset__slug=slug,
        distribution__dataset__status=DatasetStatus.PUBLISHED,
    )
    if number is None:
        version = qs.filter(distribution__current_version=F("pk")).first()
    else:
        version = qs.filter(number=number).first()
    if version is None:
        raise NotFound("No such file.")
    return version


# --------------------------------------------------------------------------- holder staff
# (publishing pages and API)


def resources_publishable_by(user: User) -> QuerySet[Resource]:
    """Coded, active or expiring records of the user's organisations, open (unconditional or
    conditional) and not yet published."""
    org_ids = scope_of(user).holder_org_ids
    return (
        Resource.objects.filter(
            holder_id__in=org_ids,
            code__isnull=False,
            status__in=[RecordStatus.ACTIVE, RecordStatus.EXPIRING],
            current_version__open_category__in=[
                OpenCategory.UNCONDITIONAL,
                OpenCategory.CONDITIONAL,
            ],
            dataset__isnull=True,
        )
        .select_related("current_version", "holder")
        .order_by("-registered_at", "-id")
    )


def access_managed_distribution(*, user: User, slug: str, distribution_id: int) -> Distribution:
    """A distribution (with or without a version yet) of a dataset the user manages."""
    distribution = (
        Distribution.objects.select_related("dataset", "dataset__holder", "current_version")
        .filter(
            pk=distribution_id,
            dataset__slug=slug,
            dataset__holder_id__in=scope_of(user).holder_org_ids,
        )
        .first()
    )
    if distribution is None:
        raise NotFound("No such file.")
    return distribution


def distributions_managed(dataset: Dataset) -> QuerySet[Distribution]:
    """Every distribution of the dataset, empty ones included, with its version count."""
    return (
        dataset.distributions.select_related("current_version")
        .annotate(version_count=Count("versions"))
        .order_by("position", "id")
    )


def access_managed_version(
    *, user: User, slug: str, distribution_id: int, number: int
) -> DistributionVersion:
    """Any version of a distribution the user manages, whatever the dataset's status."""
    version = (
        DistributionVersion.objects.select_related("distribution", "distribution__dataset")
        .filter(
            distribution_id=distribution_id,
            number=number,
            distribution__dataset__slug=slug,
            distribution__dataset__holder_id__in=scope_of(user).holder_org_ids,
        )
        .first()
    )
    if version is None:
        raise NotFound("No such file.")
    return version
