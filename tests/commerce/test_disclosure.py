"""The annual disclosure (by 31 March, for the previous year), operating and usage reports,
and the regulator's export."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import IntegrityError, InternalError, transaction
from rest_framework.test import APIClient

from operations.commerce.models import AnnualDisclosure, DisclosureStatus
from operations.commerce.services import disclosure, statements
from registry.errors import Conflict, IllegalTransition, ValidationFailed
from tests.conftest import at

API = "/api/v1/commerce/"


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def year_2026(market):
    product = market.listed_product()
    order, _ = market.order(product)
    market.usage(order, at(2026, 6, 3), calls=10)
    statement = statements.statement_generate(
        actor=market.operator_user, order=order, month=dt.date(2026, 6, 1), now=at(2026, 7, 1)
    )
    statements.statement_finalise(
        actor=market.operator_user, statement=statement, now=at(2026, 7, 1)
    )
    market.ceiling(product, amount="0.40", now=at(2026, 9, 1))
    return market, product


def test_the_disclosure_is_due_on_31_march_of_the_following_year(year_2026):
    market, _ = year_2026
    report = disclosure.disclosure_generate(actor=market.agency_user, year=2026, now=at(2027, 2, 1))
    assert report.deadline == dt.date(2027, 3, 31)
    assert report.content["deadline"] == "2027-03-31"


def test_the_disclosure_holds_authorisations_ceilings_resources_products_and_actual_prices(
    year_2026,
):
    market, product = year_2026
    content = disclosure.disclosure_generate(
        actor=market.agency_user, year=2026, now=at(2027, 2, 1)
    ).content

    (agency,) = content["agencies"]
    assert agency["agency"] == market.agency.organisation.name
    (auth,) = agency["authorisations"]
    assert auth["operator"] == market.operator.organisation.name
    assert {r["code"] for r in auth["resources"]} == {market.ops.people.code, market.ops.stops.code}
    assert [(c["unit"], c["amount"]) for c in agency["ceilings"]] == [
        ("call", "0.500000"),
        ("call", "0.400000"),
    ]
    assert "收费条款" not in json.dumps(content, ensure_ascii=False)  # confidential terms stay out

    (operator,) = content["operators"]
    assert [r["licence"] for r in operator["resources"]] == [market.licence.number]
    (row,) = operator["products"]
    assert row["name"] == product.name and row["registry_code"] == product.registry_record.code
    assert [(p["unit_price"], p["trial"]) for p in row["prices"]] == [("0.200000", True)]


def test_a_product_listed_after_the_year_is_not_in_its_disclosure(market):
    market.listed_product()
    content = disclosure.disclosure_generate(
        actor=market.agency_user, year=2025, now=at(2026, 7, 1)
    ).content
    assert content["operators"] == [] or all(not o["products"] for o in content["operators"])


def test_only_a_past_year_is_disclosed(market):
    with pytest.raises(ValidationFailed):
        disclosure.disclosure_generate(actor=market.agency_user, year=2026, now=at(2026, 12, 31))


def test_generated_then_reviewed_by_another_then_published_unchanged(year_2026):
    market, _ = year_2026
    report = disclosure.disclosure_generate(actor=market.agency_user, year=2026, now=at(2027, 2, 1))
    with pytest.raises(Conflict):
        disclosure.disclosure_review(
            actor=market.agency_user, disclosure=report, note="", now=at(2027, 2, 2)
        )
    with pytest.raises(IllegalTransition):
        disclosure.disclosure_publish(
            actor=market.agency_user, disclosure=report, now=at(2027, 2, 2)
        )
    report = disclosure.disclosure_review(
        actor=market.admin, disclosure=report, note="核对无误", now=at(2027, 2, 3)
    )
    report = disclosure.disclosure_publish(
        actor=market.agency_user, disclosure=report, now=at(2027, 3, 20)
    )
    assert report.status == DisclosureStatus.PUBLISHED
    with pytest.raises(IllegalTransition):
        disclosure.disclosure_generate(actor=market.agency_user, year=2026, now=at(2027, 3, 21))
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        AnnualDisclosure.objects.filter(pk=report.pk).update(content={})


def test_the_public_reads_only_published_disclosures_and_downloads_them(year_2026):
    market, _ = year_2026
    report = disclosure.disclosure_generate(actor=market.agency_user, year=2026, now=at(2027, 2, 1))
    anonymous = APIClient()
    assert anonymous.get(f"{API}disclosures/2026/").status_code == 404
    disclosure.disclosure_review(actor=market.admin, disclosure=report, note="", now=at(2027, 2, 3))
    disclosure.disclosure_publish(
        actor=market.agency_user, disclosure=AnnualDisclosure.objects.get(), now=at(2027, 3, 1)
    )
    assert anonymous.get(f"{API}disclosures/").json()[0]["year"] == 2026
    pdf = anonymous.get(f"{API}disclosures/2026/document.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert market.ops.people.code in anonymous.get(
        f"{API}disclosures/2026/document.csv"
    ).content.decode("utf-8-sig")
    assert anonymous.get(f"{API}disclosures/2026/document.json").json()["year"] == 2026


def test_an_operator_files_its_annual_operating_report_from_the_data(year_2026):
    market, _ = year_2026
    filed = disclosure.operating_report_file(
        actor=market.operator_user,
        operator=market.operator,
        year=2026,
        narrative="年度运营平稳",
        now=at(2027, 1, 10),
    )
    report = filed.content
    with pytest.raises(Conflict):
        disclosure.operating_report_file(
            actor=market.operator_user,
            operator=market.operator,
            year=2026,
            narrative="",
            now=at(2027, 1, 11),
        )
    assert report["orders_by_purpose"] == {"industry_development": 1}
    assert report["usage"]["calls"] == 10 and report["revenue"]["net"] == "2.00"
    assert (
        client_for(market.other_operator_user)
        .post(
            f"{API}reports/operating/",
            {"operator": market.operator.pk, "year": 2025},
            format="json",
        )
        .status_code
        == 404
    )


def test_a_holder_reads_how_its_licensed_data_was_used(year_2026):
    market, product = year_2026
    response = client_for(market.world.holder).get(
        f"{API}reports/usage/?from=2026-06-01&to=2026-06-30"
    )
    (row,) = response.json()["rows"]
    assert (
        row["product"] == product.name
        and row["calls"] == 10
        and row["purpose_class"] == "industry_development"
    )
    assert (
        client_for(market.world.other_holder)
        .get(f"{API}reports/usage/?from=2026-06-01&to=2026-06-30")
        .json()["rows"]
        == []
    )
    assert (
        client_for(market.industry_user)
        .get(f"{API}reports/usage/?from=2026-06-01&to=2026-06-30")
        .status_code
        == 404
    )


def test_the_regulator_exports_review_and_transaction_records_of_a_period(year_2026):
    market, _ = year_2026
    client = client_for(market.admin)
    data = client.get(f"{API}exports/records?from=2026-06-01&to=2026-07-31").json()
    kinds = {(r["kind"], r["record"]) for r in data["records"]}
    assert {
        ("review", "ceiling_set"),
        ("review", "price_publish"),
        ("transaction", "order"),
        ("transaction", "statement"),
    } <= kinds
    csv = client.get(f"{API}exports/records?from=2026-06-01&to=2026-07-31&output=csv")
    assert csv["Content-Disposition"].startswith(
        "attachment"
    ) and "statement" in csv.content.decode("utf-8-sig")
    assert client.get(f"{API}exports/records?from=2026-08-01&to=2026-07-01").status_code == 400
    assert (
        client_for(market.operator_user)
        .get(f"{API}exports/records?from=2026-06-01&to=2026-07-31")
        .status_code
        == 404
    )
