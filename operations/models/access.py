"""Licensed access: applications, holder and agency reviews, licences with entitlements,
quota counters and the access log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from operations.models.agreements import Agreement
from operations.models.parties import Party
from operations.models.schemes import Scenario
from registry.models import Organisation, Resource


class PurposeClass(models.TextChoices):
    """Why the data is used; it decides whether use is free (DOMAIN.md §5)."""

    PUBLIC_GOVERNANCE = "public_governance", _("公共治理")
    PUBLIC_WELFARE = "public_welfare", _("公益事业")
    INDUSTRY_DEVELOPMENT = "industry_development", _("产业发展")
    SECTOR_DEVELOPMENT = "sector_development", _("行业发展")


FREE_PURPOSES = (PurposeClass.PUBLIC_GOVERNANCE, PurposeClass.PUBLIC_WELFARE)


class LicenceMode(models.TextChoices):
    IN_DOMAIN_ROWS = "in_domain_rows", _("域内明细查询")
    AGGREGATES_ONLY = "aggregates_only", _("仅统计结果")
    VERIFICATION_ONLY = "verification_only", _("仅核验")


class ApplicationStatus(models.TextChoices):
    HOLDER_REVIEW = "holder_review", _("待数据持有单位审核")
    AGENCY_REVIEW = "agency_review", _("待实施机构审核")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


class AccessApplication(models.Model):
    number = models.CharField(max_length=40, unique=True)
    operator = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="applications")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="applications")
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="+")
    purpose_class = models.CharField(max_length=24, choices=PurposeClass.choices)
    purpose = models.TextField(_("用途说明"), max_length=2000)
    security_measures = models.TextField(_("安全保障措施"), max_length=4000)
    status = models.CharField(
        max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.HOLDER_REVIEW
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return self.number


class ApplicationItem(models.Model):
    """One resource asked for, with the entitlements requested (the agency may narrow them)."""

    application = models.ForeignKey(
        AccessApplication, on_delete=models.CASCADE, related_name="items"
    )
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(max_length=20, choices=LicenceMode.choices)
    columns = models.JSONField(default=list)
    row_predicate = models.JSONField(null=True, blank=True)
    min_group_size = models.PositiveIntegerField(default=10)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "resource"], name="operations_item_once")
        ]


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", _("同意")
    REJECTED = "rejected", _("不同意")


class ApplicationReview(models.Model):
    """A holder's decision (one per holder organisation of the items) or the agency's."""

    application = models.ForeignKey(
        AccessApplication, on_delete=models.PROTECT, related_name="reviews"
    )
    reviewer_org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    as_agency = models.BooleanField(default=False)
    decision = models.CharField(max_length=10, choices=ReviewDecision.choices)
    comment = models.CharField(max_length=1000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["decided_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer_org", "as_agency"],
                name="operations_review_once",
            )
        ]


class LicenceStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    SUSPENDED = "suspended", _("已暂停")
    REVOKED = "revoked", _("已撤销")
    EXPIRED = "expired", _("已过期")


class Licence(models.Model):
    """Entitlements over one resource's datastore table, enforced inside every query."""

    number = models.CharField(max_length=40, unique=True)
    application = models.ForeignKey(
        AccessApplication, on_delete=models.PROTECT, related_name="licences"
    )
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="licences")
    operator = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="licences")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="+")
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="+")
    purpose_class = models.CharField(max_length=24, choices=PurposeClass.choices)
    mode = models.CharField(max_length=20, choices=LicenceMode.choices)
    allowed_columns = models.JSONField(default=list)
    row_predicate = models.JSONField(null=True, blank=True)
    min_group_size = models.PositiveIntegerField(default=10)
    daily_quota = models.PositiveIntegerField(null=True, blank=True)
    total_quota = models.PositiveIntegerField(null=True, blank=True)
    valid_from = models.DateField()
    valid_until = models.DateField()
    status = models.CharField(
        max_length=10, choices=LicenceStatus.choices, default=LicenceStatus.ACTIVE
    )
    status_reason = models.CharField(max_length=1000, blank=True)
    status_changed_at = models.DateTimeField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField()

    class Meta:
        ordering = ["-granted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="operations_licence_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(min_group_size__gte=1), name="operations_licence_k_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class LicenceEvent(models.Model):
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=10)
    to_status = models.CharField(max_length=10)
    reason = models.CharField(max_length=1000, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]


class LicenceCounter(models.Model):
    """Calls served under a licence: `period` is a Shanghai day (YYYY-MM-DD) or "total".
    Changed only by one upsert whose `WHERE used < cap` makes overruns impossible."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="counters")
    period = models.CharField(max_length=10)
    used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["licence", "period"], name="operations_counter_once")
        ]


class AccessChannel(models.TextChoices):
    API = "api", _("接口查询")
    EXPORT = "export", _("导出")
    PREVIEW = "preview", _("预览")
    CONSOLE = "console", _("查询控制台")
    PRODUCT = "product", _("数据产品")


class AccessOutcome(models.TextChoices):
    SERVED = "served", _("已返回")
    REFUSED = "refused", _("已拒绝")


class AccessLog(models.Model):
    """Every access under a licence, served or refused: who, which licence, which query
    shape (fields, operators, groups; never the filter values), what came back."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="access_log")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=AccessChannel.choices)
    outcome = models.CharField(max_length=10, choices=AccessOutcome.choices)
    refusal = models.CharField(max_length=40, blank=True)
    query_shape = models.JSONField(default=dict)
    rows_returned = models.PositiveIntegerField(default=0)
    groups_returned = models.PositiveIntegerField(default=0)
    groups_suppressed = models.PositiveIntegerField(default=0)
    verification_result = models.BooleanField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["licence", "at"])]
