"""Every new tabular version is queued for loading as soon as its upload commits."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from portal.datastore.reading import TABULAR_FORMATS
from portal.models import DistributionVersion


@receiver(post_save, sender=DistributionVersion, dispatch_uid="datastore-ingest-on-upload")
def queue_ingest_of_new_version(sender, instance: DistributionVersion, created: bool, **kwargs):
    if not created or instance.format not in TABULAR_FORMATS or kwargs.get("raw"):
        return
    from portal.datastore.services import ingest_request

    ingest_request(version=instance, actor=instance.uploaded_by, now=timezone.now())
