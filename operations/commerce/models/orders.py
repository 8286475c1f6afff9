"""Consumers' orders, the credentials an accepted order issues, and the link from each
metered call (`portal.UsageRecord`, the open API's usage rows) to its order."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from operations.commerce.models.catalogue import PriceVersion, PriorityScenario, Product
from operations.commerce.models.common import AppendOnly, PurposeClass
from operations.models import VerificationMethod, VerificationResult


class Consumer(models.Model):
    """An organisation that buys products. Its identity is verified (method, result, when,
    by whom) before any sale (Data Security Law art. 33)."""

    organisation = models.OneToOneField(
        "registry.Organisation", on_delete=models.PROTECT, related_name="commerce_consumer"
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=100)
    authorised_contact = models.CharField(_("授权联系人"), max_length=100)
    contact_phone = models.CharField(_("联系电话"), max_length=40)
    identity_verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def is_verified(self) -> bool:
        return self.identity_verified_at is not None


class ConsumerMember(models.Model):
    """A user who orders and calls products for a consumer organisation."""

    consumer = models.ForeignKey(Consumer, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="commerce_memberships"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consumer", "user"], name="commerce_member_once")
        ]


class ConsumerVerification(AppendOnly):
    """One identity check of a consumer, by a platform administrator."""

    consumer = models.ForeignKey(Consumer, on_delete=models.PROTECT, related_name="verifications")
    method = models.CharField(max_length=24, choices=VerificationMethod.choices)
    result = models.CharField(max_length=8, choices=VerificationResult.choices)
    note = models.CharField(max_length=500, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField()

    class Meta:
        ordering = ["-verified_at", "-id"]


class OrderStatus(models.TextChoices):
    QUOTED = "quoted", _("已报价")
    ACTIVE = "active", _("已生效")
    SUSPENDED = "suspended", _("已暂停")
    CLOSED = "closed", _("已关闭")
    CANCELLED = "cancelled", _("已取消")


class Order(models.Model):
    """A consumer organisation's order of a product for a purpose class. Free purposes
    (public governance, public welfare) keep the attestation and its evidence; charged ones
    are quoted at the product's live price version and the declared scenario's discount."""

    number = models.CharField(max_length=30, unique=True)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="orders")
    consumer = models.ForeignKey(Consumer, on_delete=models.PROTECT, related_name="orders")
    purpose_class = models.CharField(_("用途类别"), max_length=24, choices=PurposeClass.choices)
    scenario = models.CharField(_("应用场景"), max_length=300)
    attestation = models.TextField(_("用途承诺"), max_length=4000, blank=True)
    evidence = models.FileField(
        _("证明材料"), upload_to="commerce/evidence/%Y/", max_length=200, blank=True
    )
    priority_scenario = models.ForeignKey(
        PriorityScenario, null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    discount_percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal(0))
    is_free = models.BooleanField()
    price_version = models.ForeignKey(
        PriceVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    status = models.CharField(
        max_length=12, choices=OrderStatus.choices, default=OrderStatus.QUOTED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    quoted_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-quoted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_free=True, discount_percent=0) | Q(is_free=False),
                name="commerce_order_free_has_no_discount",
            )
        ]

    def __str__(self) -> str:
        return self.number


class OrderCredential(models.Model):
    """A key scoped to one order's product: `odk_<prefix>_<secret>`, hashed exactly like the
    developer keys (`portal.developer.keys`)."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="credentials")
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class OrderUsage(AppendOnly):
    """One metered call of an order: the usage row itself is `portal.UsageRecord` (the same
    rows as the open API); this row says which order and which price version it belongs to
    and what it measured. `billable` is false for calls answered with an error."""

    usage = models.OneToOneField(
        "portal.UsageRecord", on_delete=models.PROTECT, related_name="commerce_order_usage"
    )
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="usage")
    price_version = models.ForeignKey(
        PriceVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    calls = models.PositiveIntegerField(default=1)
    records = models.BigIntegerField(default=0)
    bytes = models.BigIntegerField(default=0)
    billable = models.BooleanField(default=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["order", "at"], name="commerce_usage_order_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(records__gte=0, bytes__gte=0), name="commerce_usage_non_negative"
            )
        ]
