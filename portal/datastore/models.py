"""The datastore: every tabular distribution's current version loaded into its own PostgreSQL
table in the `datastore` schema, and the ingest jobs that load them.

The API's `{resource}` is the distribution id: the live table always holds the newest version
that loaded successfully; a failed load leaves the previous one live.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import Distribution, DistributionVersion


class ColumnType(models.TextChoices):
    TEXT = "text", _("文本")
    INTEGER = "integer", _("整数")
    NUMERIC = "numeric", _("数值")
    DATE = "date", _("日期")
    TIMESTAMP = "timestamp", _("日期时间")


class DatastoreTable(models.Model):
    distribution = models.OneToOneField(
        Distribution, on_delete=models.PROTECT, related_name="datastore"
    )
    version = models.ForeignKey(DistributionVersion, on_delete=models.PROTECT, related_name="+")
    # Generated, never from user input: `r<distribution id>`.
    table_name = models.CharField(max_length=63, unique=True)
    # [{"id": API field id, "label": original header, "column": physical name, "type": ColumnType}]
    columns = models.JSONField(default=list)
    row_count = models.BigIntegerField(default=0)
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["distribution"]

    def __str__(self) -> str:
        return self.table_name


class IngestStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")
    # A newer version of the file was uploaded before this one loaded: nothing to do.
    SUPERSEDED = "superseded", _("已被新版本取代")


ACTIVE_INGEST_STATUSES = (IngestStatus.QUEUED, IngestStatus.RUNNING)


class IngestJob(models.Model):
    """One attempt to load a version. Claimed by compare-and-swap; a worker that dies leaves a
    stale heartbeat, and the sweeper requeues or fails the job."""

    version = models.ForeignKey(
        DistributionVersion, on_delete=models.PROTECT, related_name="ingest_jobs"
    )
    status = models.CharField(
        max_length=12, choices=IngestStatus.choices, default=IngestStatus.QUEUED
    )
    # {field label: ColumnType} chosen by the holder in the data dictionary.
    type_overrides = models.JSONField(default=dict, blank=True)
    # {"encoding", "delimiter", "columns": [...]} found by profiling.
    profile = models.JSONField(default=dict, blank=True)
    rows_estimated = models.BigIntegerField(null=True, blank=True)
    rows_loaded = models.BigIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    # {"message": ..., "lines": [{"line": n, "problem": ...}]}
    error = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(status__in=["queued", "running"]),
                name="datastore_one_active_job_per_version",
            )
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="datastore_job_sweep")]

    def __str__(self) -> str:
        return f"ingest #{self.pk} {self.status}"
