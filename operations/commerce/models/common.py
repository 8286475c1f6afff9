"""Enumerations and the append-only base shared by every commerce model."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from operations.models import FREE_PURPOSES, PurposeClass  # noqa: F401  (re-exported)


class AppendOnly(models.Model):
    """Rows written once: `save` of an existing row and `delete` raise. The database refuses
    the same through triggers (migration `0002_immutability_triggers`)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{type(self).__name__} rows are append-only")


class ChargingUnit(models.TextChoices):
    CALL = "call", _("按次调用")
    RECORD = "record", _("按记录条数")
    GIGABYTE = "gigabyte", _("按数据量(GB)")
    PERIOD = "period", _("按时段(月)")
    PRODUCT_UNIT = "product_unit", _("按产品单位")


class CommerceEvent(AppendOnly):
    """The audit trail of every decision: who, when, on what, before/after, why."""

    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="commerce_event_obj")]


class DocumentSequence(models.Model):
    """Per-prefix counters for statement, invoice and credit-note numbers (never reused)."""

    prefix = models.CharField(max_length=30, unique=True)
    last_value = models.PositiveBigIntegerField(default=0)
