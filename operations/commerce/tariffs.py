"""Tariff arithmetic: pure functions, no database.

A month's quantity of one charging unit becomes statement lines. Every line is
`quantity × unit_price × (100 − discount) / 100`, computed exactly in Decimal and rounded
ONCE, half up, to the fen; a statement's total is the sum of its lines, so no fen is lost or
made up between the lines and the total. Shapes:

- flat: one line at the unit price;
- tiered: cumulative brackets `[(up_to, price), …, (None, price)]`: the quantity up to the
  first bound at the first price, the part between the first and second bound at the
  second, and so on (a progressive tariff, like income-tax brackets);
- fixed plus usage: the month's period fee, then the usage above `included_quantity` at the
  unit price.

`start` is the part of the month's quantity already billed under an earlier price version of
the same month: the brackets and the included quantity are the month's, so a version that
replaced another mid-month goes on from where the month stands (its quantity is the range
`(start, start + quantity]`) instead of starting again from the first bracket.

A priority-scenario discount applies to every line of a charged order. A free order (public
governance or welfare) gets lines with its quantities at price zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
ZERO = Decimal(0)
HUNDRED = Decimal(100)
BYTES_PER_GB = Decimal(10**9)


class TariffError(ValueError):
    """A tariff that cannot be applied (malformed tiers, missing price)."""


def round_fen(amount: Decimal) -> Decimal:
    """The one rounding of money: half up to the fen."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def line_amount(
    quantity: Decimal, unit_price: Decimal, discount_percent: Decimal = ZERO
) -> Decimal:
    """quantity × price × (1 − discount), exact, then rounded once."""
    exact = quantity * unit_price * (HUNDRED - discount_percent) / HUNDRED
    return round_fen(exact)


@dataclass(frozen=True)
class Tier:
    up_to: Decimal | None  # the cumulative bound of the bracket; None: no bound (last)
    unit_price: Decimal


@dataclass(frozen=True)
class Tariff:
    unit: str
    shape: str  # flat | tiered | fixed_plus_usage
    unit_price: Decimal | None = None
    tiers: tuple[Tier, ...] = ()
    period_fee: Decimal | None = None
    included_quantity: Decimal = ZERO


@dataclass(frozen=True)
class Line:
    kind: str  # usage | tier | period_fee
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal
    amount: Decimal
    tier_index: int | None = None
    lower: Decimal | None = None
    upper: Decimal | None = None


def tiers_from_json(raw: Sequence[dict]) -> tuple[Tier, ...]:
    """Parse and check `[{"up_to": "1000" | None, "unit_price": "0.05"}, …]`: bounds strictly
    increasing, only the last unbounded, prices non-negative."""
    tiers: list[Tier] = []
    previous = ZERO
    for index, item in enumerate(raw):
        try:
            price = Decimal(str(item["unit_price"]))
            bound = None if item.get("up_to") in (None, "") else Decimal(str(item["up_to"]))
        except (KeyError, TypeError, ArithmeticError) as exc:
            raise TariffError(f"Tier {index + 1} is malformed.") from exc
        if not price.is_finite() or price < 0:
            raise TariffError(f"Tier {index + 1}: the unit price must be zero or more.")
        last = index == len(raw) - 1
        if bound is None and not last:
            raise TariffError("Only the last tier may be unbounded.")
        if bound is not None and (not bound.is_finite() or bound <= previous):
            raise TariffError(f"Tier {index + 1}: bounds must increase.")
        if bound is None or last:
            tiers.append(Tier(bound, price))
            break
        tiers.append(Tier(bound, price))
        previous = bound
    if not tiers:
        raise TariffError("A tiered tariff needs at least one tier.")
    if tiers[-1].up_to is not None:
        raise TariffError("The last tier must be unbounded.")
    return tuple(tiers)


def _tier_lines(
    tiers: Sequence[Tier], quantity: Decimal, discount: Decimal, start: Decimal = ZERO
) -> list[Line]:
    """The brackets' parts of the range (start, start + quantity]."""
    lines: list[Line] = []
    end = start + quantity
    lower = ZERO
    for index, tier in enumerate(tiers):
        upper = tier.up_to
        bottom = max(lower, start)
        in_bracket = (end if upper is None else min(end, upper)) - bottom
        if in_bracket > 0:
            lines.append(
                Line(
                    "tier",
                    in_bracket,
                    tier.unit_price,
                    discount,
                    line_amount(in_bracket, tier.unit_price, discount),
                    tier_index=index,
                    lower=bottom,
                    upper=upper,
                )
            )
        if upper is None or end <= upper:
            break
        lower = upper
    if not lines:  # nothing used: one zero line at the bracket reached, so the unit shows
        index = next(
            (i for i, t in enumerate(tiers) if t.up_to is None or start < t.up_to), len(tiers) - 1
        )
        tier = tiers[index]
        bottom = max(start, tiers[index - 1].up_to) if index else start
        lines.append(Line("tier", ZERO, tier.unit_price, discount, ZERO, index, bottom, tier.up_to))
    return lines


def price_lines(
    tariff: Tariff, quantity: Decimal, *, discount_percent: Decimal = ZERO, start: Decimal = ZERO
) -> list[Line]:
    """The lines of one month's `quantity` (>= 0) under `tariff`, after `start` (>= 0) of
    the month's quantity billed under an earlier price version (see the module docstring)."""
    if quantity < 0 or start < 0:
        raise TariffError("A quantity is never negative.")
    if not ZERO <= discount_percent < HUNDRED:
        raise TariffError("A discount is between 0 and 100 percent.")
    if tariff.shape == "tiered":
        return _tier_lines(tariff.tiers, quantity, discount_percent, start)
    if tariff.unit_price is None:
        raise TariffError("This tariff has no unit price.")
    if tariff.shape == "flat":
        amount = line_amount(quantity, tariff.unit_price, discount_percent)
        return [Line("usage", quantity, tariff.unit_price, discount_percent, amount)]
    if tariff.shape == "fixed_plus_usage":
        if tariff.period_fee is None:
            raise TariffError("A fixed-plus-usage tariff needs a period fee.")
        fee = Line(
            "period_fee",
            Decimal(1),
            tariff.period_fee,
            discount_percent,
            line_amount(Decimal(1), tariff.period_fee, discount_percent),
        )
        included = tariff.included_quantity
        above = max(ZERO, start + quantity - included) - max(ZERO, start - included)
        usage = Line(
            "usage",
            above,
            tariff.unit_price,
            discount_percent,
            line_amount(above, tariff.unit_price, discount_percent),
            lower=included,
        )
        return [fee, usage]
    raise TariffError(f"Unknown tariff shape {tariff.shape!r}.")


def free_line(quantity: Decimal) -> Line:
    return Line("free", quantity, ZERO, ZERO, ZERO)


def total(lines: Sequence[Line]) -> Decimal:
    return sum((line.amount for line in lines), ZERO).quantize(FEN)


def highest_unit_price(tariff: Tariff) -> Decimal:
    """The highest usage price a tariff charges (what a ceiling is compared with)."""
    if tariff.shape == "tiered":
        return max(t.unit_price for t in tariff.tiers)
    return tariff.unit_price if tariff.unit_price is not None else ZERO
