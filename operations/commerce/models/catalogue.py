"""Products, the ceilings set on them, the operator's price versions, priority-scenario
discounts and the operator's pricing periods (maximum permitted revenue)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from operations.commerce.models.common import AppendOnly, ChargingUnit

MONEY = {"max_digits": 14, "decimal_places": 2}
UNIT_PRICE = {"max_digits": 16, "decimal_places": 6}


class ProductKind(models.TextChoices):
    API = "api", _("API 产品")
    STATISTICS = "statistics", _("统计产品")
    VERIFICATION = "verification", _("核验服务")
    DATASET = "dataset", _("衍生数据集")


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    LISTED = "listed", _("已上架")
    SUSPENDED = "suspended", _("已暂停")
    WITHDRAWN = "withdrawn", _("已下架")


class Product(models.Model):
    """A product or service an operator makes from its licensed resources. `query` is the
    saved, parameterised query run under the licence (its shape depends on `kind`);
    `parameters` name the values a caller supplies. Listed only with an active registry
    record of type "product" and a data-source statement."""

    operator = models.ForeignKey(
        "operations.Party", on_delete=models.PROTECT, related_name="commerce_products"
    )
    licence = models.ForeignKey(
        "operations.Licence", on_delete=models.PROTECT, related_name="commerce_products"
    )
    kind = models.CharField(_("产品类型"), max_length=16, choices=ProductKind.choices)
    name = models.CharField(_("产品名称"), max_length=200)
    summary = models.TextField(_("产品简介"), max_length=4000)
    data_source_statement = models.TextField(_("数据来源声明"), max_length=4000)
    query = models.JSONField(_("查询定义"), default=dict, blank=True)
    parameters = models.JSONField(_("调用参数"), default=list, blank=True)
    registry_record = models.ForeignKey(
        "registry.Resource",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commerce_products",
    )
    status = models.CharField(
        max_length=12, choices=ProductStatus.choices, default=ProductStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    listed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["operator_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registry_record"],
                condition=Q(registry_record__isnull=False),
                name="commerce_product_one_per_record",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Ceiling(AppendOnly):
    """The maximum price of one charging unit of a product, set by the authorising party.
    A change is a new row; the one in force is the latest with `effective_from` <= now."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="ceilings")
    unit = models.CharField(max_length=16, choices=ChargingUnit.choices)
    amount = models.DecimalField(**UNIT_PRICE, validators=[MinValueValidator(Decimal(0))])
    authority = models.ForeignKey("operations.Party", on_delete=models.PROTECT, related_name="+")
    basis = models.TextField(_("定价依据"), max_length=2000)
    document_reference = models.CharField(_("批复文号"), max_length=200, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    effective_from = models.DateTimeField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["product_id", "unit", "-effective_from", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="commerce_ceiling_positive")
        ]


class TariffShape(models.TextChoices):
    FLAT = "flat", _("单一单价")
    TIERED = "tiered", _("累进阶梯")
    FIXED_PLUS_USAGE = "fixed_plus_usage", _("固定费用加用量")


class PriceStatus(models.TextChoices):
    LIVE = "live", _("执行中")
    SUSPENDED = "suspended", _("已暂停(超过限价)")
    SUPERSEDED = "superseded", _("已替换")


class PriceVersion(models.Model):
    """One published tariff of a product. The money fields never change after creation
    (a new tariff is a new version); only `status` moves. `tiers` is
    `[{"up_to": "1000" | null, "unit_price": "0.05"}]`, cumulative brackets in order.
    Fixed-plus-usage: `period_fee` a month, usage above `included_quantity` at `unit_price`."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="prices")
    number = models.PositiveIntegerField()
    unit = models.CharField(max_length=16, choices=ChargingUnit.choices)
    shape = models.CharField(max_length=20, choices=TariffShape.choices)
    unit_price = models.DecimalField(**UNIT_PRICE, null=True, blank=True)
    tiers = models.JSONField(default=list, blank=True)
    period_fee = models.DecimalField(**MONEY, null=True, blank=True)
    included_quantity = models.DecimalField(max_digits=20, decimal_places=6, default=Decimal(0))
    is_trial = models.BooleanField(_("试行收费标准"), default=False)
    status = models.CharField(max_length=12, choices=PriceStatus.choices, default=PriceStatus.LIVE)
    status_reason = models.TextField(blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField()
    first_billed_at = models.DateTimeField(null=True, blank=True)

    FROZEN_FIELDS = ("unit", "shape", "unit_price", "tiers", "period_fee", "included_quantity")

    class Meta:
        ordering = ["product_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["product", "number"], name="commerce_price_number"),
            models.UniqueConstraint(
                fields=["product"], condition=Q(status="live"), name="commerce_price_one_live"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} v{self.number}"


class PriorityScenario(models.Model):
    """A declared priority scenario an operator discounts (e.g. 普惠金融, 乡村振兴)."""

    operator = models.ForeignKey(
        "operations.Party", on_delete=models.PROTECT, related_name="commerce_scenarios"
    )
    name = models.CharField(_("优先场景"), max_length=100)
    criteria = models.TextField(_("认定条件"), max_length=2000)
    discount_percent = models.DecimalField(
        _("折扣(%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("99.99"))],
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["operator_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(discount_percent__gt=0) & Q(discount_percent__lt=100),
                name="commerce_scenario_discount_range",
            ),
            models.UniqueConstraint(fields=["operator", "name"], name="commerce_scenario_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (-{self.discount_percent}%)"


class PeriodStatus(models.TextChoices):
    APPROVED = "approved", _("已核定")
    CLOSED = "closed", _("已结算")


class PricingPeriod(models.Model):
    """An operator's period with its approved maximum permitted revenue (最高准许收入 =
    operating cost + permitted profit + taxes), less the previous period's over-recovery
    (`carried_deduction`). Closing it records actual revenue and the over-recovery."""

    operator = models.ForeignKey(
        "operations.Party", on_delete=models.PROTECT, related_name="commerce_periods"
    )
    start = models.DateField()
    end = models.DateField()
    operating_cost = models.DecimalField(**MONEY)
    permitted_profit = models.DecimalField(**MONEY)
    taxes = models.DecimalField(**MONEY)
    carried_deduction = models.DecimalField(**MONEY, default=Decimal(0))
    is_trial = models.BooleanField(_("试行期"), default=False)
    approval_reference = models.CharField(_("核定文号"), max_length=200)
    approval_document = models.FileField(upload_to="commerce/periods/%Y/", max_length=200)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.APPROVED
    )
    actual_revenue = models.DecimalField(**MONEY, null=True, blank=True)
    over_recovery = models.DecimalField(**MONEY, null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["operator_id", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="commerce_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(operating_cost__gte=0, permitted_profit__gte=0, taxes__gte=0)
                & Q(carried_deduction__gte=0),
                name="commerce_period_amounts_positive",
            ),
        ]

    @property
    def cost_based_maximum(self) -> Decimal:
        return self.operating_cost + self.permitted_profit + self.taxes

    @property
    def maximum_permitted_revenue(self) -> Decimal:
        return max(Decimal("0.00"), self.cost_based_maximum - self.carried_deduction)
