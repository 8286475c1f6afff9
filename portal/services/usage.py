"""Metering of downloads: one UsageRecord per completed download, written in the same
transaction as the atomic counter increments, so counts and rows always agree."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import IntegrityError, transaction
from django.db.models import F

from portal.models import Dataset, DistributionVersion, UsageKind, UsageRecord


@transaction.atomic
def download_record(
    *,
    version: DistributionVersion,
    user,
    status: int,
    bytes_sent: int,
    client_ip: str | None,
    request_id: uuid.UUID | None,
    now: dt.datetime,
) -> UsageRecord | None:
    """Record one download and add one to the dataset's and the version's download counts.
    A request id already recorded (a replayed or retried request) changes nothing and returns
    None; concurrent replays are decided by the unique index, not by a prior read.
    Row locks are taken dataset first, then version (the order uploads use)."""
    dataset_id = version.distribution.dataset_id
    try:
        with transaction.atomic():  # a savepoint: a duplicate id must not poison the outer one
            record = UsageRecord.objects.create(
                request_id=request_id or uuid.uuid4(),
                kind=UsageKind.DOWNLOAD,
                dataset_id=dataset_id,
                version=version,
                user=user if user is not None and user.is_authenticated else None,
                status=status,
                bytes=bytes_sent,
                client_ip=client_ip,
                at=now,
            )
    except IntegrityError:
        return None
    Dataset.objects.filter(pk=dataset_id).update(download_count=F("download_count") + 1)
    DistributionVersion.objects.filter(pk=version.pk).update(download_count=F("download_count") + 1)
    return record
