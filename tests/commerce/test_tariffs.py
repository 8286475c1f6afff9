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
