"""The commerce pages: the public price list, the operator's product page (register, price,
list), ordering with the key shown once, statements, scoping (404) and escaping."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from operations.commerce.models import OperatingReport, Order, Product, ProductStatus
from operations.commerce.services import disclosure
from operations.models import PartyKind
from registry.models import ObjectType
from tests.conftest import at
from tests.operations.conftest import make_party

BASE = "/operations/commerce/"


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_price_list_shows_each_listed_product_with_ceiling_and_actual_price(market):
    market.listed_product()
    market.product(name="未上架草稿")
    page = Client().get(BASE + "prices/").content.decode()
    assert "低保对象分区统计" in page and "0.5" in page and "0.2" in page and "试行收费标准" in page
    assert "未上架草稿" not in page


def test_an_operator_registers_prices_and_lists_a_product_on_its_page(market):
    product = market.product()
    market.ceiling(product)
    reg = market.world.coded(
        user=market.operator_user,
        holder=market.operator.organisation,
        object_type=ObjectType.DATA_PRODUCT,
        name=product.name,
    )
    reg.resource.refresh_from_db()
    client = login(market.operator_user)
    url = f"{BASE}products/{product.pk}/"
    client.post(url, {"action": "record", "record_code": reg.resource.code})
    too_high = client.post(
        url, {"action": "price", "unit": "call", "shape": "flat", "unit_price": "0.9"}
    )
    assert too_high.status_code == 200 and "高于上限价格" in too_high.content.decode()
    client.post(url, {"action": "price", "unit": "call", "shape": "flat", "unit_price": "0.3"})
    client.post(url, {"action": "list"})
    product.refresh_from_db()
    assert product.status == ProductStatus.LISTED and product.registry_record == reg.resource


def test_another_operator_gets_404_on_a_draft_and_cannot_act_on_a_listed_product(market):
    draft = market.product(name="草稿")
    listed = market.listed_product()
    client = login(market.other_operator_user)
    assert client.get(f"{BASE}products/{draft.pk}/").status_code == 404
    assert client.post(f"{BASE}products/{listed.pk}/", {"action": "list"}).status_code == 404
    assert (
        client.post(
            f"{BASE}products/{listed.pk}/",
            {"action": "ceiling", "unit": "call", "amount": "9", "basis": "x"},
        ).status_code
        == 404
    )


def test_a_consumer_orders_accepts_and_sees_the_key_once(market):
    product = market.listed_product()
    client = login(market.industry_user)
    response = client.post(
        f"{BASE}products/{product.pk}/order/",
        {"purpose_class": "industry_development", "scenario": "信贷风控"},
    )
    order = Order.objects.get()
    assert response.status_code == 302
    accepted = client.post(f"{BASE}orders/{order.pk}/", {"action": "accept"}).content.decode()
    assert "odk_" in accepted
    assert "odk_" not in client.get(f"{BASE}orders/{order.pk}/").content.decode()
    assert login(market.other_user).get(f"{BASE}orders/{order.pk}/").status_code == 404


def test_a_welfare_order_without_evidence_shows_field_errors(market):
    product = market.listed_product()
    page = login(market.welfare_user).post(
        f"{BASE}products/{product.pk}/order/",
        {"purpose_class": "public_welfare", "scenario": "公益"},
    )
    assert page.status_code == 200 and not Order.objects.exists()
    assert "field-error" in page.content.decode()


def test_the_operator_generates_a_statement_on_the_order_page_and_both_parties_read_it(market):
    product = market.listed_product()
    order, _ = market.order(product)
    market.usage(order, at(2026, 6, 3), calls=5)
    response = login(market.operator_user).post(
        f"{BASE}orders/{order.pk}/", {"action": "statement", "month": "2026-06"}
    )
    statement = order.statements.get()
    assert response.status_code == 302 and statement.total == 1
    page = login(market.industry_user).get(f"{BASE}statements/{statement.pk}/").content.decode()
    assert "1.00" in page and "调用次数" in page
    assert (
        login(market.industry_user)
        .get(f"{BASE}statements/{statement.pk}/document.pdf")
        .content.startswith(b"%PDF")
    )
    assert login(market.other_user).get(f"{BASE}statements/{statement.pk}/").status_code == 404


def test_user_text_is_escaped(market):
    product = market.product(name="<script>alert(1)</script>统计")
    page = login(market.operator_user).get(f"{BASE}products/{product.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize("path", ["", "periods/", "consumers/", "disclosures/manage/"])
def test_console_pages_need_a_login(path, db):
    response = Client().get(BASE + path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_agency_records_a_period_and_sets_a_ceiling_on_pages(market):
    product = market.product()
    client = login(market.agency_user)
    assert client.get(BASE + "periods/").status_code == 200
    client.post(
        f"{BASE}products/{product.pk}/",
        {
            "action": "ceiling",
            "unit": "call",
            "amount": "0.8",
            "basis": "成本测算",
            "document_reference": "文号",
        },
    )
    assert product.ceilings.get().amount == Decimal("0.8")
    assert Product.objects.count() == 1


def test_an_operator_files_last_years_report_on_the_reports_page(market):
    client = login(market.operator_user)
    assert client.get(BASE + "reports/").status_code == 200
    response = client.post(
        BASE + "reports/", {"operator": market.operator.pk, "year": "2025", "narrative": "平稳"}
    )
    assert response.status_code == 302
    assert OperatingReport.objects.get().narrative == "平稳"
    assert (
        login(market.other_operator_user)
        .post(BASE + "reports/", {"operator": market.operator.pk, "year": "2025"})
        .status_code
        == 404
    )


def test_a_holder_reads_usage_of_its_data_on_the_reports_page(market):
    product = market.listed_product()
    order, _ = market.order(product)
    market.usage(order, at(2026, 6, 3), calls=1)
    page = (
        login(market.world.holder)
        .get(BASE + "reports/?from=2026-06-01&to=2026-06-30")
        .content.decode()
    )
    assert product.name in page
    csv = login(market.world.holder).get(BASE + "reports/?from=2026-06-01&to=2026-06-30&output=csv")
    assert product.name in csv.content.decode("utf-8-sig")
    assert login(market.industry_user).get(BASE + "reports/").status_code == 404


def test_the_console_nav_offers_reports_only_to_those_the_page_serves(market):
    """A consumer's console (and a public page's) has no 报告与导出 link: the page is a 404
    for them; operator staff, holder staff and regulators get the link and the page."""
    link = 'href="/operations/commerce/reports/"'
    for user in (market.industry_user, market.welfare_user):
        client = login(user)
        assert link not in client.get(BASE).content.decode()
        assert link not in client.get(BASE + "prices/").content.decode()
        assert client.get(BASE + "reports/").status_code == 404
    assert link not in Client().get(BASE + "prices/").content.decode()
    for user in (market.operator_user, market.world.holder, market.admin):
        client = login(user)
        assert link in client.get(BASE).content.decode()
        assert client.get(BASE + "reports/").status_code == 200


def test_the_authorising_agency_reads_its_operators_operating_reports(market):
    """The agreement's reporting duty is owed to the implementing agency: it reads the
    reports of the operators it authorised on the reports page and through the API; another
    agency and a consumer read none."""
    login(market.operator_user).post(
        BASE + "reports/", {"operator": market.operator.pk, "year": "2025", "narrative": "平稳"}
    )
    client = login(market.agency_user)
    page = client.get(BASE + "reports/")
    assert page.status_code == 200
    assert market.operator.organisation.name in page.content.decode()
    assert 'href="/operations/commerce/reports/"' in client.get(BASE).content.decode()
    listed = client.get("/api/v1/commerce/reports/operating/").json()
    assert [(r["operator"], r["year"], r["narrative"]) for r in listed] == [
        (market.operator.organisation.name, 2025, "平稳")
    ]
    _, stranger = make_party(PartyKind.AGENCY, "另一实施机构")
    other = login(stranger)
    assert market.operator.organisation.name not in other.get(BASE + "reports/").content.decode()
    assert other.get("/api/v1/commerce/reports/operating/").json() == []
    assert login(market.industry_user).get("/api/v1/commerce/reports/operating/").json() == []


@pytest.mark.parametrize(
    ("year", "narrative", "field"),
    [("二〇二五", "平稳", "year"), ("1999", "平稳", "year"), ("2025", "含\x00字符", "narrative")],
)
def test_a_bad_operating_report_gets_field_errors_and_files_nothing(market, year, narrative, field):
    client = login(market.operator_user)
    response = client.post(
        BASE + "reports/", {"operator": market.operator.pk, "year": year, "narrative": narrative}
    )
    assert response.status_code == 200
    assert response.context["report_form"].errors.keys() == {field}
    page = response.content.decode()
    assert 'class="field field-error"' in page and "errorlist" in page
    if field == "year":
        assert f'value="{year}"' in page and narrative in page  # what was typed is kept
    assert not OperatingReport.objects.exists()


@pytest.mark.parametrize("operator", ["", "abc", "-1", "99999999999999999999999"])
def test_a_tampered_operator_on_the_reports_page_is_a_404(market, operator):
    client = login(market.operator_user)
    response = client.post(BASE + "reports/", {"operator": operator, "year": "2025"})
    assert response.status_code == 404


def test_a_reason_with_a_nul_character_is_refused_on_the_page_and_nothing_changes(market):
    product = market.listed_product()
    order, _ = market.order(product)
    client = login(market.industry_user)
    response = client.post(f"{BASE}orders/{order.pk}/", {"action": "close", "reason": "不\x00再"})
    assert response.status_code == 200
    assert "不允许是用空字符串" in response.content.decode()  # Django's own zh-hans message
    order.refresh_from_db()
    assert order.status != "closed"
    operator = login(market.operator_user)
    suspended = operator.post(
        f"{BASE}products/{product.pk}/", {"action": "suspended", "reason": "\x00"}
    )
    assert suspended.status_code == 200
    product.refresh_from_db()
    assert product.status == ProductStatus.LISTED
    too_long = client.post(f"{BASE}orders/{order.pk}/", {"action": "close", "reason": "长" * 2001})
    assert too_long.status_code == 200
    order.refresh_from_db()
    assert order.status != "closed"


@pytest.mark.parametrize("value", ["", "abc", "2025.0", "1e3"])
def test_a_tampered_hidden_id_on_the_console_is_a_404(market, value):
    agency = login(market.agency_user)
    assert (
        agency.post(BASE + "disclosures/manage/", {"action": "review", "year": value}).status_code
        == 404
    )
    assert agency.post(BASE + "periods/", {"action": "close", "period": value}).status_code == 404
    verify = {"action": "verify", "consumer": value, "method": "credit_code", "result": "passed"}
    assert login(market.admin).post(BASE + "consumers/", verify).status_code == 404


def test_a_filed_operating_report_opens_in_full_for_those_who_read_it(market):
    product = market.listed_product()
    market.order(product)
    report = disclosure.operating_report_file(
        actor=market.operator_user,
        operator=market.operator,
        year=2026,
        narrative="平稳<b>",
        now=at(2027, 1, 15),
    )
    detail = f"{BASE}reports/{report.pk}/"
    listing = login(market.agency_user).get(BASE + "reports/").content.decode()
    assert f'href="{detail}"' in listing
    for user in (market.operator_user, market.agency_user, market.admin):
        page = login(user).get(detail)
        assert page.status_code == 200
        body = page.content.decode()
        assert market.operator.organisation.name in body and "2026" in body
        assert "平稳&lt;b&gt;" in body  # the narrative, escaped
        assert product.name in body and "统计产品" in body  # the product with its kind
        assert "产业发展" in body or "行业发展" in body  # orders by purpose, labelled
    _, stranger = make_party(PartyKind.AGENCY, "另一实施机构")
    for user in (stranger, market.industry_user, market.other_operator_user):
        assert login(user).get(detail).status_code == 404
    assert Client().get(detail).status_code == 302  # to the login page
