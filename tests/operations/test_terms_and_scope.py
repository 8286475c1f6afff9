"""The five-year term with its boundary day, and what a scheme's scope refuses."""

import datetime as dt

import pytest

from operations import services
from operations.models import add_years, term_within_limit
from registry.errors import ValidationFailed
from registry.models import ObjectType
from tests.operations.conftest import NOW


@pytest.mark.parametrize(
    ("start", "end", "ok"),
    [
        (dt.date(2026, 6, 1), dt.date(2031, 6, 1), True),  # exactly five years: the boundary day
        (dt.date(2026, 6, 1), dt.date(2031, 6, 2), False),  # one day more
        (dt.date(2026, 6, 1), dt.date(2026, 6, 1), True),
        (dt.date(2028, 2, 29), dt.date(2033, 2, 28), True),  # leap day → 28 February
        (dt.date(2028, 2, 29), dt.date(2033, 3, 1), False),
        (dt.date(2026, 6, 2), dt.date(2026, 6, 1), False),
    ],
)
def test_term_is_at_most_five_years_including_the_boundary_day(start, end, ok):
    assert term_within_limit(start, end) is ok


def test_add_years_clamps_the_leap_day():
    assert add_years(dt.date(2024, 2, 29), 5) == dt.date(2029, 2, 28)


def test_an_agreement_ending_on_the_fifth_anniversary_is_signed(ops):
    agreement = ops.agreement(start=dt.date(2026, 6, 1), end=dt.date(2031, 6, 1))
    assert agreement.status == "active"


def test_an_agreement_one_day_longer_than_five_years_is_refused(ops):
    with pytest.raises(ValidationFailed) as caught:
        ops.agreement(start=dt.date(2026, 6, 1), end=dt.date(2031, 6, 2))
    assert "end_date" in caught.value.errors


def test_the_api_refuses_a_term_over_five_years_with_the_field(ops, client):
    scheme = ops.scheme()
    client.force_login(ops.agency_user)
    response = client.post(
        "/api/v1/operations/agreements/",
        {
            "scheme_id": scheme.pk,
            "operator_id": ops.operator.pk,
            "title": "协议",
            "registration_codes": [ops.people.code],
            "scenario_ids": [scheme.scenarios.first().pk],
            "start_date": "2026-06-01",
            "end_date": "2031-06-02",
            "signed_on": "2026-06-01",
            "security_duties": "a",
            "charging_terms": "b",
            "reporting_duties": "c",
            "exit_plan": "d",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "end_date" in response.json()["errors"]


def _create(ops, codes):
    return services.scheme_create(
        actor=ops.agency_user,
        agency=ops.agency,
        title="方案",
        modes=["whole"],
        registration_codes=codes,
        scenarios=["场景"],
        now=NOW,
    )


def test_scheme_scope_refuses_an_unregistered_code(ops):
    with pytest.raises(ValidationFailed) as caught:
        _create(ops, [ops.people.code, "11440100MB0000000X-1-0001"])
    assert "not a registered resource" in caught.value.errors["registration_codes"][0]


def test_scheme_scope_refuses_a_resource_still_being_registered(ops, world):
    pending = world.submitted(name="登记中的资源")
    with pytest.raises(ValidationFailed):
        _create(ops, [pending.resource.code or "PENDING"])


def test_scheme_scope_refuses_data_that_is_not_open(ops, world):
    reg = world.coded(name="不予开放的资源", open_category="not_open", in_operation_scope=False)
    reg.resource.refresh_from_db()
    with pytest.raises(ValidationFailed) as caught:
        _create(ops, [reg.resource.code])
    assert "not open" in caught.value.errors["registration_codes"][0]


def test_scheme_scope_refuses_a_data_product(ops, world):
    reg = world.coded(name="数据产品", object_type=ObjectType.DATA_PRODUCT)
    reg.resource.refresh_from_db()
    with pytest.raises(ValidationFailed):
        _create(ops, [reg.resource.code])


def test_no_scenario_no_authorisation(ops):
    with pytest.raises(ValidationFailed) as caught:
        services.scheme_create(
            actor=ops.agency_user,
            agency=ops.agency,
            title="方案",
            modes=["whole"],
            registration_codes=[ops.people.code],
            scenarios=[],
            now=NOW,
        )
    assert "scenarios" in caught.value.errors


def test_scheme_modes_combine_and_domain_mode_needs_domains(ops):
    with pytest.raises(ValidationFailed) as caught:
        services.scheme_create(
            actor=ops.agency_user,
            agency=ops.agency,
            title="方案",
            modes=["domain", "scenario"],
            registration_codes=[ops.people.code],
            scenarios=["场景"],
            now=NOW,
        )
    assert "domains" in caught.value.errors
    scheme = services.scheme_create(
        actor=ops.agency_user,
        agency=ops.agency,
        title="方案",
        modes=["domain", "scenario"],
        domains=["民生"],
        registration_codes=[ops.people.code.lower()],
        scenarios=["场景"],
        now=NOW,
    )
    assert scheme.modes == ["domain", "scenario"]
    assert list(scheme.scope.values_list("registration_code", flat=True)) == [ops.people.code]


def test_an_unverified_operator_cannot_be_selected(ops):
    from tests.operations.conftest import make_party

    unverified, _ = make_party("operator", "未核验公司", verified=False)
    with pytest.raises(ValidationFailed):
        ops.scheme(operators=[unverified])


def test_agreement_resources_must_be_within_the_scheme(ops, world):
    scheme = services.scheme_create(
        actor=ops.agency_user,
        agency=ops.agency,
        title="方案",
        modes=["whole"],
        registration_codes=[ops.stops.code],
        scenarios=["场景"],
        now=NOW,
    )
    services.scheme_approve(
        actor=ops.agency_user,
        scheme=scheme,
        approver="市政府",
        document_no="1",
        approved_on=dt.date(2026, 5, 1),
        now=NOW,
    )
    services.scheme_publish_selection(
        actor=ops.agency_user,
        scheme=scheme,
        procedure="comparison",
        decided_on=dt.date(2026, 5, 2),
        result_summary="r",
        operator_ids=[ops.operator.pk],
        now=NOW,
    )
    with pytest.raises(ValidationFailed) as caught:
        services.agreement_create(
            actor=ops.agency_user,
            scheme=scheme,
            operator=ops.operator,
            title="t",
            registration_codes=[ops.people.code],
            scenario_ids=[scheme.scenarios.first().pk],
            start_date=dt.date(2026, 6, 1),
            end_date=dt.date(2027, 6, 1),
            signed_on=dt.date(2026, 6, 1),
            security_duties="a",
            charging_terms="b",
            reporting_duties="c",
            exit_plan="d",
            now=NOW,
        )
    assert "registration_codes" in caught.value.errors
