"""The open data portal (公共数据开放): datasets published from registered resources, their
files (distributions) in immutable versions, licences, themes and usage rows.

A `Dataset` is the public face of one registered `registry.Resource` whose open category is
unconditional or conditional. A `Distribution` is one downloadable file (or file series) of a
dataset with a stable "latest" URL; each upload is a new immutable `DistributionVersion`.
Every download (and, later, every API call) is one `UsageRecord` with a unique request id.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import BrinIndex, GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.models import Industry, OpenCategory, Organisation, Region, Resource, UpdateFrequency


class Licence(models.Model):
    """The open-data licence register. Exactly one licence is the platform default."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    url = models.URLField(blank=True, help_text="Canonical URL of the licence text.")
    summary = models.TextField(blank=True, help_text="Markdown; sanitised on render.")
    is_open = models.BooleanField(default=True, help_text="Conforms to the Open Definition.")
    is_default = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="portal_one_default_licence",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """A catalogue theme (主题分类), e.g. 交通出行. Reference data loaded by a data migration."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class DatasetStatus(models.TextChoices):
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已下线")


class Dataset(models.Model):
    """One published dataset. Holder, region and open category come from the registry record;
    the rest is editable by the holder's staff."""

    resource = models.OneToOneField(Resource, on_delete=models.PROTECT, related_name="dataset")
    slug = models.SlugField(max_length=60, unique=True)
    holder = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="datasets")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="datasets")
    # Province of the holder (GB/T 2260, 6 digits; 000000 for central bodies): the region facet.
    province_code = models.CharField(max_length=6, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("描述"), max_length=20000, help_text="Markdown")
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.PROTECT, related_name="datasets"
    )
    industry = models.CharField(_("行业分类"), max_length=1, choices=Industry.choices)
    tags = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="datasets")
    update_frequency = models.CharField(
        _("更新频率"), max_length=12, choices=UpdateFrequency.choices
    )
    open_category = models.CharField(_("开放属性"), max_length=16, choices=OpenCategory.choices)
    contact_name = models.CharField(_("联系人"), max_length=100)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    status = models.CharField(
        max_length=12, choices=DatasetStatus.choices, default=DatasetStatus.PUBLISHED
    )
    # Distinct formats of its current distribution versions (the format facet), kept by services.
    formats = ArrayField(models.CharField(max_length=16), default=list, blank=True)
    published_at = models.DateTimeField()
    metadata_updated_at = models.DateTimeField()
    # When the data itself last changed (the newest distribution version), for timeliness.
    data_updated_at = models.DateTimeField(null=True, blank=True)
    # data_updated_at + the promised frequency; null when the frequency promises no date
    # (irregular) or no file was ever uploaded. Overdue means update_due_at < now.
    update_due_at = models.DateTimeField(null=True, blank=True)
    download_count = models.BigIntegerField(default=0)
    api_call_count = models.BigIntegerField(default=0)
    # Set while withdrawn (by the holder, or by the registry when the record stops being open);
    # cleared on republication. The history is in DatasetEvent.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(max_length=2000, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Segmented tokens (registry.search.document_tokens) of title, tags, holder, description and
    # field names in a `simple` tsvector with weights; set by portal.search_index.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            GinIndex(fields=["search_vector"], name="portal_dataset_search_gin"),
            GinIndex(fields=["tags"], name="portal_dataset_tags_gin"),
            GinIndex(fields=["formats"], name="portal_dataset_formats_gin"),
            models.Index(fields=["status", "-published_at"], name="portal_dataset_newest"),
            models.Index(fields=["status", "-download_count"], name="portal_dataset_popular"),
            models.Index(
                fields=["update_due_at"],
                condition=Q(status="published"),
                name="portal_dataset_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(open_category__in=["unconditional", "conditional"]),
                name="portal_dataset_open_category_published",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Distribution(models.Model):
    """A downloadable file of a dataset. Its URL `/datasets/<slug>/files/<pk>/latest` always
    serves the current version."""

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="distributions")
    title = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("说明"), max_length=4000, blank=True)
    format = models.CharField(_("格式"), max_length=16)
    current_version = models.ForeignKey(
        "DistributionVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["dataset", "position", "id"]

    def __str__(self) -> str:
        return self.title


class DistributionVersion(models.Model):
    """An immutable uploaded file. Stored under a generated key; the uploader's file name is
    metadata only."""

    distribution = models.ForeignKey(
        Distribution, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    file = models.FileField(max_length=300)
    original_name = models.CharField(max_length=255)
    media_type = models.CharField(max_length=120)
    format = models.CharField(max_length=16)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    # Text formats: the encoding the content was decoded with (utf-8, utf-8-sig, gb18030).
    encoding = models.CharField(max_length=20, blank=True)
    # Tabular files: {"columns": [...], "rows": [[...], ...]} of the first rows, and the row count.
    preview = models.JSONField(null=True, blank=True)
    row_count = models.BigIntegerField(null=True, blank=True)
    download_count = models.BigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["distribution", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["distribution", "number"], name="portal_distribution_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.original_name} v{self.number}"


class DatasetEvent(models.Model):
    """Append-only history of a dataset: publication, edits, withdrawals, files. `actor` is
    None when the platform acted (e.g. the registry record was deregistered)."""

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["dataset", "-at"], name="portal_event_dataset_at")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Dataset events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Dataset events are append-only")


class UsageKind(models.TextChoices):
    DOWNLOAD = "download", _("文件下载")
    API_CALL = "api_call", _("接口调用")


class UsageRecord(models.Model):
    """One metered download or API call: the system of record for usage (never a cache).
    Append-only; the unique request id makes a retried write a no-op."""

    request_id = models.UUIDField(default=uuid.uuid4, unique=True)
    kind = models.CharField(max_length=12, choices=UsageKind.choices)
    # Every metered call inserts a row, and each index is written on every insert: the dataset
    # and user foreign keys are served by the leading column of the composite indexes below
    # (their own single-column indexes would be redundant).
    dataset = models.ForeignKey(
        Dataset, on_delete=models.PROTECT, related_name="usage", db_index=False
    )
    version = models.ForeignKey(
        DistributionVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="usage"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    status = models.PositiveSmallIntegerField()
    bytes = models.BigIntegerField(default=0)
    rows = models.BigIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField()
    api_key = models.ForeignKey(
        "developer.ApiKey", null=True, blank=True, on_delete=models.PROTECT, related_name="usage"
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["dataset", "kind", "at"], name="portal_usage_dataset_at"),
            models.Index(fields=["user", "at"], name="portal_usage_user_at"),
            # Rows arrive in time order: a BRIN index serves the rollup's recent-hours scans
            # at a tiny fraction of a b-tree's size.
            BrinIndex(fields=["at"], name="portal_usage_at_brin"),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Usage records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Usage records are append-only")
