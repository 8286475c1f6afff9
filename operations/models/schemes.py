"""Authorisation schemes (实施方案): mode, scope by registration code, scenarios, approvals,
and the operator selection with its published result."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from operations.models.parties import Party
from registry.models import Resource


class AuthorisationMode(models.TextChoices):
    WHOLE = "whole", _("整体授权")
    DOMAIN = "domain", _("分领域授权")
    SCENARIO = "scenario", _("依场景授权")


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("草拟中")
    APPROVED = "approved", _("已批准")
    RESULT_PUBLISHED = "result_published", _("遴选结果已公布")
    WITHDRAWN = "withdrawn", _("已撤回")


class Scheme(models.Model):
    agency = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="schemes")
    title = models.CharField(_("方案名称"), max_length=200)
    modes = ArrayField(models.CharField(max_length=10, choices=AuthorisationMode.choices))
    domains = models.JSONField(_("授权领域"), default=list, blank=True)
    description = models.TextField(_("方案说明"), max_length=4000, blank=True)
    status = models.CharField(
        max_length=20, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class SchemeResource(models.Model):
    """A registered resource in a scheme's scope; the code is kept as it was when added."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="scope")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="+")
    registration_code = models.CharField(max_length=40)

    class Meta:
        ordering = ["registration_code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "resource"], name="operations_scope_once")
        ]


class Scenario(models.Model):
    """An application scenario (应用场景). "No scenario, no authorisation"."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(max_length=200)
    description = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="operations_scenario_once")
        ]

    def __str__(self) -> str:
        return self.name


class SchemeApproval(models.Model):
    """An approval of the scheme by a competent body (e.g. the people's government)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="approvals")
    approver = models.CharField(_("批准机关"), max_length=200)
    document_no = models.CharField(_("批准文号"), max_length=100)
    approved_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["approved_on", "id"]


class SelectionProcedure(models.TextChoices):
    PUBLIC_TENDER = "public_tender", _("公开招标")
    COMPETITIVE_NEGOTIATION = "competitive_negotiation", _("竞争性磋商")
    COMPARISON = "comparison", _("比选")
    OTHER = "other", _("其他公平竞争方式")


class OperatorSelection(models.Model):
    """The outcome of the fair selection procedure, published with the scheme."""

    scheme = models.OneToOneField(Scheme, on_delete=models.PROTECT, related_name="selection")
    procedure = models.CharField(max_length=24, choices=SelectionProcedure.choices)
    decided_on = models.DateField()
    result_summary = models.TextField(_("遴选结果"), max_length=4000)
    selected = models.ManyToManyField(Party, related_name="selections")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField()
