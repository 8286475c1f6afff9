"""An operator builds a statistics product on its licence in Chromium; it is registered and
priced under the agency's ceiling; an industry consumer orders it, calls it and receives a
correct statement; a public-welfare consumer of the same product pays nothing."""

from __future__ import annotations

import json
import urllib.request
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from operations.commerce.models import Order, Product, Statement
from registry.models import ObjectType
from tests.conftest import PDF_BYTES

pytestmark = pytest.mark.browser

PASSWORD = "pw-123456!"
RESULTS = settings.BASE_DIR / "test-results"
BASE = "/operations/commerce/"


def snap(page, name: str) -> None:
    RESULTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(RESULTS / f"{name}.png"), full_page=True)


def log_in(page, base: str, user) -> None:
    page.goto(f"{base}/accounts/login/?next={BASE}")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("text=授权运营工作台")


def log_out(page) -> None:
    page.click("header form.inline-form button")


def call(base: str, product_id: int, key: str) -> dict:
    request = urllib.request.Request(
        f"{base}/api/v1/commerce/products/{product_id}/call",
        data=b"{}",
        method="POST",
        headers={"Authorization": f"Api-Key {key}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def order_and_accept(page, base, product, purpose: str, evidence=None) -> str:
    page.goto(f"{base}{BASE}products/{product.pk}/order/")
    page.select_option("#id_purpose_class", purpose)
    page.fill("#id_scenario", "小微企业信贷风控" if evidence is None else "社区养老公益服务")
    if evidence is not None:
        page.fill("#id_attestation", "本单位承诺该数据仅用于公益事业。")
        page.set_input_files("#id_evidence", evidence)
    page.click("form.stacked-form button[type=submit]")
    page.click("#accept-button")
    return page.inner_text("#order-key").strip()


def test_a_product_is_built_priced_ordered_called_and_billed_correctly(
    transactional_db, live_server, page, world, tmp_path
):
    from tests.commerce.conftest import Market

    market = Market(world)
    base = live_server.url
    reg = world.coded(
        user=market.operator_user,
        holder=market.operator.organisation,
        object_type=ObjectType.DATA_PRODUCT,
        name="低保对象分区统计",
    )
    record = reg.resource
    record.refresh_from_db()

    # The operator builds a statistics product on its aggregates-only licence.
    log_in(page, base, market.operator_user)
    page.goto(f"{base}{BASE}products/new/")
    page.select_option("#id_kind", "statistics")
    page.fill("#id_name", "低保对象分区统计")
    page.fill("#id_summary", "按区统计低保对象人数。")
    page.fill(
        "#id_data_source_statement", "数据来源于广州市民政部门登记的公共数据资源，经授权运营。"
    )
    page.fill("#id_group_by", "区")
    page.select_option("#id_aggregate", "count:*")
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_selector("text=产品草稿已创建")
    product = Product.objects.get()
    page.fill("#id_record_code", record.code)
    page.click("#record-form button[type=submit]")
    page.wait_for_selector(f"#record-code >> text={record.code}")
    log_out(page)

    # The agency sets the ceiling; the operator prices under it and lists the product.
    log_in(page, base, market.agency_user)
    page.goto(f"{base}{BASE}products/{product.pk}/")
    page.select_option("#ceiling-form #id_unit", "call")
    page.fill("#ceiling-form #id_amount", "0.50")
    page.fill("#ceiling-form #id_basis", "数据、算力和人力投入测算")
    page.click("#ceiling-form button[type=submit]")
    page.wait_for_selector("#ceilings >> text=0.5")
    log_out(page)

    log_in(page, base, market.operator_user)
    page.goto(f"{base}{BASE}products/{product.pk}/")
    page.fill("#price-form #id_unit_price", "0.80")
    page.click("#price-form button[type=submit]")
    page.wait_for_selector("text=高于上限价格")
    page.fill("#price-form #id_unit_price", "0.20")
    page.click("#price-form button[type=submit]")
    page.wait_for_selector("#prices >> text=v1")
    page.click("#list-button")
    page.wait_for_selector("#product-status >> text=已上架")
    snap(page, "commerce-product")
    log_out(page)

    # The public price list shows the ceiling and the actual price.
    page.goto(f"{base}{BASE}prices/")
    row = page.locator("#price-list tr", has_text="低保对象分区统计")
    assert "0.5" in row.inner_text() and "0.2" in row.inner_text()

    # An industry consumer orders, calls three times, and receives the statement.
    log_in(page, base, market.industry_user)
    key = order_and_accept(page, base, product, "industry_development")
    results = [call(base, product.pk, key) for _ in range(3)]
    assert {r["区"] for r in results[0]["records"]} == {"天河区", "白云区"}
    assert results[0]["suppressed_groups"] == 1
    industry_order = Order.objects.get(is_free=False)
    log_out(page)

    # A public-welfare consumer orders the same product with attestation and evidence.
    evidence = tmp_path / "证明.pdf"
    evidence.write_bytes(PDF_BYTES)
    log_in(page, base, market.welfare_user)
    welfare_key = order_and_accept(page, base, product, "public_welfare", evidence=str(evidence))
    call(base, product.pk, welfare_key)
    welfare_order = Order.objects.get(is_free=True)
    log_out(page)

    month = timezone.localdate().strftime("%Y-%m")
    log_in(page, base, market.operator_user)
    for order in (industry_order, welfare_order):
        page.goto(f"{base}{BASE}orders/{order.pk}/")
        page.fill("#statement-form #id_month", month)
        page.click("#statement-form button[type=submit]")
        page.wait_for_selector("#statement-total")
    log_out(page)

    log_in(page, base, market.industry_user)
    statement = Statement.objects.get(order=industry_order)
    page.goto(f"{base}{BASE}statements/{statement.pk}/")
    assert page.inner_text("#statement-total").strip() == "0.60"
    assert "3" in page.inner_text("#statement-lines tbody")
    snap(page, "commerce-statement")
    log_out(page)

    log_in(page, base, market.welfare_user)
    free = Statement.objects.get(order=welfare_order)
    page.goto(f"{base}{BASE}statements/{free.pk}/")
    assert page.inner_text("#statement-total").strip() == "0.00"
    assert free.total == Decimal("0.00") and statement.total == Decimal("0.60")
