"""Tariff arithmetic, as properties over random usage: each line is rounded once (it equals
the exact product rounded half up to the fen), the total is the sum of the lines, nothing is
negative, and the tiers split the quantity without losing any of it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from operations.commerce import tariffs
from operations.commerce.tariffs import Tariff, Tier

FEN = Decimal("0.01")
prices = st.decimals(min_value=0, max_value=Decimal("99.999999"), places=6)
quantities = st.integers(min_value=0, max_value=10**9).map(Decimal)
discounts = st.sampled_from(
    [Decimal(0), Decimal("5"), Decimal("12.5"), Decimal("33.33"), Decimal("99.99")]
)


@st.composite
def tier_tables(draw):
    bounds = sorted(
        set(draw(st.lists(st.integers(min_value=1, max_value=10**7), min_size=0, max_size=4)))
    )
    rates = draw(st.lists(prices, min_size=len(bounds) + 1, max_size=len(bounds) + 1))
    return tuple(Tier(Decimal(b), r) for b, r in zip(bounds, rates, strict=False)) + (
        Tier(None, rates[-1]),
    )


def exact(q, p, d):
    return (q * p * (100 - d) / 100).quantize(FEN, rounding=ROUND_HALF_UP)


def check_lines(lines):
    for line in lines:
        assert line.amount >= 0 and line.quantity >= 0
        assert line.amount == exact(line.quantity, line.unit_price, line.discount_percent)
        assert line.amount == line.amount.quantize(FEN)
    assert tariffs.total(lines) == sum((x.amount for x in lines), Decimal(0))


@settings(max_examples=200, deadline=None)
@given(tiers=tier_tables(), usage=st.lists(quantities, min_size=1, max_size=30), discount=discounts)
def test_tiered_lines_split_the_whole_quantity_and_each_is_rounded_once(tiers, usage, discount):
    quantity = sum(usage, Decimal(0))
    lines = tariffs.price_lines(
        Tariff("call", "tiered", tiers=tiers), quantity, discount_percent=discount
    )
    check_lines(lines)
    assert sum((x.quantity for x in lines), Decimal(0)) == quantity
    assert [x.tier_index for x in lines] == sorted(x.tier_index for x in lines)


@settings(max_examples=200, deadline=None)
@given(
    price=prices,
    fee=st.decimals(min_value=0, max_value=100000, places=2),
    included=quantities,
    usage=st.lists(quantities, min_size=0, max_size=30),
    discount=discounts,
)
def test_fixed_plus_usage_is_the_fee_plus_usage_above_the_allowance(
    price, fee, included, usage, discount
):
    quantity = sum(usage, Decimal(0))
    tariff = Tariff(
        "call", "fixed_plus_usage", unit_price=price, period_fee=fee, included_quantity=included
    )
    lines = tariffs.price_lines(tariff, quantity, discount_percent=discount)
    check_lines(lines)
    assert lines[0].kind == "period_fee" and lines[0].amount == exact(Decimal(1), fee, discount)
    assert lines[1].quantity == max(Decimal(0), quantity - included)


@settings(max_examples=200, deadline=None)
@given(
    price=prices,
    usage=st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=30),
)
def test_per_gigabyte_usage_is_priced_exactly_from_bytes(price, usage):
    quantity = Decimal(sum(usage)) / tariffs.BYTES_PER_GB
    (line,) = tariffs.price_lines(Tariff("gigabyte", "flat", unit_price=price), quantity)
    check_lines([line])
    assert line.quantity * tariffs.BYTES_PER_GB == sum(usage)


def test_progressive_brackets_charge_each_part_at_its_own_price():
    tiers = (
        Tier(Decimal(1000), Decimal("0.10")),
        Tier(Decimal(5000), Decimal("0.08")),
        Tier(None, Decimal("0.05")),
    )
    lines = tariffs.price_lines(Tariff("call", "tiered", tiers=tiers), Decimal(6001))
    assert [(x.quantity, x.amount) for x in lines] == [
        (Decimal(1000), Decimal("100.00")),
        (Decimal(4000), Decimal("320.00")),
        (Decimal(1001), Decimal("50.05")),
    ]
    assert tariffs.total(lines) == Decimal("470.05")


def test_half_a_fen_rounds_up_once_per_line_not_per_call():
    (line,) = tariffs.price_lines(Tariff("call", "flat", unit_price=Decimal("0.005")), Decimal(3))
    assert line.amount == Decimal("0.02")  # 0.015 → 0.02 once; per call it would be 3 × 0.01


@pytest.mark.parametrize(
    "raw",
    [
        [],
        [{"up_to": "10", "unit_price": "1"}],
        [{"up_to": None, "unit_price": "1"}, {"up_to": None, "unit_price": "1"}],
        [
            {"up_to": "10", "unit_price": "1"},
            {"up_to": "5", "unit_price": "1"},
            {"up_to": None, "unit_price": "1"},
        ],
        [{"up_to": "10", "unit_price": "-1"}, {"up_to": None, "unit_price": "1"}],
        [{"price": "1"}],
    ],
)
def test_malformed_tier_tables_are_refused(raw):
    with pytest.raises(tariffs.TariffError):
        tariffs.tiers_from_json(raw)


def test_a_negative_quantity_is_refused():
    with pytest.raises(tariffs.TariffError):
        tariffs.price_lines(Tariff("call", "flat", unit_price=Decimal(1)), Decimal(-1))


@settings(max_examples=200, deadline=None)
@given(tiers=tier_tables(), parts=st.lists(quantities, min_size=1, max_size=5), discount=discounts)
def test_a_month_split_between_versions_of_one_tariff_bills_its_brackets_once(
    tiers, parts, discount
):
    """The same tiers under successive versions (each going on from the month's position)
    cover exactly the brackets the whole month would: the same quantity per bracket."""
    tariff = Tariff("call", "tiered", tiers=tiers)
    whole = tariffs.price_lines(tariff, sum(parts, Decimal(0)), discount_percent=discount)
    split, start = [], Decimal(0)
    for part in parts:
        lines = tariffs.price_lines(tariff, part, discount_percent=discount, start=start)
        check_lines(lines)
        split += lines
        start += part
    per_bracket: dict[int, Decimal] = {}
    for line in split:
        per_bracket[line.tier_index] = per_bracket.get(line.tier_index, Decimal(0)) + line.quantity
    assert {k: v for k, v in per_bracket.items() if v} == {
        x.tier_index: x.quantity for x in whole if x.quantity
    }


def test_a_version_after_another_goes_on_from_the_months_bracket_and_allowance():
    tiers = (Tier(Decimal(100), Decimal("0.20")), Tier(None, Decimal("0.08")))
    lines = tariffs.price_lines(
        Tariff("call", "tiered", tiers=tiers), Decimal(50), start=Decimal(80)
    )
    assert [(x.tier_index, x.quantity, x.lower, x.amount) for x in lines] == [
        (0, Decimal(20), Decimal(80), Decimal("4.00")),
        (1, Decimal(30), Decimal(100), Decimal("2.40")),
    ]
    beyond = tariffs.price_lines(
        Tariff("call", "tiered", tiers=tiers), Decimal(0), start=Decimal(150)
    )
    assert [(x.tier_index, x.quantity, x.amount) for x in beyond] == [(1, Decimal(0), Decimal(0))]
    fixed = Tariff(
        "call",
        "fixed_plus_usage",
        unit_price=Decimal("0.10"),
        period_fee=Decimal(100),
        included_quantity=Decimal(1000),
    )
    _, usage = tariffs.price_lines(fixed, Decimal(500), start=Decimal(800))
    assert usage.quantity == Decimal(300) and usage.amount == Decimal("30.00")
    _, none_left = tariffs.price_lines(fixed, Decimal(10), start=Decimal(1200))
    assert none_left.quantity == Decimal(10)
    with pytest.raises(tariffs.TariffError):
        tariffs.price_lines(fixed, Decimal(1), start=Decimal(-1))
