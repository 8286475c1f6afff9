"""The annual disclosure (by 31 March, for the previous year) and operators' annual
operating reports: content generated from the data, reviewed, then published unchanged."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DisclosureStatus(models.TextChoices):
    GENERATED = "generated", _("已生成")
    REVIEWED = "reviewed", _("已审核")
    PUBLISHED = "published", _("已公开")


class AnnualDisclosure(models.Model):
    """One year's disclosure. `content` is the generated snapshot (agencies' authorisations
    and ceilings; each operator's resources, products and actual prices); it may be
    regenerated until reviewed and never changes once published."""

    year = models.PositiveSmallIntegerField(unique=True)
    status = models.CharField(
        max_length=10, choices=DisclosureStatus.choices, default=DisclosureStatus.GENERATED
    )
    content = models.JSONField(default=dict)
    deadline = models.DateField()
    generated_at = models.DateTimeField()
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.TextField(blank=True, max_length=2000)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}"


class OperatingReport(models.Model):
    """An operator's annual operating report (年度运营报告), generated from its products,
    orders, usage, revenue and pricing periods, and filed by its staff."""

    operator = models.ForeignKey(
        "operations.Party", on_delete=models.PROTECT, related_name="commerce_reports"
    )
    year = models.PositiveSmallIntegerField()
    content = models.JSONField(default=dict)
    narrative = models.TextField(_("运营情况说明"), max_length=8000, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField()

    class Meta:
        ordering = ["-year", "operator_id"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "year"], name="commerce_report_unique")
        ]
