"""The portal demo load: publishes the demo datasets on the registry demo's coded records through
the publishing services, uploads their files over time, meters downloads and withdraws a few.
One transaction, idempotent (a dataset already published is left alone), deterministic for a
given day (every random draw is seeded by the dataset's record name)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Count, Q, Sum

from portal import services
from portal.demo.catalogue import CATALOGUE
from portal.demo.schedule import plan
from portal.demo.spec import DatasetSpec
from portal.demo.usage import record_downloads
from portal.demo.values import Ctx
from portal.models import Dataset, DatasetStatus, Distribution, DistributionVersion, UsageRecord
from registry.demo import loader as registry_demo
from registry.models import Resource, Role, RoleAssignment

# Any value: it only serialises concurrent loads (pg_advisory_xact_lock takes a bigint).
ADVISORY_LOCK_KEY = 0x504F5254  # "PORT"


class RegistryDemoMissing(Exception):
    """The registry demo (its organisations, accounts and coded records) is not loaded."""


@dataclass
class Result:
    created: int = 0
    missing: list[str] = field(default_factory=list)  # records the registry demo lacks


def pending_specs() -> list[DatasetSpec]:
    """Specs whose record exists and is not published yet."""
    published = set(Dataset.objects.values_list("resource__current_version__name", flat=True))
    return [spec for spec in CATALOGUE if spec.record not in published]


def is_loaded() -> bool:
    return registry_demo.is_loaded() and not _loadable(pending_specs())


def _loadable(specs: list[DatasetSpec]) -> list[DatasetSpec]:
    names = set(_records([s.record for s in specs]))
    return [s for s in specs if s.record in names]


def _records(names: list[str]) -> dict[str, Resource]:
    qs = Resource.objects.filter(
        code__isnull=False, current_version__name__in=names
    ).select_related("current_version", "holder")
    return {r.current_version.name: r for r in qs}


def load(*, now: dt.datetime) -> Result:
    """Publish every demo dataset not published yet. Files stored by a load that fails are
    deleted again (the database part rolls back as one transaction)."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
            if not registry_demo.is_loaded():
                raise RegistryDemoMissing("Load the registry demo first: manage.py load_demo.")
            return _load(now, stored)
    except BaseException:
        for key in stored:
            default_storage.delete(key)
        raise


def _load(now: dt.datetime, stored: list[str]) -> Result:
    specs = pending_specs()
    records = _records([s.record for s in specs])
    citizen = get_user_model().objects.filter(username="citizen").first()
    result = Result(missing=[s.record for s in specs if s.record not in records])
    for spec in specs:
        resource = records.get(spec.record)
        if resource is None:
            continue
        _load_one(spec, resource, citizen=citizen, now=now, stored=stored)
        result.created += 1
    return result


def _staff_of(resource: Resource):
    assignment = (
        RoleAssignment.objects.filter(role=Role.HOLDER_STAFF, organisation_id=resource.holder_id)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return assignment.user


def _load_one(
    spec: DatasetSpec, resource: Resource, *, citizen, now: dt.datetime, stored: list[str]
) -> None:
    rng = random.Random(f"portal-demo:{spec.record}")
    version = resource.current_version
    ready = max(resource.registered_at, version.created_at)
    schedule = plan(spec, frequency=version.update_frequency, ready=ready, now=now, rng=rng)
    staff = _staff_of(resource)
    dataset = services.dataset_publish(
        actor=staff, resource=resource, data=_dataset_data(spec, resource), now=schedule.publish
    )
    histories = _upload_files(spec, dataset, staff, schedule.uploads, stored)
    until = schedule.withdraw or now
    record_downloads(
        dataset=dataset,
        versions=histories,
        popularity=spec.popularity,
        staff=staff,
        citizen=citizen,
        until=until,
        now=now,
        rng=rng,
    )
    if schedule.withdraw:
        services.dataset_withdraw(
            actor=staff, dataset=dataset, reason=spec.withdrawn, now=schedule.withdraw
        )


def _dataset_data(spec: DatasetSpec, resource: Resource) -> dict:
    version = resource.current_version
    data = {
        "description": spec.description(summary=version.summary, code=resource.code),
        "theme": spec.theme,
        "tags": list(spec.tags),
    }
    if spec.licence:
        data["licence"] = spec.licence
    return data


def _upload_files(
    spec: DatasetSpec, dataset: Dataset, staff, uploads: list[list[dt.datetime]], stored: list[str]
) -> list[list[DistributionVersion]]:
    """Every upload of every file, in time order: a dataset's data date is the time of its
    latest upload call, so the calls must follow the calendar. Returns each file's versions."""
    events = sorted(
        (moment, index, number)
        for index, times in enumerate(uploads)
        for number, moment in enumerate(times, start=1)
    )
    distributions: dict[int, Distribution] = {}
    histories: list[list[DistributionVersion]] = [[] for _ in uploads]
    for moment, index, number in events:
        file = spec.files[index]
        ctx = Ctx(
            rng=random.Random(f"{spec.record}:{file.title}:{number}"), at=moment, version=number
        )
        name, content = file.render(ctx)
        upload = ContentFile(content, name=name)
        if index not in distributions:
            version = services.distribution_create_with_file(
                actor=staff,
                dataset=dataset,
                title=file.title,
                description=file.description,
                upload=upload,
                now=moment,
            )
            distributions[index] = version.distribution
        else:
            version = services.distribution_upload(
                actor=staff, distribution=distributions[index], upload=upload, now=moment
            )
        stored.append(version.file.name)
        histories[index].append(version)
    return histories


def summary(now: dt.datetime) -> str:
    """One line of counts over every portal dataset (demo or not)."""
    datasets = Dataset.objects.aggregate(
        total=Count("id"),
        published=Count("id", filter=Q(status=DatasetStatus.PUBLISHED)),
        withdrawn=Count("id", filter=Q(status=DatasetStatus.WITHDRAWN)),
        conditional=Count(
            "id", filter=Q(status=DatasetStatus.PUBLISHED, open_category="conditional")
        ),
        overdue=Count("id", filter=Q(status=DatasetStatus.PUBLISHED, update_due_at__lt=now)),
    )
    files = DistributionVersion.objects.aggregate(
        versions=Count("id"),
        distributions=Count("distribution", distinct=True),
        bytes=Sum("size"),
        rows=Sum("row_count"),
    )
    downloads = UsageRecord.objects.filter(kind="download").count()
    return (
        f"{datasets['total']} datasets ({datasets['published']} published, "
        f"{datasets['withdrawn']} withdrawn; {datasets['conditional']} conditional, "
        f"{datasets['overdue']} overdue); {files['distributions']} files in "
        f"{files['versions']} versions ({(files['bytes'] or 0) / 1024 / 1024:.1f} MiB, "
        f"{files['rows'] or 0:,} tabular rows); {downloads} downloads"
    )
