"""An agreement's exit: the step "product registrations cancelled" is recorded only once every
registry record of the agreement's products is deregistered (DOMAIN.md: records are
deregistered when the agreement ends). The agency sees which records are left."""

from __future__ import annotations

import datetime as dt
import json

from django.urls import reverse

from operations import services
from operations.models import AgreementStatus
from registry import services as registry
from tests.conftest import at, pdf

API = "/api/v1/operations"
LATER = at(2026, 7, 1)


def _exiting(market):
    agreement = market.agreement
    for action in ("terminate", "begin_exit"):
        agreement = services.agreement_transition(
            actor=market.agency_user, agreement=agreement, action=action, reason="违约", now=LATER
        )
    assert agreement.status == AgreementStatus.EXIT_IN_PROGRESS
    return agreement


def _deregister(market, record) -> None:
    operator, reviewer = market.operator_user, market.world.reviewer
    reg = registry.registration_create_followup(
        actor=operator,
        resource=record,
        registration_type="deregistration",
        data=None,
        reason="授权运营协议终止",
        now=LATER,
    )
    registry.attachment_add(
        actor=operator, registration=reg, kind="commitment", upload=pdf(), now=LATER
    )
    registry.registration_submit(actor=operator, registration=reg, now=LATER)
    registry.registration_accept(actor=reviewer, registration=reg, now=LATER)
    reg = registry.registration_approve_review(actor=reviewer, registration=reg, now=LATER)
    if reg.status == "in_notice":
        registry.registration_complete(
            registration=reg, now=reg.notice_end + dt.timedelta(seconds=1)
        )
    record.refresh_from_db()
    assert record.status == "deregistered"


def _step(client, agreement):
    return client.post(
        f"{API}/agreements/{agreement.pk}/exit-steps/",
        data=json.dumps({"step": "registrations_cancelled"}),
        content_type="application/json",
    )


def test_the_step_waits_for_every_product_record_to_be_deregistered(market, client):
    first = market.listed_product()
    second = market.listed_product(name="企业信用评分")
    agreement = _exiting(market)
    client.force_login(market.agency_user)

    refused = _step(client, agreement)

    assert refused.status_code == 409
    problem = refused.json()
    codes = {first.registry_record.code, second.registry_record.code}
    assert {r["code"] for r in problem["records"]} == codes
    assert {r["status"] for r in problem["records"]} == {"active"}
    assert "2 product registration(s)" in problem["detail"]
    agreement.refresh_from_db()
    assert agreement.registrations_cancelled_at is None

    _deregister(market, first.registry_record)
    still = _step(client, agreement).json()
    assert [r["code"] for r in still["records"]] == [second.registry_record.code]

    _deregister(market, second.registry_record)
    assert _step(client, agreement).status_code == 200
    agreement.refresh_from_db()
    assert agreement.registrations_cancelled_at is not None


def test_an_open_initial_filing_of_a_product_counts_as_not_cancelled(market):
    from operations.commerce.services import products
    from registry.models import ObjectType

    product = market.product(name="在途登记的产品")
    reg = market.world.draft(
        user=market.operator_user,
        holder=market.operator.organisation,
        object_type=ObjectType.DATA_PRODUCT,
        name=product.name,
    )
    products.product_attach_record(
        actor=market.operator_user, product=product, record=reg.resource, now=LATER
    )
    agreement = _exiting(market)
    assert [r.pk for r in services.product_records_to_cancel(agreement)] == [reg.resource_id]
    registry.registration_withdraw(
        actor=market.operator_user, registration=reg, reason="不再登记", now=LATER
    )
    assert services.product_records_to_cancel(agreement) == []


def test_the_agency_page_lists_what_is_left_and_refuses_the_step_in_chinese(market, client):
    product = market.listed_product()
    agreement = _exiting(market)
    client.force_login(market.agency_user)
    url = reverse("operations:agency-agreement", args=[agreement.pk])

    page = client.get(url).content.decode()
    assert "尚未注销的产品登记" in page and product.registry_record.code in page

    response = client.post(url, {"exit_step": "1", "step": "registrations_cancelled"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "本协议尚有 1 个产品登记未注销" in body
    agreement.refresh_from_db()
    assert agreement.registrations_cancelled_at is None
