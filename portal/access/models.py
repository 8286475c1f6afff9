"""Conditional data access (有条件开放): applications, the holder's review, time-limited grants
and the grantee's periodic usage reports.

An `AccessApplication` names one holder's conditional datasets, the purpose, scenario, security
measures and the period wanted. The holder's staff decide within `review_deadline` (working
days, extendable once). Approval creates one `Grant` for the applicant that
`portal.selectors.can_download` consults on every path to the data (files, preview, datastore
API). A grant ends when it is revoked or when `expires_at` passes (checked at access time; the
beat task only records the state). Events are append-only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import Dataset
from registry.models import Organisation


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")
    WITHDRAWN = "withdrawn", _("已撤回")


class AccessApplication(models.Model):
    number = models.CharField(max_length=24, unique=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_applications"
    )
    holder = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="access_applications"
    )
    datasets = models.ManyToManyField(Dataset, related_name="access_applications")
    applicant_organisation = models.CharField(_("申请单位"), max_length=200, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    purpose = models.TextField(_("使用目的"), max_length=4000)
    scenario = models.TextField(_("应用场景"), max_length=4000)
    security_measures = models.TextField(_("安全保障措施"), max_length=4000)
    period_days = models.PositiveIntegerField(_("申请使用期限（天）"))
    status = models.CharField(
        max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField()
    review_deadline = models.DateTimeField()
    extended_at = models.DateTimeField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.TextField(blank=True)
    # Set once by the sweep when the review deadline passed undecided (flagged to the holder's
    # staff and the platform administrators on their queues).
    overdue_flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["holder", "status", "review_deadline"], name="access_app_queue"),
            models.Index(fields=["applicant", "-submitted_at"], name="access_app_applicant"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_days__gte=1), name="access_application_period_positive"
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_extended(self) -> bool:
        return self.extended_at is not None

    def decided_on_time(self) -> bool | None:
        if self.decided_at is None:
            return None
        return self.decided_at <= self.review_deadline


class ApplicationEvent(models.Model):
    """Append-only history: who did what to an application, when, and why."""

    application = models.ForeignKey(
        AccessApplication, on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(max_length=24)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Application events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Application events are append-only")


class GrantStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    REVOKED = "revoked", _("已撤销")
    EXPIRED = "expired", _("已到期")


class Grant(models.Model):
    """The right of one user to one application's datasets between `starts_at` and
    `expires_at`. Valid means ACTIVE and starts_at <= now < expires_at: the expiry is checked
    at access time, so a grant stops working on time even before the sweep marks it."""

    application = models.OneToOneField(
        AccessApplication, on_delete=models.PROTECT, related_name="grant"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_grants"
    )
    holder = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    datasets = models.ManyToManyField(Dataset, related_name="access_grants")
    status = models.CharField(
        max_length=10, choices=GrantStatus.choices, default=GrantStatus.ACTIVE
    )
    starts_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    report_interval_days = models.PositiveIntegerField(_("使用情况报告周期（天）"))
    next_report_due = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.TextField(blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["user", "status", "expires_at"], name="access_grant_valid"),
            models.Index(
                fields=["expires_at"], condition=Q(status="active"), name="access_grant_expiring"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("starts_at")),
                name="access_grant_expires_after_start",
            ),
            models.CheckConstraint(
                condition=Q(report_interval_days__gte=1), name="access_grant_interval_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.number}"

    def is_valid_at(self, now) -> bool:
        return self.status == GrantStatus.ACTIVE and self.starts_at <= now < self.expires_at

    def report_overdue_at(self, now) -> bool:
        return self.is_valid_at(now) and self.next_report_due < now


class UsageReport(models.Model):
    """A grantee's account of how the data was used in one reporting period. Append-only."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="reports")
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    content = models.TextField(_("使用情况"), max_length=8000)
    due_at = models.DateTimeField()
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Usage reports are append-only")
        super().save(*args, **kwargs)

    @property
    def on_time(self) -> bool:
        return self.submitted_at <= self.due_at
