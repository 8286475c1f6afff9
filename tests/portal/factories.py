"""Small factories for portal tests that read the catalogue: datasets and files written with the
ORM and the storage API directly, so read-side tests do not depend on the publishing services
(which have tests of their own)."""

from __future__ import annotations

import hashlib
import itertools
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from portal.models import Dataset, Distribution, DistributionVersion, Licence, Theme
from portal.search_index import dataset_reindex
from tests.conftest import at

_seq = itertools.count(1)


def make_dataset(world, *, holder_org=None, coded=None, now=None, **fields) -> Dataset:
    """A published dataset on a freshly coded registry record of `holder_org` (a Guangdong
    organisation, since the world's Guangdong reviewer codes it; pass `user`, a staff member of
    `holder_org`, for an organisation other than the world's holder), or on `coded`."""
    now = now or at(2026, 4, 1)
    holder_org = holder_org or world.holder_org
    user = fields.pop("user", None) or (
        world.holder if holder_org == world.holder_org else world.other_holder
    )
    open_category = fields.pop("open_category", "unconditional")
    name = fields.get("title", f"测试数据集{next(_seq)}")
    reg = coded or world.coded(user=user, holder=holder_org, name=name, open_category=open_category)
    resource = reg.resource
    resource.refresh_from_db()
    version = resource.current_version
    region = holder_org.region
    province = "000000" if region.code == "000000" else region.province_code
    defaults = {
        "title": version.name,
        "description": version.summary,
        "industry": version.industry,
        "update_frequency": version.update_frequency,
        "open_category": version.open_category,
        "contact_name": version.contact_name,
        "contact_phone": version.contact_phone,
        "theme": Theme.objects.get(code="transport"),
        "licence": Licence.objects.get(is_default=True),
        "tags": [],
    }
    defaults.update(fields)
    dataset = Dataset.objects.create(
        resource=resource,
        slug=f"ds-{uuid.uuid4().hex[:10]}",
        holder=holder_org,
        region=region,
        province_code=province,
        published_at=now,
        metadata_updated_at=now,
        published_by=user,
        **defaults,
    )
    dataset_reindex(dataset)
    dataset.refresh_from_db()
    return dataset


def add_file(
    dataset: Dataset,
    *,
    content: bytes = b"a,b\n1,2\n",
    name: str = "data.csv",
    fmt: str = "CSV",
    media_type: str = "text/csv",
    preview: dict | None = None,
    now=None,
) -> DistributionVersion:
    """A distribution with one version holding `content`."""
    now = now or at(2026, 4, 1)
    dist = Distribution.objects.create(
        dataset=dataset, title=name, format=fmt, created_at=now, updated_at=now
    )
    key = default_storage.save(f"portal/files/{uuid.uuid4().hex}", ContentFile(content))
    version = DistributionVersion.objects.create(
        distribution=dist,
        number=1,
        file=key,
        original_name=name,
        media_type=media_type,
        format=fmt,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        preview=preview,
        uploaded_by=dataset.published_by,
        uploaded_at=now,
    )
    dist.current_version = version
    dist.save(update_fields=["current_version"])
    formats = sorted(set(dataset.formats) | {fmt})
    Dataset.objects.filter(pk=dataset.pk).update(formats=formats, data_updated_at=now)
    dataset.refresh_from_db()
    dataset_reindex(dataset)
    return version
