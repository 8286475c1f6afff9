"""Developer API keys, their plans (rate limits and quotas), the counters that enforce them,
and the hourly and daily rollups of `portal.UsageRecord` that the dashboards read.

A key is `odk_<prefix>_<secret>`: the prefix is public and unique (it finds the row), the
secret is stored only as an HMAC-SHA256 with a server pepper (`portal.developer.keys`).
Counters are one row per subject and period (a fixed window that restarts in place), so the
table stays as small as the number of active keys, accounts and client addresses.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class ApiPlan(models.Model):
    """Limits for a class of callers (reference data, editable in the admin). Per-key limits
    apply to one key (and its rotations); account limits to all keys of one user together, so
    making more keys does not multiply the allowance. The anonymous plan's per-key limits apply
    per client address (settings.DEVELOPER_ANONYMOUS_PLAN)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    rate_per_minute = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    quota_per_day = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    account_rate_per_minute = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    account_quota_per_day = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate_per_minute__gte=1)
                & Q(quota_per_day__gte=1)
                & Q(account_rate_per_minute__gte=1)
                & Q(account_quota_per_day__gte=1),
                name="developer_plan_limits_positive",
            )
        ]

    def __str__(self) -> str:
        return self.name


class KeyScope(models.TextChoices):
    ALL_OPEN = "all_open", _("全部开放数据")
    DATASETS = "datasets", _("指定数据集")


class KeyStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已吊销")
    ROTATED = "rotated", _("已轮换")


class RevokeReason(models.TextChoices):
    REVOKED = "revoked", _("用户吊销")
    ROTATED = "rotated", _("已轮换")


class ApiKey(models.Model):
    """A developer's key. The plaintext is shown once at creation or rotation and never
    stored. `family` is shared by a key and its rotations: quotas are counted per family, so
    rotating a key does not reset its daily allowance."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_keys"
    )
    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    scope = models.CharField(_("适用范围"), max_length=12, choices=KeyScope.choices)
    datasets = models.ManyToManyField("portal.Dataset", blank=True, related_name="+")
    plan = models.ForeignKey(ApiPlan, on_delete=models.PROTECT, related_name="keys")
    family = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    rotated_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="rotated_to"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(_("有效期至"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField(max_length=12, choices=RevokeReason.choices, blank=True)
    # Updated at most once per settings.DEVELOPER_LAST_USED_RESOLUTION_SECONDS.
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="developer_key_user")]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "user",
                condition=Q(revoked_at__isnull=True),
                name="developer_key_live_name_unique",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoke_reason="")
                | (Q(revoked_at__isnull=False) & ~Q(revoke_reason="")),
                name="developer_key_revocation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    def status_at(self, now: dt.datetime) -> str:
        if self.revoked_at is not None:
            return (
                KeyStatus.ROTATED
                if self.revoke_reason == RevokeReason.ROTATED
                else KeyStatus.REVOKED
            )
        if self.expires_at is not None and self.expires_at <= now:
            return KeyStatus.EXPIRED
        return KeyStatus.ACTIVE

    def is_usable_at(self, now: dt.datetime) -> bool:
        return self.status_at(now) == KeyStatus.ACTIVE


class CounterPeriod(models.TextChoices):
    MINUTE = "minute", _("每分钟")
    DAY = "day", _("每日")


class UsageCounter(models.Model):
    """Calls of one subject in the current fixed window of a period. Subjects are
    `key:<family>`, `user:<id>` or `ip:<address or IPv6 /64>`. Changed only by the single
    upsert statements in `portal.developer.access`, which never let `used` pass `cap`; a newer
    window restarts the row in place."""

    subject = models.CharField(max_length=80)
    period = models.CharField(max_length=8, choices=CounterPeriod.choices)
    window_start = models.DateTimeField()
    used = models.PositiveIntegerField(default=0)
    # The limit the last call was checked against (for display; the plan is the source).
    cap = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subject", "period"], name="developer_counter_unique")
        ]
        indexes = [models.Index(fields=["window_start"], name="developer_counter_window")]

    def __str__(self) -> str:
        return f"{self.subject} {self.period} {self.used}/{self.cap}"


class _RollupMeasures(models.Model):
    kind = models.CharField(max_length=12)
    dataset = models.ForeignKey("portal.Dataset", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    api_key = models.ForeignKey(
        ApiKey, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    calls = models.BigIntegerField(default=0)
    # Calls answered with a status of 400 or more (refused, failed, timed out).
    errors = models.BigIntegerField(default=0)
    rows = models.BigIntegerField(default=0)
    bytes = models.BigIntegerField(default=0)
    duration_ms = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class UsageRollup(_RollupMeasures):
    """Usage per UTC hour, dataset, kind, user and key: recomputed from the raw rows of the
    recent hours on every run (`portal.developer.rollup`), so it is idempotent and a row
    committed late is still counted."""

    hour = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["hour", "dataset", "kind", "user", "api_key"],
                name="developer_rollup_hour_unique",
                nulls_distinct=False,
            )
        ]
        indexes = [
            models.Index(fields=["hour"], name="developer_rollup_hour"),
            models.Index(fields=["user", "hour"], name="developer_rollup_user_hour"),
            models.Index(fields=["dataset", "hour"], name="developer_rollup_dataset_hour"),
        ]


class UsageRollupDay(_RollupMeasures):
    """Usage per local (Asia/Shanghai) day: the sum of that day's hour buckets. What the
    dashboards read."""

    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "dataset", "kind", "user", "api_key"],
                name="developer_rollup_day_unique",
                nulls_distinct=False,
            )
        ]
        indexes = [
            models.Index(fields=["user", "day"], name="developer_rollup_user_day"),
            models.Index(fields=["dataset", "day"], name="developer_rollup_dataset_day"),
        ]


class ApiKeyEvent(models.Model):
    """Append-only history of a key: who created, renamed, rescoped, rotated or revoked it."""

    key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["key", "-at"], name="developer_key_event_at")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Key events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Key events are append-only")
