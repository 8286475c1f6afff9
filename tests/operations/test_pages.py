"""The workspaces: who may open them, and the agency's actions from the pages."""

import pytest
from django.urls import reverse

from operations.models import LicenceMode
from tests.conftest import make_user


@pytest.mark.parametrize(
    "path", ["/operations/agency/", "/operations/operator/", "/operations/holder/"]
)
def test_workspaces_are_404_for_users_without_the_role(ops, client, path):
    client.force_login(make_user())
    assert client.get(path).status_code == 404


def test_workspaces_send_anonymous_users_to_the_login_page(client, db):
    response = client.get("/operations/agency/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_each_workspace_opens_for_its_people(ops, client):
    licence = ops.licence(LicenceMode.AGGREGATES_ONLY, k=5)
    for user, path in [
        (ops.agency_user, "/operations/agency/"),
        (ops.agency_user, f"/operations/agency/agreements/{licence.agreement_id}/"),
        (ops.agency_user, f"/operations/agency/schemes/{licence.agreement.scheme_id}/"),
        (ops.agency_user, f"/operations/agency/licences/{licence.pk}/"),
        (ops.operator_user, "/operations/operator/"),
        (ops.operator_user, f"/operations/operator/agreements/{licence.agreement_id}/apply/"),
        (ops.operator_user, f"/operations/operator/licences/{licence.pk}/"),
        (ops.holder, "/operations/holder/"),
    ]:
        client.force_login(user)
        assert client.get(path).status_code == 200, path


def test_another_agency_cannot_open_or_act_on_an_agreement_or_licence(ops, client):
    from tests.operations.conftest import make_party

    licence = ops.licence(LicenceMode.AGGREGATES_ONLY, k=5)
    _, stranger = make_party("agency", "另一实施机构")
    client.force_login(stranger)
    assert client.get(f"/operations/agency/agreements/{licence.agreement_id}/").status_code == 404
    response = client.post(
        f"/operations/agency/licences/{licence.pk}/", {"action": "revoke", "reason": "x"}
    )
    assert response.status_code == 404
    licence.refresh_from_db()
    assert licence.status == "active"


def test_the_agency_suspends_a_licence_from_its_page_and_a_reason_is_required(ops, client):
    licence = ops.licence(LicenceMode.AGGREGATES_ONLY, k=5)
    client.force_login(ops.agency_user)
    url = f"/operations/agency/licences/{licence.pk}/"
    page = client.post(url, {"action": "suspend", "reason": ""})
    assert page.status_code == 200
    licence.refresh_from_db()
    assert licence.status == "active"
    assert client.post(url, {"action": "suspend", "reason": "安全检查"}).status_code == 302
    licence.refresh_from_db()
    assert licence.status == "suspended"


def test_the_agency_suspends_an_agreement_from_its_page(ops, client):
    agreement = ops.agreement()
    client.force_login(ops.agency_user)
    url = f"/operations/agency/agreements/{agreement.pk}/"
    response = client.post(url, {"transition": "1", "action": "suspend", "reason": "整改"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == "suspended"


def test_a_term_over_five_years_shows_a_field_error_on_the_agreement_form(ops, client):
    scheme = ops.scheme()
    client.force_login(ops.agency_user)
    page = client.post(
        f"/operations/agency/schemes/{scheme.pk}/agreements/new/",
        {
            "operator": ops.operator.pk,
            "title": "协议",
            "registration_codes": [ops.people.code],
            "scenarios": [scheme.scenarios.first().pk],
            "start_date": "2026-06-01",
            "end_date": "2031-06-02",
            "signed_on": "2026-06-01",
            "security_duties": "a",
            "charging_terms": "b",
            "reporting_duties": "c",
            "exit_plan": "d",
        },
    )
    assert page.status_code == 200
    assert "2031-06-01" in page.content.decode()


def test_a_scheme_with_a_not_open_code_shows_the_refusal_on_the_form(ops, client, world):
    reg = world.coded(name="不予开放资源", open_category="not_open")
    reg.resource.refresh_from_db()
    client.force_login(ops.agency_user)
    page = client.post(
        "/operations/agency/schemes/new/",
        {
            "title": "方案",
            "modes": ["whole"],
            "registration_codes": reg.resource.code,
            "scenarios": "场景",
        },
    )
    assert page.status_code == 200
    assert reg.resource.code in page.content.decode()


def test_the_agency_narrows_columns_and_raises_k_from_the_review_page(ops, client):
    from operations.models import Licence

    agreement = ops.agreement()
    application = ops.apply(agreement, "aggregates_only", ["区", "金额"], k=5)
    from operations import services
    from tests.operations.conftest import NOW

    services.application_holder_review(
        actor=ops.holder, application=application, decision="approved", now=NOW
    )
    item = application.items.get()
    client.force_login(ops.agency_user)
    url = f"/operations/agency/applications/{application.pk}/"
    widened = client.post(
        url,
        {
            "decision": "approved",
            f"item-{item.pk}-shown": "1",
            f"item-{item.pk}-columns": ["区", "金额"],
            f"item-{item.pk}-k": "3",
        },
    )
    assert widened.status_code == 200 and not Licence.objects.exists()
    response = client.post(
        url,
        {
            "decision": "approved",
            f"item-{item.pk}-shown": "1",
            f"item-{item.pk}-columns": ["区"],
            f"item-{item.pk}-k": "8",
        },
    )
    assert response.status_code == 302
    licence = Licence.objects.get()
    assert (licence.allowed_columns, licence.min_group_size) == (["区"], 8)


def test_the_operator_asks_for_a_row_condition_on_the_page_and_reviewers_see_it(ops, client):
    from operations.models import AccessApplication

    agreement = ops.agreement()
    client.force_login(ops.operator_user)
    url = reverse("operations:operator-apply", args=[agreement.pk])
    item = f"item-{ops.people.pk}-"
    base = {
        "scenario": agreement.scenarios.first().pk,
        "purpose_class": "public_welfare",
        "purpose": "困难群众帮扶统计",
        "security_measures": "专区内处理",
        item + "include": "1",
        item + "mode": "aggregates_only",
        item + "columns": ["区", "金额"],
        item + "k": "5",
    }

    not_json = client.post(url, {**base, item + "rows": "区=天河区"})
    unknown = client.post(url, {**base, item + "rows": '{"街道": "石牌街道"}'})

    for response in (not_json, unknown):
        assert response.status_code == 200
        assert "行条件有误" in response.content.decode()
    assert "区=天河区" in not_json.content.decode()  # what was typed is kept
    assert "街道" in unknown.content.decode()
    assert not AccessApplication.objects.exists()

    done = client.post(url, {**base, item + "rows": '{"区": "天河区"}'})
    assert done.status_code == 302
    application = AccessApplication.objects.get()
    assert application.items.get().row_predicate == {"区": "天河区"}
    client.force_login(ops.holder)
    review = client.get(reverse("operations:holder-review", args=[application.pk]))
    assert "{&quot;区&quot;: &quot;天河区&quot;}" in review.content.decode()


def test_a_licence_page_shows_its_row_condition(ops, client):
    limited = ops.licence(
        LicenceMode.AGGREGATES_ONLY, columns=["区", "金额"], predicate={"区": "天河区"}
    )
    whole = ops.licence(LicenceMode.AGGREGATES_ONLY, columns=["区", "金额"])
    client.force_login(ops.operator_user)
    page = client.get(reverse("operations:operator-licence", args=[limited.pk])).content.decode()
    assert "行条件" in page and "{&quot;区&quot;: &quot;天河区&quot;}" in page
    other = client.get(reverse("operations:operator-licence", args=[whole.pk])).content.decode()
    assert "行条件" in other and "&quot;区&quot;" not in other
