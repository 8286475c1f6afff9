"""The API's scoping (another operator's objects are 404), mass assignment, transitions, and
the public pages (no confidential terms, escaped)."""

import json

import pytest

from operations import services
from operations.models import AccessApplication, Licence, LicenceMode, Scheme
from tests.operations.conftest import NOW, make_party

API = "/api/v1/operations"


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def other_agency_scheme(ops):
    """A scheme of another agency, under which only the other operator was selected."""
    agency, agency_user = make_party("agency", "另一实施机构")
    scheme = services.scheme_create(
        actor=agency_user,
        agency=agency,
        title="另一方案",
        modes=["whole"],
        registration_codes=[ops.stops.code],
        scenarios=["场景"],
        now=NOW,
    )
    return scheme


def test_one_operator_never_sees_anothers_schemes_applications_or_licences(
    ops, client, other_agency_scheme
):
    licence = ops.licence(LicenceMode.AGGREGATES_ONLY, k=5)
    application = licence.application
    client.force_login(ops.other_operator_user)
    # The other operator was selected under ops' scheme, so it sees that scheme, but not the
    # other agency's draft, nor the first operator's application, licence or agreement.
    assert client.get(f"{API}/schemes/{other_agency_scheme.pk}/").status_code == 404
    assert client.get(f"{API}/applications/{application.pk}/").status_code == 404
    assert client.get(f"{API}/licences/{licence.pk}/").status_code == 404
    assert client.get(f"{API}/licences/{licence.pk}/access-log/").status_code == 404
    assert client.get(f"{API}/agreements/{licence.agreement_id}/").status_code == 404
    assert (
        post(client, f"{API}/licences/{licence.pk}/query/", {"group_by": ["区"]}).status_code == 404
    )
    assert client.get(f"/operations/operator/licences/{licence.pk}/").status_code == 404
    assert post(client, f"{API}/applications/{application.pk}/withdraw/", {}).status_code == 404
    assert client.get(f"{API}/licences/").json() == []
    assert client.get(f"{API}/applications/").json() == []


def test_lists_cannot_be_widened_by_filters(ops, client):
    licence = ops.licence(LicenceMode.AGGREGATES_ONLY, k=5)
    client.force_login(ops.other_operator_user)
    response = client.get(f"{API}/licences/", {"operator": licence.operator_id, "id": licence.pk})
    assert response.json() == []


def test_anonymous_users_get_401_and_no_data(ops, client):
    licence = ops.licence(LicenceMode.AGGREGATES_ONLY, k=5)
    assert post(
        client, f"{API}/licences/{licence.pk}/query/", {"group_by": ["区"]}
    ).status_code in (401, 403)
    assert client.get(f"{API}/licences/").status_code in (401, 403)


@pytest.mark.parametrize("field", ["status", "agency", "scope", "approved_at"])
def test_scheme_status_and_scope_fields_are_not_writable(ops, client, field):
    client.force_login(ops.agency_user)
    body = {
        "title": "方案",
        "modes": ["whole"],
        "registration_codes": [ops.people.code],
        "scenarios": ["场景"],
        field: "result_published",
    }
    response = post(client, f"{API}/schemes/", body)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Scheme.objects.exists()


@pytest.mark.parametrize(
    "field", ["status", "operator", "allowed_columns", "mode", "valid_until", "daily_quota"]
)
def test_application_status_and_entitlement_fields_are_not_writable(ops, client, field):
    agreement = ops.agreement()
    client.force_login(ops.operator_user)
    body = {
        "agreement_id": agreement.pk,
        "scenario_id": agreement.scenarios.first().pk,
        "purpose_class": "public_welfare",
        "purpose": "p",
        "security_measures": "s",
        "items": [
            {"registration_code": ops.people.code, "mode": "aggregates_only", "columns": ["区"]}
        ],
        field: "approved",
    }
    response = post(client, f"{API}/applications/", body)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not AccessApplication.objects.exists()


def test_agreement_status_is_not_writable_on_create(ops, client):
    scheme = ops.scheme()
    client.force_login(ops.agency_user)
    body = {
        "scheme_id": scheme.pk,
        "operator_id": ops.operator.pk,
        "title": "t",
        "registration_codes": [ops.people.code],
        "scenario_ids": [scheme.scenarios.first().pk],
        "start_date": "2026-06-01",
        "end_date": "2027-06-01",
        "signed_on": "2026-06-01",
        "security_duties": "a",
        "charging_terms": "b",
        "reporting_duties": "c",
        "exit_plan": "d",
        "status": "closed",
    }
    assert post(client, f"{API}/agreements/", body).status_code == 400


def test_an_operator_cannot_approve_its_own_application_or_change_a_licence(ops, client):
    licence = ops.licence(LicenceMode.AGGREGATES_ONLY, k=5)
    client.force_login(ops.operator_user)
    response = post(client, f"{API}/licences/{licence.pk}/transitions/", {"action": "reinstate"})
    assert response.status_code == 404
    licence.refresh_from_db()
    assert licence.status == "active"


def test_illegal_transitions_are_409_with_the_current_state_and_allowed_actions(ops, client):
    agreement = ops.agreement()
    client.force_login(ops.agency_user)
    response = post(client, f"{API}/agreements/{agreement.pk}/transitions/", {"action": "close"})
    assert response.status_code == 409
    problem = response.json()
    assert problem["current_state"] == "active"
    assert set(problem["allowed_actions"]) == {"suspend", "terminate", "expire"}


def test_closing_needs_every_exit_step(ops, client):
    agreement = ops.agreement()
    client.force_login(ops.agency_user)
    url = f"{API}/agreements/{agreement.pk}"
    assert post(client, f"{url}/transitions/", {"action": "expire"}).status_code == 200
    assert post(client, f"{url}/transitions/", {"action": "begin_exit"}).status_code == 200
    assert post(client, f"{url}/transitions/", {"action": "close"}).status_code == 409
    for step in ("data_disposed", "products_handed_over", "registrations_cancelled"):
        assert post(client, f"{url}/exit-steps/", {"step": step}).status_code == 200
    assert post(client, f"{url}/exit-steps/", {"step": "data_disposed"}).status_code == 409
    response = post(client, f"{url}/transitions/", {"action": "close"})
    assert response.json()["status"] == "closed"


def test_holder_and_agency_review_through_the_api_issue_licences(ops, client):
    agreement = ops.agreement()
    client.force_login(ops.operator_user)
    body = {
        "agreement_id": agreement.pk,
        "scenario_id": agreement.scenarios.first().pk,
        "purpose_class": "industry_development",
        "purpose": "风控",
        "security_measures": "专区",
        "items": [
            {
                "registration_code": ops.people.code,
                "mode": "aggregates_only",
                "columns": ["区", "金额"],
                "min_group_size": 5,
            },
            {
                "registration_code": ops.stops.code,
                "mode": "in_domain_rows",
                "columns": ["站点", "区"],
            },
        ],
    }
    created = post(client, f"{API}/applications/", body)
    assert created.status_code == 201, created.content
    app_id = created.json()["id"]
    # The agency cannot decide before the holder.
    client.force_login(ops.agency_user)
    assert (
        post(
            client, f"{API}/applications/{app_id}/agency-review/", {"decision": "approved"}
        ).status_code
        == 409
    )
    client.force_login(ops.holder)
    assert (
        post(
            client, f"{API}/applications/{app_id}/holder-review/", {"decision": "approved"}
        ).status_code
        == 200
    )
    client.force_login(ops.agency_user)
    narrowed = post(
        client,
        f"{API}/applications/{app_id}/agency-review/",
        {
            "decision": "approved",
            "daily_quota": 100,
            "narrowing": [
                {"item_id": AccessApplication.objects.get().items.first().pk, "columns": ["区"]}
            ],
        },
    )
    assert narrowed.status_code == 200, narrowed.content
    assert narrowed.json()["status"] == "approved"
    licences = Licence.objects.order_by("pk")
    assert [lic.mode for lic in licences] == ["aggregates_only", "in_domain_rows"]
    assert licences[0].allowed_columns == ["区"] and licences[0].min_group_size == 5


def test_the_agency_cannot_widen_the_requested_columns(ops, client):
    agreement = ops.agreement()
    application = ops.apply(agreement, "aggregates_only", ["区"])
    services.application_holder_review(
        actor=ops.holder, application=application, decision="approved", now=NOW
    )
    client.force_login(ops.agency_user)
    response = post(
        client,
        f"{API}/applications/{application.pk}/agency-review/",
        {
            "decision": "approved",
            "narrowing": [{"item_id": application.items.get().pk, "columns": ["区", "姓名"]}],
        },
    )
    assert response.status_code == 400
    assert not Licence.objects.exists()


def test_a_licence_needs_the_consent_of_the_department_whose_data_it_is(ops):
    from operations.models import DepartmentConsent

    agreement = ops.agreement()
    DepartmentConsent.objects.filter(agreement=agreement).delete()
    application = ops.apply(agreement, "aggregates_only", ["区"])
    services.application_holder_review(
        actor=ops.holder, application=application, decision="approved", now=NOW
    )
    from registry.errors import Conflict

    with pytest.raises(Conflict):
        services.application_agency_review(
            actor=ops.agency_user, application=application, decision="approved", now=NOW
        )
    assert not Licence.objects.exists()


def test_a_holder_rejection_with_a_reason_ends_the_application(ops, client):
    agreement = ops.agreement()
    application = ops.apply(agreement, "verification_only", ["身份证号"])
    client.force_login(ops.holder)
    url = f"{API}/applications/{application.pk}/holder-review/"
    assert post(client, url, {"decision": "rejected"}).status_code == 400
    assert (
        post(client, url, {"decision": "rejected", "comment": "涉及个人信息"}).json()["status"]
        == "rejected"
    )


def test_a_holder_of_other_data_sees_no_application(ops, client, world):
    agreement = ops.agreement()
    application = ops.apply(agreement, "verification_only", ["身份证号"])
    client.force_login(world.other_holder)
    assert client.get(f"{API}/applications/{application.pk}/").status_code == 404
    assert (
        post(
            client, f"{API}/applications/{application.pk}/holder-review/", {"decision": "approved"}
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    "items",
    [
        [{"registration_code": "X", "mode": "aggregates_only", "columns": ["区"]}],
        [{"registration_code": "P", "mode": "bulk", "columns": ["区"]}],
        [{"registration_code": "P", "mode": "aggregates_only", "columns": ["不存在"]}],
        [
            {
                "registration_code": "P",
                "mode": "aggregates_only",
                "columns": ["区"],
                "min_group_size": 1,
            }
        ],
        [
            {
                "registration_code": "P",
                "mode": "aggregates_only",
                "columns": ["区"],
                "row_predicate": {"field": "区", "op": "drop", "value": 1},
            }
        ],
        [],
    ],
)
def test_bad_application_items_are_400_and_create_nothing(ops, client, items):
    agreement = ops.agreement()
    for item in items:
        if item["registration_code"] == "P":
            item["registration_code"] = ops.people.code
    client.force_login(ops.operator_user)
    response = post(
        client,
        f"{API}/applications/",
        {
            "agreement_id": agreement.pk,
            "scenario_id": agreement.scenarios.first().pk,
            "purpose_class": "public_welfare",
            "purpose": "p",
            "security_measures": "s",
            "items": items,
        },
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert not AccessApplication.objects.exists()


def test_public_pages_show_results_and_agreements_without_confidential_terms(ops, client):
    agreement = ops.agreement()
    for path in ("/operations/", f"{API}/public/agreements/", f"{API}/public/authorisations/"):
        text = client.get(path).content.decode()
        assert "保密：收费条款" not in text
        assert "退出方案" not in text or path == "/operations/"
    page = client.get("/operations/").content.decode()
    assert agreement.number in page and "广州数据运营有限公司" in page
    public = client.get(f"{API}/public/agreements/").json()
    assert public[0]["number"] == agreement.number
    assert "charging_terms" not in public[0] and "exit_plan" not in public[0]


def test_public_page_escapes_names(ops, client):
    scheme = ops.scheme()
    Scheme.objects.filter(pk=scheme.pk).update(title="<script>alert(1)</script>")
    text = client.get("/operations/").content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;" in text


def test_a_licence_query_accepts_the_operator_staffs_api_key_and_refuses_anothers(ops, client):
    from tests.developer.conftest import make_key

    licence = ops.licence(LicenceMode.AGGREGATES_ONLY, k=5)
    _, secret = make_key(ops.operator_user)
    url = f"{API}/licences/{licence.pk}/query/"
    body = json.dumps({"group_by": ["区"]})
    ok = client.post(url, data=body, content_type="application/json", HTTP_X_API_KEY=secret)
    assert ok.status_code == 200
    _, other = make_key(ops.other_operator_user)
    refused = client.post(url, data=body, content_type="application/json", HTTP_X_API_KEY=other)
    assert refused.status_code == 404
    bad = client.post(url, data=body, content_type="application/json", HTTP_X_API_KEY="od_bad")
    assert bad.status_code == 401


def test_every_operations_endpoint_is_in_the_schema_with_problem_json_errors(client, db):
    paths = json.loads(client.get("/api/schema/", {"format": "json"}).content)["paths"]
    ours = {p: ops for p, ops in paths.items() if p.startswith("/api/v1/operations/")}
    assert len(ours) == 26
    for path, operations in ours.items():
        if "/public/" in path:
            continue
        for method, operation in operations.items():
            errors = [r for code, r in operation["responses"].items() if code >= "400"]
            assert errors and all("application/problem+json" in r["content"] for r in errors), (
                method,
                path,
            )


def test_an_operator_adds_a_qualification_document_and_a_commitment(ops, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import PDF_BYTES

    client.force_login(ops.operator_user)
    url = f"{API}/parties/{ops.operator.pk}"
    upload = SimpleUploadedFile("等保证明.pdf", PDF_BYTES, content_type="application/pdf")
    created = client.post(
        f"{url}/documents/", {"kind": "security_certification", "title": "等保三级", "file": upload}
    )
    assert created.status_code == 201, created.content
    fake = SimpleUploadedFile("x.pdf", b"MZ\x90\x00not a pdf", content_type="application/pdf")
    refused = client.post(f"{url}/documents/", {"kind": "other", "title": "x", "file": fake})
    assert refused.status_code == 400
    commitment = post(
        client,
        f"{url}/commitments/",
        {"text": "原始数据不出域", "signed_by": "王五", "signed_on": "2026-06-01"},
    )
    assert commitment.status_code == 201
    client.force_login(ops.other_operator_user)
    assert (
        post(
            client,
            f"{url}/commitments/",
            {"text": "x", "signed_by": "y", "signed_on": "2026-06-01"},
        ).status_code
        == 403
    )


def test_agency_staff_record_an_operators_identity_verification(ops, client):
    client.force_login(ops.agency_user)
    response = post(
        client,
        f"{API}/parties/{ops.operator.pk}/verifications/",
        {"method": "on_site", "result": "failed", "note": "材料不符"},
    )
    assert response.status_code == 201
    ops.operator.refresh_from_db()
    assert ops.operator.identity_verified_at is None
    client.force_login(ops.operator_user)
    assert (
        post(
            client,
            f"{API}/parties/{ops.other_operator.pk}/verifications/",
            {"method": "on_site", "result": "passed"},
        ).status_code
        == 403
    )
