"""Ceilings, prices, pricing periods: a price above the ceiling is refused, a lowered ceiling
suspends a live price above it, trial tariffs, and the over-recovery carried forward."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from operations.commerce import metering
from operations.commerce.models import CommerceEvent, PriceStatus
from operations.commerce.services import orders, pricing, products, statements
from registry.errors import NotFound, ValidationFailed
from tests.commerce.conftest import NOW, money
from tests.conftest import at, pdf


def test_a_price_above_the_ceiling_is_refused_naming_it(market):
    product = market.product()
    market.ceiling(product, amount="0.50")
    with pytest.raises(ValidationFailed) as exc:
        market.price(product, unit_price="0.51")
    assert "ceiling" in str(exc.value.errors["unit_price"])
    assert not product.prices.exists()


def test_every_tier_and_the_period_fee_are_checked_against_their_ceilings(market):
    product = market.product()
    market.ceiling(product, amount="0.10")
    with pytest.raises(ValidationFailed):
        market.price(
            product,
            shape="tiered",
            tiers=[{"up_to": "100", "unit_price": "0.12"}, {"up_to": None, "unit_price": "0.05"}],
        )
    with pytest.raises(ValidationFailed, match="ceiling"):
        market.price(
            product, shape="fixed_plus_usage", unit_price="0.05", period_fee="100"
        )  # no period ceiling
    market.ceiling(product, unit="period", amount="99.00")
    with pytest.raises(ValidationFailed):
        market.price(product, shape="fixed_plus_usage", unit_price="0.05", period_fee="100")
    price = market.price(
        product,
        shape="fixed_plus_usage",
        unit_price="0.05",
        period_fee="99",
        included_quantity="1000",
    )
    assert price.status == PriceStatus.LIVE


def test_a_unit_without_a_ceiling_cannot_be_priced(market):
    product = market.product()
    with pytest.raises(ValidationFailed, match="ceiling"):
        market.price(product)


def test_lowering_a_ceiling_below_a_live_price_suspends_it_and_stops_charged_calls(market):
    product = market.listed_product()
    order, key = market.order(product)
    welfare, welfare_key = market.order(
        product, consumer=market.welfare, user=market.welfare_user, purpose="public_welfare"
    )

    market.ceiling(product, amount="0.15", now=at(2026, 6, 5))

    price = product.prices.get()
    assert price.status == PriceStatus.SUSPENDED and "0.15" in price.status_reason
    assert CommerceEvent.objects.filter(action="price_suspend", object_id=price.pk).exists()
    with pytest.raises(metering.PriceSuspended):
        market.call(key, product, now=at(2026, 6, 6))
    market.call(welfare_key, product, now=at(2026, 6, 6))  # free use goes on
    with pytest.raises(ValidationFailed):
        orders.order_create(
            actor=market.industry_user,
            consumer=market.industry,
            product=product,
            data={"purpose_class": "industry_development", "scenario": "x"},
            now=at(2026, 6, 6),
        )

    repriced = market.price(product, unit_price="0.15", now=at(2026, 6, 7))
    order.refresh_from_db()
    assert order.price_version == repriced
    market.call(key, product, now=at(2026, 6, 8))


def test_a_ceiling_raised_or_kept_above_the_price_leaves_it_live(market):
    product = market.listed_product()
    market.ceiling(product, amount="0.20", now=at(2026, 6, 5))
    assert product.prices.get().status == PriceStatus.LIVE


def test_only_the_authorising_agency_sets_ceilings(market):
    product = market.product()
    with pytest.raises(NotFound):
        pricing.ceiling_set(
            actor=market.operator_user, product=product, unit="call", amount="1", basis="x", now=NOW
        )


def test_an_operator_without_a_full_year_gets_a_trial_period_of_at_most_a_year(market):
    assert market.period.is_trial
    product = market.listed_product()
    assert product.prices.get().is_trial
    market.ops.agreement(operator=market.ops.other_operator)
    with pytest.raises(ValidationFailed) as exc:
        pricing.period_approve(
            actor=market.agency_user,
            operator=market.ops.other_operator,
            start=dt.date(2026, 6, 1),
            end=dt.date(2027, 12, 31),
            operating_cost="1",
            permitted_profit="1",
            taxes="1",
            approval_reference="x",
            approval_document=pdf(),
            now=NOW,
        )
    assert "trial" in exc.value.errors["end"][0]


def test_the_second_year_is_no_longer_a_trial(market):
    second = market.approve_period(start=dt.date(2027, 6, 1), end=dt.date(2028, 5, 31))
    assert not second.is_trial


def test_overlapping_periods_are_refused(market):
    with pytest.raises(ValidationFailed):
        market.approve_period(start=dt.date(2027, 1, 1), end=dt.date(2027, 12, 31))


def test_revenue_above_the_maximum_is_deducted_from_the_next_period(market):
    small = pricing.period_approve(
        actor=market.agency_user,
        operator=market.operator,
        start=dt.date(2027, 6, 1),
        end=dt.date(2027, 6, 30),
        operating_cost="5.00",
        permitted_profit="0.50",
        taxes="0.30",
        approval_reference="核定2",
        approval_document=pdf(),
        now=NOW,
    )
    following = market.approve_period(
        start=dt.date(2027, 7, 1), end=dt.date(2028, 6, 30), cost="100", profit="10", taxes="6"
    )
    product = market.listed_product()
    order, _ = market.order(product)
    for day in range(1, 21):
        market.usage(order, at(2027, 6, day), calls=5)  # 100 calls × 0.20 = 20.00
    statement = statements.statement_generate(
        actor=market.operator_user, order=order, month=dt.date(2027, 6, 1), now=at(2027, 7, 1, 9)
    )
    statements.statement_finalise(
        actor=market.operator_user, statement=statement, now=at(2027, 7, 1, 9)
    )

    closed = pricing.period_close(actor=market.agency_user, period=small, now=at(2027, 7, 2))

    assert closed.actual_revenue == money("20.00")
    assert closed.maximum_permitted_revenue == money("5.80")
    assert closed.over_recovery == money("14.20")
    following.refresh_from_db()
    assert following.carried_deduction == money("14.20")
    assert following.maximum_permitted_revenue == money("101.80")


def test_a_period_closes_only_after_its_end_and_once(market):
    with pytest.raises(Exception, match="after its last day"):
        pricing.period_close(actor=market.agency_user, period=market.period, now=NOW)
    pricing.period_close(actor=market.agency_user, period=market.period, now=at(2027, 6, 1))
    with pytest.raises(Exception, match="already closed"):
        pricing.period_close(actor=market.agency_user, period=market.period, now=at(2027, 6, 2))


def test_a_period_approved_after_the_previous_closed_starts_with_its_deduction(market):
    pricing.period_close(actor=market.agency_user, period=market.period, now=at(2027, 6, 1))
    market.period.refresh_from_db()
    nxt = market.approve_period(start=dt.date(2027, 6, 1), end=dt.date(2028, 5, 31))
    assert nxt.carried_deduction == market.period.over_recovery == Decimal("0.00")


def test_a_priority_scenario_discounts_every_line_once(market):
    product = market.listed_product()
    scenario = pricing.scenario_create(
        actor=market.operator_user,
        operator=market.operator,
        name="普惠金融",
        criteria="小微企业信贷",
        discount_percent="30",
        now=NOW,
    )
    order, _ = market.order(product, priority_scenario=scenario.pk)
    for _ in range(7):
        market.usage(order, at(2026, 6, 3))
    statement = statements.statement_generate(
        actor=market.operator_user, order=order, month=dt.date(2026, 6, 1), now=at(2026, 7, 1)
    )
    (line,) = statement.lines.all()
    assert order.discount_percent == Decimal("30.00")
    assert line.amount == money("0.98")  # 7 × 0.20 × 0.7


def test_a_mid_month_reprice_goes_on_from_the_months_tier_bracket(market):
    """80 calls under v1, then 50 under v2 (same brackets, new prices): v2 bills 20 calls in
    the first bracket (80–100] and 30 in the second, not 50 in the first again."""
    tiers = [{"up_to": "100", "unit_price": "0.20"}, {"up_to": None, "unit_price": "0.05"}]
    product = market.product()
    market.register(product)
    market.ceiling(product)
    first = market.price(product, shape="tiered", tiers=tiers)
    product = products.product_list(actor=market.operator_user, product=product, now=NOW)
    order, _ = market.order(product)
    market.usage(order, at(2026, 6, 3), calls=80, price=first)
    cheaper = [{"up_to": "100", "unit_price": "0.15"}, {"up_to": None, "unit_price": "0.04"}]
    second = market.price(product, shape="tiered", tiers=cheaper, now=at(2026, 6, 10))
    assert second.number == first.number + 1
    market.usage(order, at(2026, 6, 20), calls=50, price=second)

    statement = statements.statement_generate(
        actor=market.operator_user, order=order, month=dt.date(2026, 6, 1), now=at(2026, 7, 1)
    )

    lines = [
        (x.price_version_id, x.quantity, x.unit_price, x.amount)
        for x in statement.lines.order_by("position")
    ]
    assert lines == [
        (first.pk, Decimal(80), Decimal("0.20"), Decimal("16.00")),
        (second.pk, Decimal(20), Decimal("0.15"), Decimal("3.00")),
        (second.pk, Decimal(30), Decimal("0.04"), Decimal("1.20")),
    ]
    assert statement.total == Decimal("20.20")
    assert "第1档 (80–100]" in statement.lines.get(position=2).description
