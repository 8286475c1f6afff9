"""Authorisation agreements (授权运营协议) and department consents.

States: active ⇄ suspended, active/suspended → terminated, active/suspended → expired (term
ended) → exit_in_progress → closed. The term is at most five years (`term_within_limit`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from operations.models.parties import Party
from operations.models.schemes import Scenario, Scheme
from registry.models import Organisation, Resource

MAX_TERM_YEARS = 5


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def term_within_limit(start: dt.date, end: dt.date) -> bool:
    """end − start ≤ 5 years: the end may fall on the fifth anniversary, not a day later."""
    return start <= end <= add_years(start, MAX_TERM_YEARS)


class AgreementStatus(models.TextChoices):
    ACTIVE = "active", _("履行中")
    SUSPENDED = "suspended", _("已暂停")
    TERMINATED = "terminated", _("已终止")
    EXPIRED = "expired", _("已到期")
    EXIT_IN_PROGRESS = "exit_in_progress", _("退出中")
    CLOSED = "closed", _("已关闭")


AGREEMENT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    AgreementStatus.ACTIVE: (
        AgreementStatus.SUSPENDED,
        AgreementStatus.TERMINATED,
        AgreementStatus.EXPIRED,
    ),
    AgreementStatus.SUSPENDED: (
        AgreementStatus.ACTIVE,
        AgreementStatus.TERMINATED,
        AgreementStatus.EXPIRED,
    ),
    AgreementStatus.TERMINATED: (AgreementStatus.EXIT_IN_PROGRESS,),
    AgreementStatus.EXPIRED: (AgreementStatus.EXIT_IN_PROGRESS,),
    AgreementStatus.EXIT_IN_PROGRESS: (AgreementStatus.CLOSED,),
    AgreementStatus.CLOSED: (),
}


class Agreement(models.Model):
    number = models.CharField(_("协议编号"), max_length=40, unique=True)
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="agreements")
    agency = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="agreements_given")
    operator = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="agreements")
    title = models.CharField(_("协议名称"), max_length=200)
    resources = models.ManyToManyField(Resource, related_name="+")
    scenarios = models.ManyToManyField(Scenario, related_name="agreements")
    start_date = models.DateField(_("起始日期"))
    end_date = models.DateField(_("终止日期"))
    signed_on = models.DateField(_("签订日期"))
    # Terms. Only `public_summary` is shown on public pages; the rest is confidential.
    public_summary = models.TextField(_("公开摘要"), max_length=2000, blank=True)
    security_duties = models.TextField(_("安全责任"), max_length=4000)
    charging_terms = models.TextField(_("收费条款"), max_length=4000)
    reporting_duties = models.TextField(_("报告义务"), max_length=4000)
    exit_plan = models.TextField(_("退出方案"), max_length=4000)
    status = models.CharField(
        max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.ACTIVE
    )
    status_changed_at = models.DateTimeField()
    # Exit steps, each recorded once when done.
    data_disposed_at = models.DateTimeField(null=True, blank=True)
    products_handed_over_at = models.DateTimeField(null=True, blank=True)
    registrations_cancelled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="operations_agreement_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_in_force(self) -> bool:
        return self.status == AgreementStatus.ACTIVE


class AgreementEvent(models.Model):
    """One row per transition or exit step: who, when, from, to, why."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    reason = models.CharField(max_length=1000, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]


class DepartmentConsent(models.Model):
    """Consent of the department whose shared data is in the agreement's scope."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="consents")
    department = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="+")
    consented_on = models.DateField()
    document_no = models.CharField(max_length=100, blank=True)
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["consented_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "resource"], name="operations_consent_once"
            )
        ]
