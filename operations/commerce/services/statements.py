"""Monthly statements: usage of one order in one month → lines → total; finalising posts the
receivable. A draft is recomputed whenever it is generated again; a finalised statement
never changes (corrections are credit notes on its invoice)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from operations.commerce import actors, ledger, tariffs
from operations.commerce.models import (
    AccountKind,
    ChargingUnit,
    Order,
    OrderStatus,
    OrderUsage,
    PeriodStatus,
    PriceVersion,
    Statement,
    StatementLine,
    StatementStatus,
    TariffShape,
)
from operations.commerce.services.common import (
    local_date,
    lock,
    month_bounds,
    next_number,
    record_event,
)
from operations.commerce.services.pricing import period_in_force, price_tariff
from registry.errors import Conflict, IllegalTransition, ValidationFailed

ZERO = Decimal(0)
UNIT_LABELS = {
    ChargingUnit.CALL: "调用次数",
    ChargingUnit.RECORD: "返回记录条数",
    ChargingUnit.GIGABYTE: "数据量(GB)",
    ChargingUnit.PERIOD: "月度服务",
    ChargingUnit.PRODUCT_UNIT: "产品单位",
}


def _measured(usage: dict[str, int], unit: str, active: bool) -> Decimal:
    """The month's quantity of one unit from summed usage."""
    if unit in (ChargingUnit.CALL, ChargingUnit.PRODUCT_UNIT):
        return Decimal(usage["calls"])
    if unit == ChargingUnit.RECORD:
        return Decimal(usage["records"])
    if unit == ChargingUnit.GIGABYTE:
        return Decimal(usage["bytes"]) / tariffs.BYTES_PER_GB
    return Decimal(1 if active else 0)  # per period: the month, when the order was active


def _describe(line: tariffs.Line, unit: str, version: PriceVersion | None) -> str:
    label = UNIT_LABELS.get(unit, unit)
    tag = f" · 价格版本 v{version.number}" if version else ""
    if line.kind == "period_fee":
        return f"月度固定费用{tag}"
    if line.kind == "tier":
        upper = "以上" if line.upper is None else f"–{line.upper.normalize():f}"
        return f"{label} 第{line.tier_index + 1}档 ({line.lower.normalize():f}{upper}]{tag}"
    if line.kind == "free":
        return f"{label}(公共治理/公益用途, 免费)"
    if line.lower:
        return f"{label} 超出包含量 {line.lower.normalize():f} 部分{tag}"
    return f"{label}{tag}"


def _usage_by_version(order: Order, month: dt.date) -> dict[int | None, dict[str, int]]:
    start, end = month_bounds(month)
    rows = (
        OrderUsage.objects.filter(order=order, billable=True, at__gte=start, at__lt=end)
        .values("price_version")
        .annotate(calls=Sum("calls"), records=Sum("records"), bytes=Sum("bytes"))
    )
    return {
        r["price_version"]: {"calls": r["calls"], "records": r["records"], "bytes": r["bytes"]}
        for r in rows
    }


def _was_active(order: Order, month: dt.date) -> bool:
    start, end = month_bounds(month)
    return (
        order.accepted_at is not None
        and order.accepted_at < end
        and (order.closed_at is None or order.closed_at >= start)
    )


def compute_lines(
    order: Order, month: dt.date
) -> list[tuple[tariffs.Line, str, PriceVersion | None]]:
    """(line, unit, price version) of the month: per price version used, per tier/unit.
    The period fee (and a per-period price) is charged once a month, at the latest version."""
    usage = _usage_by_version(order, month)
    active = _was_active(order, month)
    if order.is_free:
        total = {k: sum(u[k] for u in usage.values()) for k in ("calls", "records", "bytes")}
        return [
            (tariffs.free_line(Decimal(total["calls"])), ChargingUnit.CALL, None),
            (tariffs.free_line(Decimal(total["records"])), ChargingUnit.RECORD, None),
        ]
    ids = {pk for pk in usage if pk is not None}
    if order.price_version_id:
        ids.add(order.price_version_id)
    versions = sorted(PriceVersion.objects.filter(pk__in=ids), key=lambda v: v.number)
    latest = versions[-1] if versions else None
    out = []
    earlier: list[dict[str, int]] = []  # the usage of the versions before this one
    for version in versions:
        measured = usage.get(version.pk, {"calls": 0, "records": 0, "bytes": 0})
        # The month's brackets and included quantity go on from the earlier versions' usage
        # (in this version's unit), not from zero (tariffs module docstring).
        start = (
            sum((_measured(u, version.unit, False) for u in earlier), ZERO)
            if version.unit != ChargingUnit.PERIOD
            else ZERO
        )
        earlier.append(measured)
        fixed = version.unit == ChargingUnit.PERIOD or version.shape == TariffShape.FIXED_PLUS_USAGE
        if fixed and (version is not latest or not active):
            if not measured["calls"]:
                continue
            fixed = False
        lines = tariffs.price_lines(
            price_tariff(version),
            _measured(measured, version.unit, active and version is latest),
            discount_percent=order.discount_percent,
            start=start,
        )
        if not fixed:
            lines = [x for x in lines if x.kind != "period_fee"]
        out += [(line, version.unit, version) for line in lines]
    return out


def _write_lines(statement: Statement, computed) -> Decimal:
    StatementLine.objects.bulk_create(
        StatementLine(
            statement=statement,
            position=index,
            description=_describe(line, unit, version)[:300],
            unit=unit,
            price_version=version,
            quantity=line.quantity,
            unit_price=line.unit_price,
            discount_percent=line.discount_percent,
            amount=line.amount,
        )
        for index, (line, unit, version) in enumerate(computed, start=1)
    )
    return tariffs.total([line for line, _, _ in computed])


def _check_can_bill(actor, order: Order) -> None:
    actors.require_operator(actor, order.product.operator_id)


@transaction.atomic
def statement_generate(*, actor, order: Order, month: dt.date, now: dt.datetime) -> Statement:
    """Create or recompute the draft statement of `order` for `month` (any day of it)."""
    _check_can_bill(actor, order)
    month = month.replace(day=1)
    order = lock(Order, order.pk)
    if order.status in (OrderStatus.QUOTED, OrderStatus.CANCELLED) or order.accepted_at is None:
        raise Conflict("Only an accepted order is billed.")
    if month_bounds(month)[0] > now:
        raise ValidationFailed("That month has not begun.", errors={"month": ["In the future."]})
    if not _was_active(order, month):
        raise ValidationFailed(
            "The order was not active in that month.", errors={"month": ["Not active."]}
        )
    statement = Statement.objects.select_for_update().filter(order=order, month=month).first()
    if statement is not None and statement.status == StatementStatus.FINALISED:
        raise IllegalTransition(action="generate", current=statement.status, allowed=[])
    computed = compute_lines(order, month)
    period = period_in_force(order.product.operator_id, month)
    if statement is None:
        statement = Statement.objects.create(
            number=next_number("ST", month.year),
            order=order,
            month=month,
            total=ZERO,
            pricing_period=period,
            generated_at=now,
        )
    else:
        statement.lines.all().delete()
    total = _write_lines(statement, computed)
    Statement.objects.filter(pk=statement.pk).update(
        total=total, generated_at=now, pricing_period=period
    )
    statement.refresh_from_db()
    record_event(
        action="statement_generate",
        obj=statement,
        actor=actor,
        at=now,
        data={"total": str(total), "lines": len(computed)},
    )
    return statement


@transaction.atomic
def statement_finalise(*, actor, statement: Statement, now: dt.datetime) -> Statement:
    """Freeze a draft after its month has ended (recomputed one last time), mark its price
    versions as billed, and post Dr receivable / Cr revenue."""
    order = statement.order
    _check_can_bill(actor, order)
    order = lock(Order, order.pk)
    statement = lock(Statement, statement.pk)
    if statement.status != StatementStatus.DRAFT:
        raise IllegalTransition(action="finalise", current=statement.status, allowed=[])
    if month_bounds(statement.month)[1] > now:
        raise Conflict("A statement is finalised only after its month has ended.")
    period = period_in_force(order.product.operator_id, statement.month)
    if period is not None and period.status == PeriodStatus.CLOSED:
        raise Conflict("The pricing period of that month is closed.")
    statement.lines.all().delete()
    total = _write_lines(statement, compute_lines(order, statement.month))
    Statement.objects.filter(pk=statement.pk).update(
        status=StatementStatus.FINALISED,
        total=total,
        finalised_at=now,
        finalised_by=actor,
        pricing_period=period,
        generated_at=now,
    )
    statement.refresh_from_db()
    PriceVersion.objects.filter(
        pk__in=statement.lines.exclude(price_version=None).values("price_version"),
        first_billed_at__isnull=True,
    ).update(first_billed_at=now)
    if total > 0:
        operator_id, consumer_id = order.product.operator_id, order.consumer_id
        ledger.transfer(
            kind="statement",
            memo=f"Statement {statement.number}",
            document=statement,
            actor=actor,
            at=now,
            amount=total,
            debit=ledger.account_for(
                kind=AccountKind.RECEIVABLE, operator_id=operator_id, counterparty_id=consumer_id
            ),
            credit=ledger.account_for(kind=AccountKind.REVENUE, operator_id=operator_id),
        )
    record_event(
        action="statement_finalise",
        obj=statement,
        actor=actor,
        at=now,
        data={"total": str(total), "month": local_date(now).isoformat()},
    )
    return statement
