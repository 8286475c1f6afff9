"""Pricing periods (maximum permitted revenue), ceilings, price versions and priority-scenario
discounts. A published price never exceeds the ceiling in force; a ceiling lowered below a
live price suspends that price (see `ceiling_set`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Sum

from operations.commerce import actors, tariffs
from operations.commerce.models import (
    Ceiling,
    ChargingUnit,
    CreditNote,
    Order,
    OrderStatus,
    PeriodStatus,
    PriceStatus,
    PriceVersion,
    PricingPeriod,
    PriorityScenario,
    Product,
    Statement,
    StatementStatus,
    TariffShape,
)
from operations.commerce.services.common import local_date, lock, record_event
from operations.models import Agreement, Party, PartyKind
from registry.errors import Conflict, NotFound, ValidationFailed

ZERO = Decimal("0.00")


def _decimal(value: Any, field: str, errors: dict, *, places: int = 6, required=True):
    if value in (None, ""):
        if required:
            errors[field] = ["This field is required."]
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[field] = ["A number is required."]
        return None
    if not number.is_finite() or number < 0:
        errors[field] = ["Must be zero or more."]
        return None
    if -number.as_tuple().exponent > places:
        errors[field] = [f"At most {places} decimal places."]
        return None
    if number >= Decimal(10) ** 10:
        errors[field] = ["Too large."]
        return None
    return number


# --------------------------------------------------------------------------- periods


def require_agency_of(actor, operator: Party) -> None:
    """Staff of an agency that has authorised this operator (an agreement between them)."""
    ids = actors.agency_ids(actor)
    if not Agreement.objects.filter(operator=operator, agency_id__in=ids).exists():
        raise NotFound("No such operator.")


def _previous_period(operator_id: int, start: dt.date) -> PricingPeriod | None:
    return (
        PricingPeriod.objects.filter(operator_id=operator_id, end__lt=start)
        .order_by("-end")
        .first()
    )


def _has_full_year(operator_id: int, start: dt.date) -> bool:
    """A full year of operating history before `start`: an earlier period began a year ago."""
    first = PricingPeriod.objects.filter(operator_id=operator_id).order_by("start").first()
    return first is not None and first.start <= start - dt.timedelta(days=365)


@transaction.atomic
def period_approve(
    *,
    actor,
    operator: Party,
    start: dt.date,
    end: dt.date,
    operating_cost: Any,
    permitted_profit: Any,
    taxes: Any,
    approval_reference: str,
    approval_document,
    now: dt.datetime,
) -> PricingPeriod:
    """Record an approved maximum permitted revenue for an operator's period. An operator
    without a full year of history gets a trial period (at most COMMERCE_TRIAL_MAX_DAYS);
    the previous period's over-recovery, once known, is deducted."""
    require_agency_of(actor, operator)
    errors: dict[str, list[str]] = {}
    amounts = {
        name: _decimal(value, name, errors, places=2)
        for name, value in (
            ("operating_cost", operating_cost),
            ("permitted_profit", permitted_profit),
            ("taxes", taxes),
        )
    }
    if end < start:
        errors["end"] = ["The end must not be before the start."]
    if not (approval_reference or "").strip():
        errors["approval_reference"] = ["This field is required."]
    if not approval_document:
        errors["approval_document"] = ["The approval document is required."]
    Party.objects.select_for_update().filter(pk=operator.pk).first()
    if operator.kind != PartyKind.OPERATOR:
        errors["operator"] = ["Not an operator."]
    overlap = PricingPeriod.objects.filter(operator=operator, start__lte=end, end__gte=start)
    if overlap.exists():
        errors["start"] = ["Overlaps another pricing period of this operator."]
    trial = not _has_full_year(operator.pk, start)
    if trial and (end - start).days + 1 > settings.COMMERCE_TRIAL_MAX_DAYS:
        errors["end"] = [
            f"An operator without a full year of history gets a trial tariff of at most "
            f"{settings.COMMERCE_TRIAL_MAX_DAYS} days."
        ]
    if errors:
        raise ValidationFailed("The pricing period is not valid.", errors=errors)
    previous = _previous_period(operator.pk, start)
    deduction = previous.over_recovery if previous and previous.over_recovery else ZERO
    period = PricingPeriod.objects.create(
        operator=operator,
        start=start,
        end=end,
        is_trial=trial,
        carried_deduction=deduction,
        approval_reference=approval_reference.strip(),
        approval_document=approval_document,
        approved_by=actor,
        approved_at=now,
        **amounts,
    )
    record_event(
        action="period_approve",
        obj=period,
        actor=actor,
        at=now,
        data={
            "maximum": str(period.maximum_permitted_revenue),
            "trial": trial,
            "carried_deduction": str(deduction),
        },
    )
    return period


def period_actual_revenue(period: PricingPeriod) -> Decimal:
    """Finalised statements billed in the period, less credit notes issued on them."""
    billed = (
        Statement.objects.filter(pricing_period=period, status=StatementStatus.FINALISED).aggregate(
            s=Sum("total")
        )["s"]
        or ZERO
    )
    credited = (
        CreditNote.objects.filter(invoice__statement__pricing_period=period).aggregate(
            s=Sum("amount")
        )["s"]
        or ZERO
    )
    return billed - credited


@transaction.atomic
def period_close(*, actor, period: PricingPeriod, now: dt.datetime) -> PricingPeriod:
    """After the period's end: record actual revenue and the over-recovery (actual − maximum,
    never negative), and carry it to the operator's next period as a deduction."""
    require_agency_of(actor, period.operator)
    period = lock(PricingPeriod, period.pk)
    if period.status != PeriodStatus.APPROVED:
        raise Conflict("The pricing period is already closed.")
    if local_date(now) <= period.end:
        raise Conflict("A pricing period is closed only after its last day.")
    actual = period_actual_revenue(period)
    over = max(ZERO, actual - period.maximum_permitted_revenue)
    PricingPeriod.objects.filter(pk=period.pk).update(
        status=PeriodStatus.CLOSED, actual_revenue=actual, over_recovery=over, closed_at=now
    )
    following = (
        PricingPeriod.objects.select_for_update()
        .filter(operator_id=period.operator_id, start__gt=period.end, status=PeriodStatus.APPROVED)
        .order_by("start")
        .first()
    )
    if following is not None:
        PricingPeriod.objects.filter(pk=following.pk).update(carried_deduction=over)
        record_event(
            action="period_deduction",
            obj=following,
            actor=actor,
            at=now,
            data={"from_period": period.pk, "deduction": str(over)},
        )
    period.refresh_from_db()
    record_event(
        action="period_close",
        obj=period,
        actor=actor,
        at=now,
        data={"actual": str(actual), "over_recovery": str(over)},
    )
    return period


def period_in_force(operator_id: int, day: dt.date) -> PricingPeriod | None:
    return PricingPeriod.objects.filter(
        operator_id=operator_id, start__lte=day, end__gte=day
    ).first()


# --------------------------------------------------------------------------- ceilings


def ceiling_in_force(product_id: int, unit: str, now: dt.datetime) -> Ceiling | None:
    return (
        Ceiling.objects.filter(product_id=product_id, unit=unit, effective_from__lte=now)
        .order_by("-effective_from", "-id")
        .first()
    )


@transaction.atomic
def ceiling_set(
    *,
    actor,
    product: Product,
    unit: str,
    amount: Any,
    basis: str,
    document_reference: str = "",
    now: dt.datetime,
) -> Ceiling:
    """Set the ceiling of one charging unit of a product, in force at once. A live price
    above the new ceiling is SUSPENDED at the same moment (status `suspended`, reason
    recorded): calls under it are refused until the operator publishes a compliant price,
    so nothing is ever charged above a ceiling in force."""
    authority = product.licence.agreement.agency
    actors.require_agency(actor, authority.pk)
    errors: dict[str, list[str]] = {}
    value = _decimal(amount, "amount", errors)
    if unit not in ChargingUnit.values:
        errors["unit"] = [f"Must be one of: {', '.join(ChargingUnit.values)}."]
    if not (basis or "").strip():
        errors["basis"] = ["This field is required."]
    if errors:
        raise ValidationFailed("The ceiling is not valid.", errors=errors)
    product = lock(Product, product.pk)
    ceiling = Ceiling.objects.create(
        product=product,
        unit=unit,
        amount=value,
        authority=authority,
        basis=basis.strip(),
        document_reference=(document_reference or "").strip(),
        set_by=actor,
        effective_from=now,
        created_at=now,
    )
    record_event(
        action="ceiling_set",
        obj=ceiling,
        actor=actor,
        at=now,
        data={"product": product.pk, "unit": unit, "amount": str(value)},
    )
    for price in PriceVersion.objects.select_for_update().filter(
        product=product, status=PriceStatus.LIVE
    ):
        problems = price_problems(price_tariff(price), product.pk, now)
        if problems:
            PriceVersion.objects.filter(pk=price.pk).update(
                status=PriceStatus.SUSPENDED, status_reason="; ".join(problems)
            )
            record_event(
                action="price_suspend",
                obj=price,
                actor=actor,
                at=now,
                reason="; ".join(problems),
                data={"ceiling": ceiling.pk},
            )
    return ceiling


# --------------------------------------------------------------------------- prices


def price_tariff(price: PriceVersion) -> tariffs.Tariff:
    return tariffs.Tariff(
        unit=price.unit,
        shape=price.shape,
        unit_price=price.unit_price,
        tiers=tariffs.tiers_from_json(price.tiers) if price.shape == TariffShape.TIERED else (),
        period_fee=price.period_fee,
        included_quantity=price.included_quantity,
    )


def price_problems(tariff: tariffs.Tariff, product_id: int, now: dt.datetime) -> list[str]:
    """Why a tariff breaks the ceilings in force (empty: it does not). A unit without a
    ceiling cannot be charged at all."""
    problems = []
    ceiling = ceiling_in_force(product_id, tariff.unit, now)
    highest = tariffs.highest_unit_price(tariff)
    if ceiling is None:
        problems.append(f"No ceiling is set for the unit '{tariff.unit}'.")
    elif highest > ceiling.amount:
        problems.append(
            f"The price {highest} is above the ceiling {ceiling.amount} per '{tariff.unit}'."
        )
    if tariff.shape == TariffShape.FIXED_PLUS_USAGE:
        fee_ceiling = ceiling_in_force(product_id, ChargingUnit.PERIOD, now)
        if fee_ceiling is None:
            problems.append("No ceiling is set for the period fee.")
        elif (tariff.period_fee or ZERO) > fee_ceiling.amount:
            problems.append(
                f"The period fee {tariff.period_fee} is above the ceiling {fee_ceiling.amount}."
            )
    return problems


def _tariff_input(data: dict[str, Any], errors: dict) -> tariffs.Tariff | None:
    unit, shape = data.get("unit"), data.get("shape")
    if unit not in ChargingUnit.values:
        errors["unit"] = [f"Must be one of: {', '.join(ChargingUnit.values)}."]
    if shape not in TariffShape.values:
        errors["shape"] = [f"Must be one of: {', '.join(TariffShape.values)}."]
    if errors:
        return None
    if unit == ChargingUnit.PERIOD and shape != TariffShape.FLAT:
        errors["shape"] = ["A per-period price is a flat monthly price."]
        return None
    tiers: tuple[tariffs.Tier, ...] = ()
    unit_price = period_fee = None
    included = ZERO
    if shape == TariffShape.TIERED:
        try:
            tiers = tariffs.tiers_from_json(data.get("tiers") or [])
        except tariffs.TariffError as exc:
            errors["tiers"] = [str(exc)]
    else:
        unit_price = _decimal(data.get("unit_price"), "unit_price", errors)
    if shape == TariffShape.FIXED_PLUS_USAGE:
        period_fee = _decimal(data.get("period_fee"), "period_fee", errors, places=2)
        included = _decimal(data.get("included_quantity") or 0, "included_quantity", errors) or ZERO
    if errors:
        return None
    return tariffs.Tariff(unit, shape, unit_price, tiers, period_fee, included)


def _tiers_json(tiers: tuple[tariffs.Tier, ...]) -> list[dict[str, str | None]]:
    return [
        {"up_to": None if t.up_to is None else str(t.up_to), "unit_price": str(t.unit_price)}
        for t in tiers
    ]


@transaction.atomic
def price_publish(
    *, actor, product: Product, data: dict[str, Any], now: dt.datetime
) -> PriceVersion:
    """Publish a new price version of a product: checked against every ceiling in force
    (above a ceiling → 400 naming it), under an approved pricing period (its trial flag is
    copied). The previous live version is superseded, and active orders follow the new one."""
    actors.require_operator(actor, product.operator_id)
    product = lock(Product, product.pk)
    errors: dict[str, list[str]] = {}
    tariff = _tariff_input(data, errors)
    if errors:
        raise ValidationFailed("The price is not valid.", errors=errors)
    problems = price_problems(tariff, product.pk, now)
    if problems:
        raise ValidationFailed(
            "The price is above the ceiling in force.", errors={"unit_price": problems}
        )
    period = period_in_force(product.operator_id, local_date(now))
    if period is None:
        raise ValidationFailed(
            "No approved pricing period covers today: prices are published only under an "
            "approved maximum permitted revenue.",
            errors={"period": ["No approved pricing period."]},
        )
    number = (product.prices.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    previous = list(product.prices.select_for_update().exclude(status=PriceStatus.SUPERSEDED))
    PriceVersion.objects.filter(pk__in=[p.pk for p in previous]).update(
        status=PriceStatus.SUPERSEDED
    )
    price = PriceVersion.objects.create(
        product=product,
        number=number,
        unit=tariff.unit,
        shape=tariff.shape,
        unit_price=tariff.unit_price,
        tiers=_tiers_json(tariff.tiers),
        period_fee=tariff.period_fee,
        included_quantity=tariff.included_quantity,
        is_trial=period.is_trial,
        published_by=actor,
        published_at=now,
    )
    Order.objects.filter(
        product=product, is_free=False, status__in=[OrderStatus.QUOTED, OrderStatus.ACTIVE]
    ).update(price_version=price)
    record_event(
        action="price_publish",
        obj=price,
        actor=actor,
        at=now,
        data={"unit": price.unit, "shape": price.shape, "trial": price.is_trial},
    )
    return price


@transaction.atomic
def scenario_create(
    *, actor, operator: Party, name: str, criteria: str, discount_percent: Any, now: dt.datetime
) -> PriorityScenario:
    actors.require_operator(actor, operator.pk)
    errors: dict[str, list[str]] = {}
    discount = _decimal(discount_percent, "discount_percent", errors, places=2)
    if discount is not None and not Decimal(0) < discount < Decimal(100):
        errors["discount_percent"] = ["Between 0 and 100 (exclusive)."]
    for field, value in (("name", name), ("criteria", criteria)):
        if not (value or "").strip():
            errors[field] = ["This field is required."]
    if (
        not errors
        and PriorityScenario.objects.filter(operator=operator, name=name.strip()).exists()
    ):
        errors["name"] = ["A scenario of this name exists."]
    if errors:
        raise ValidationFailed("The priority scenario is not valid.", errors=errors)
    scenario = PriorityScenario.objects.create(
        operator=operator,
        name=name.strip(),
        criteria=criteria.strip(),
        discount_percent=discount,
        created_at=now,
    )
    record_event(
        action="scenario_create",
        obj=scenario,
        actor=actor,
        at=now,
        data={"discount_percent": str(discount)},
    )
    return scenario
