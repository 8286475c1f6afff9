"""Reads of the open portal, scoped to what the actor may see. A dataset that is withdrawn, or
outside a staff member's organisations, is NotFound (404)."""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, QuerySet
from django.utils import timezone

from portal.models import Dataset, DatasetStatus, Distribution, DistributionVersion
from registry.errors import NotFound
from registry.models import OpenCategory, RecordStatus, Resource
from registry.selectors import User, scope_of

_DATASET_RELATED = ("holder", "region", "theme", "licence", "resource")


def datasets_public() -> QuerySet[Dataset]:
    """Every published dataset, the ones anyone may see in the catalogue."""
    return Dataset.objects.filter(status=DatasetStatus.PUBLISHED).select_related(*_DATASET_RELATED)


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
