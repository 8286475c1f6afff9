import pytest
from django.utils import timezone

from portal.datastore.models import DatastoreTable, IngestJob
from portal.datastore.services import ingest_request, ingest_run
from tests.portal.factories import add_file, make_dataset


@pytest.fixture
def dataset(world):
    return make_dataset(world, title="广州市公交站点")


def load(dataset, content: bytes, *, name="data.csv", fmt="CSV", overrides=None):
    """Upload `content` as a new distribution and run its ingest job synchronously."""
    version = add_file(dataset, content=content, name=name, fmt=fmt)
    job = IngestJob.objects.filter(version=version).first()
    if overrides is not None or job is None:
        if job is not None:
            IngestJob.objects.filter(pk=job.pk).update(status="failed")
        job = ingest_request(
            version=version,
            actor=dataset.published_by,
            now=timezone.now(),
            type_overrides=overrides,
        )
    ingest_run(job_id=job.pk, clock=timezone.now)
    job.refresh_from_db()
    table = DatastoreTable.objects.filter(distribution=version.distribution).first()
    return job, table


def add_version(distribution, content: bytes, *, name="data.csv", fmt="CSV"):
    import hashlib
    import uuid

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from portal.models import DistributionVersion

    key = default_storage.save(f"portal/files/{uuid.uuid4().hex}", ContentFile(content))
    number = distribution.versions.count() + 1
    version = DistributionVersion.objects.create(
        distribution=distribution,
        number=number,
        file=key,
        original_name=name,
        media_type="text/csv",
        format=fmt,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=distribution.dataset.published_by,
        uploaded_at=timezone.now(),
    )
    distribution.current_version = version
    distribution.save(update_fields=["current_version"])
    job = IngestJob.objects.get(version=version)
    ingest_run(job_id=job.pk, clock=timezone.now)
    job.refresh_from_db()
    return version, job
