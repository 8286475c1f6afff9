"""What the measurements need in the bench database: a holder, a user with an API key of an
unlimited plan, a dataset whose distribution is the generated CSV, one whose distribution is
the 1 GiB file (and a 1 MiB one), and the generated catalogue. Idempotent: a second run
reuses what the first one made (the bench database is its own, never the test database)."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from bench.datagen import FORMATS, catalogue_records
from portal.developer.models import ApiKey, ApiPlan
from portal.developer.services import key_create
from portal.models import Dataset, Distribution, DistributionVersion, Licence, Theme
from registry.models import (
    ObjectType,
    Organisation,
    Platform,
    RecordStatus,
    Region,
    RegionLevel,
    Resource,
)
from registry.search import document_tokens

BENCH_PLAN = "bench-unlimited"
_BIG = 2_000_000_000


@dataclass
class World:
    holder: Organisation
    user: object
    api_key: str
    table_dataset: Dataset
    file_dataset: Dataset


def _provinces() -> list[Region]:
    return list(Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code"))


def _holder(index: int, province: Region) -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        credit_code=f"12{index:016d}",
        defaults={
            "name": f"基准测试单位{index}",
            "org_type": "public_institution",
            "region": province,
        },
    )
    return org


def _platform_for(region: Region) -> Platform:
    return Platform.objects.filter(region=region).first() or Platform.objects.order_by("pk").first()


def _dataset(
    slug: str, title: str, holder: Organisation, user, *, theme: Theme, fmt: str
) -> Dataset:
    existing = Dataset.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    now = timezone.now()
    resource = Resource.objects.create(
        object_type=ObjectType.OPEN_DATA_RESOURCE,
        holder=holder,
        platform=_platform_for(holder.region),
        code=f"BENCH-{slug}",
        status=RecordStatus.ACTIVE,
        registered_at=now,
    )
    dataset = Dataset.objects.create(
        resource=resource,
        slug=slug,
        holder=holder,
        region=holder.region,
        province_code=holder.region.province_code,
        title=title,
        description=f"{title}（基准测试数据）",
        theme=theme,
        industry="S",
        licence=Licence.objects.get(is_default=True),
        update_frequency="monthly",
        open_category="unconditional",
        contact_name="基准",
        formats=[fmt],
        published_at=now,
        metadata_updated_at=now,
        published_by=user,
    )
    return dataset


def attach_file(
    dataset: Dataset, *, media_root: Path, path: Path, fmt: str, media_type: str, user
) -> DistributionVersion:
    """The distribution version of `path` (a file under MEDIA_ROOT), made once per size."""
    name = str(path.relative_to(media_root))
    size = path.stat().st_size
    existing = (
        DistributionVersion.objects.filter(distribution__dataset=dataset, file=name, size=size)
        .select_related("distribution")
        .first()
    )
    if existing is not None:
        return existing
    now = timezone.now()
    with transaction.atomic():
        dist = Distribution.objects.create(
            dataset=dataset, title=path.name, format=fmt, created_at=now, updated_at=now
        )
        with path.open("rb") as fh:
            digest = hashlib.sha256(fh.read(1 << 20)).hexdigest()  # the head: enough for an ETag
        version = DistributionVersion.objects.create(
            distribution=dist,
            number=1,
            file=name,
            original_name=path.name,
            media_type=media_type,
            format=fmt,
            size=size,
            sha256=digest,
            encoding="utf-8" if fmt == "CSV" else "",
            uploaded_by=user,
            uploaded_at=now,
        )
        dist.current_version = version
        dist.save(update_fields=["current_version"])
    return version


def ensure_world() -> World:
    if not Region.objects.exists():
        call_command("load_regions", verbosity=0)
    province = _provinces()[0]
    holder = _holder(0, province)
    User = get_user_model()
    user, created = User.objects.get_or_create(username="bench-developer")
    if created:
        user.set_unusable_password()
        user.save()
    plan, _ = ApiPlan.objects.get_or_create(
        code=BENCH_PLAN,
        defaults={
            "name": "Benchmark (unlimited)",
            "rate_per_minute": _BIG,
            "quota_per_day": _BIG,
            "account_rate_per_minute": _BIG,
            "account_quota_per_day": _BIG,
        },
    )
    now = timezone.now()
    with transaction.atomic():
        ApiKey.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=now, revoke_reason="revoked"
        )
        _, plaintext = key_create(
            user=user, name="bench", scope="all_open", expires_at=None, now=now, plan=plan
        )
    theme = Theme.objects.order_by("position").first()
    table_dataset = _dataset(
        "bench-table", "基准测试表格数据", holder, user, theme=theme, fmt="CSV"
    )
    file_dataset = _dataset("bench-file", "基准测试大文件", holder, user, theme=theme, fmt="ZIP")
    return World(holder, user, plaintext, table_dataset, file_dataset)


def ensure_catalogue(count: int, user) -> int:
    """`count` published datasets with generated Chinese titles (slug bench-cat-N); returns
    how many exist. Rows are bulk-inserted and indexed like `portal.search_index` does."""
    have = Dataset.objects.filter(slug__startswith="bench-cat-").count()
    if have >= count:
        _vacuum()
        return have
    provinces = _provinces()
    themes = list(Theme.objects.order_by("position"))
    licence = Licence.objects.get(is_default=True)
    holders = [_holder(i + 1, provinces[i % len(provinces)]) for i in range(20)]
    platforms = {h.pk: _platform_for(h.region) for h in holders}
    now = timezone.now()
    batch = 5000
    records = list(catalogue_records(count))
    for start in range(have, count, batch):
        chunk = records[start : start + batch]
        with transaction.atomic():
            resources = Resource.objects.bulk_create(
                [
                    Resource(
                        object_type=ObjectType.OPEN_DATA_RESOURCE,
                        holder=holders[(start + i) % len(holders)],
                        platform=platforms[holders[(start + i) % len(holders)].pk],
                        code=f"BENCH-CAT-{start + i}",
                        status=RecordStatus.ACTIVE,
                        registered_at=now,
                    )
                    for i in range(len(chunk))
                ]
            )
            datasets = Dataset.objects.bulk_create(
                [
                    Dataset(
                        resource=resource,
                        slug=f"bench-cat-{start + i}",
                        holder=resource.holder,
                        region=provinces[rec.province_index % len(provinces)],
                        province_code=provinces[rec.province_index % len(provinces)].code,
                        title=rec.title,
                        description=rec.description,
                        theme=themes[rec.theme_index % len(themes)],
                        industry="S",
                        licence=licence,
                        update_frequency="monthly",
                        open_category="unconditional",
                        contact_name="基准",
                        formats=[FORMATS[rec.format_index]],
                        published_at=now,
                        metadata_updated_at=now,
                        published_by=user,
                    )
                    for i, (resource, rec) in enumerate(zip(resources, chunk, strict=True))
                ]
            )
            _index(datasets)
    _vacuum()
    return Dataset.objects.filter(slug__startswith="bench-cat-").count()


def _vacuum() -> None:
    """Rows are inserted, then updated with their vector: without a VACUUM every row leaves a
    dead version behind (a third of the table's pages) and pages without hint bits, which the
    measured reads would then pay for. A live table gets this from autovacuum, which the
    bench's server may have off; on a clean table it skips every page."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) portal_dataset")


def _index(datasets: list[Dataset]) -> None:
    """The weighted vector of portal.search_index.dataset_reindex, for many rows at once."""
    buffer = io.StringIO()
    for d in datasets:
        cells = [
            str(d.pk),
            document_tokens(d.title),
            document_tokens(" ".join(d.tags), d.holder.name),
            document_tokens(d.description, ""),
        ]
        buffer.write("\t".join(c.replace("\\", "\\\\").replace("\t", " ") for c in cells) + "\n")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS bench_tokens (id bigint, a text, b text, c text)"
        )
        cursor.execute("TRUNCATE bench_tokens")
        with cursor.cursor.copy("COPY bench_tokens FROM STDIN") as copy:
            copy.write(buffer.getvalue())
        cursor.execute(
            "UPDATE portal_dataset d SET search_vector ="
            " setweight(to_tsvector('simple', t.a), 'A') || setweight(to_tsvector('simple', t.b), 'B')"
            " || setweight(to_tsvector('simple', t.c), 'C') FROM bench_tokens t WHERE d.id = t.id"
        )
