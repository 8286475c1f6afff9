"""The conditional-access API: applying, scoped reads (404 across users and holders), mass
assignment refused, transitions with 409s, two reviewers at once, public outcomes without
personal data."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import timezone

from portal.access import services
from portal.access.models import AccessApplication, ApplicationStatus, Grant
from registry.errors import IllegalTransition
from tests.access.conftest import FORM, approve, submit
from tests.conftest import World, make_user
from tests.portal.factories import add_file, make_dataset

BASE = "/api/v1/portal/access/"


def post(client, path, body=None):
    return client.post(BASE + path, body or {}, content_type="application/json")


def test_a_logged_in_user_applies_and_sees_the_deadline(client, world, cond):
    client.force_login(world.citizen)
    response = post(client, "applications/", {**FORM, "datasets": [cond.slug]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted" and body["allowed_actions"] == ["withdraw"]
    assert body["datasets"] == [{"slug": cond.slug, "title": cond.title}]
    assert body["review_deadline"] and body["grant"] is None


def test_anonymous_callers_cannot_apply(client, cond):
    response = post(client, "applications/", {**FORM, "datasets": [cond.slug]})
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "field,value",
    [
        ("status", "approved"),
        ("decision_reason", "ok"),
        ("decided_by", 1),
        ("applicant", 1),
        ("holder", 1),
        ("review_deadline", "2030-01-01T00:00:00Z"),
        ("grant", {"expires_at": "2099-01-01"}),
        ("expires_at", "2099-01-01T00:00:00Z"),
    ],
)
def test_mass_assignment_of_status_decision_or_grant_fields_is_refused(
    client, world, cond, field, value
):
    client.force_login(world.citizen)
    response = post(client, "applications/", {**FORM, "datasets": [cond.slug], field: value})
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not AccessApplication.objects.exists()


def test_unknown_datasets_and_bad_values_are_400_with_fields(client, world, cond):
    client.force_login(world.citizen)
    response = post(
        client, "applications/", {**FORM, "datasets": ["no-such-set"], "period_days": "many"}
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "period_days" in errors
    response = post(client, "applications/", {**FORM, "datasets": ["no-such-set"]})
    assert response.status_code == 400 and "datasets" in response.json()["errors"]


def test_one_user_never_sees_another_users_application_or_grant(client, world, cond):
    app = submit(cond, world.citizen)
    grant = approve(app, world.holder)
    client.force_login(make_user())
    assert client.get(f"{BASE}applications/{app.pk}").status_code == 404
    assert client.get(f"{BASE}grants/{grant.pk}").status_code == 404
    assert client.get(f"{BASE}grants/{grant.pk}/reports").status_code == 404
    assert post(client, f"grants/{grant.pk}/reports", {"content": "x"}).status_code == 404
    assert post(client, f"applications/{app.pk}/withdraw").status_code == 404
    assert client.get(BASE + "applications/").json()["results"] == []
    assert client.get(BASE + "grants/").json()["results"] == []
    assert client.get(BASE + "applications/?role=review").json()["results"] == []


def test_a_holder_sees_only_applications_for_its_own_datasets(client, world, cond, shenzhen):
    from tests.access.conftest import other_conditional

    mine = submit(cond, world.citizen)
    theirs = submit(other_conditional(world, shenzhen), world.citizen)
    client.force_login(world.holder)
    listed = client.get(BASE + "applications/?role=review").json()["results"]
    assert [a["number"] for a in listed] == [mine.number]
    assert client.get(f"{BASE}applications/{theirs.pk}").status_code == 404
    assert post(client, f"applications/{theirs.pk}/approve", {"reason": "x"}).status_code == 404
    client.force_login(shenzhen[1])
    assert client.get(f"{BASE}applications/{mine.pk}").status_code == 404


def test_the_platform_admin_of_the_province_sees_the_queue_but_cannot_decide(client, world, cond):
    app = submit(cond, world.citizen)
    client.force_login(world.gd_admin)
    assert client.get(f"{BASE}applications/{app.pk}").json()["allowed_actions"] == []
    assert post(client, f"applications/{app.pk}/approve", {"reason": "x"}).status_code == 404
    zj_admin = make_user(platform_admin=world.zj)
    client.force_login(zj_admin)
    assert client.get(f"{BASE}applications/{app.pk}").status_code == 404


def test_the_holder_approves_with_a_period_and_report_interval(client, world, cond):
    app = submit(cond, world.citizen, period_days=120)
    client.force_login(world.holder)
    detail = client.get(f"{BASE}applications/{app.pk}").json()
    assert detail["allowed_actions"] == ["extend", "approve", "reject"]
    response = post(
        client,
        f"applications/{app.pk}/approve",
        {"reason": "同意。", "granted_days": 60, "report_interval_days": 30},
    )
    assert response.status_code == 200, response.content
    grant = response.json()["grant"]
    assert grant["state"] == "active" and grant["report_interval_days"] == 30
    client.force_login(world.citizen)
    mine = client.get(BASE + "grants/").json()["results"]
    assert [g["id"] for g in mine] == [grant["id"]]
    report = post(client, f"grants/{grant['id']}/reports", {"content": "已用于课题分析。"})
    assert report.status_code == 201 and report.json()["on_time"] is True


def test_a_decision_field_in_the_approval_body_is_refused(client, world, cond):
    app = submit(cond, world.citizen, period_days=30)
    client.force_login(world.holder)
    response = post(
        client, f"applications/{app.pk}/approve", {"reason": "同意。", "expires_at": "2099-01-01"}
    )
    assert response.status_code == 400 and "expires_at" in response.json()["errors"]
    assert not Grant.objects.exists()


def test_an_illegal_transition_is_409_with_the_state_and_allowed_actions(client, world, cond):
    app = submit(cond, world.citizen)
    client.force_login(world.holder)
    assert (
        post(client, f"applications/{app.pk}/extend", {"reason": "需要会商。"}).status_code == 200
    )
    again = post(client, f"applications/{app.pk}/extend", {"reason": "再延。"})
    assert again.status_code == 409
    assert again["Content-Type"] == "application/problem+json"
    assert again.json()["current_state"] == "submitted"
    assert again.json()["allowed_actions"] == ["approve", "reject", "withdraw"]
    post(client, f"applications/{app.pk}/reject", {"reason": "不符合条件。"})
    late = post(client, f"applications/{app.pk}/approve", {"reason": "x"})
    assert late.status_code == 409
    assert late.json()["current_state"] == "rejected" and late.json()["allowed_actions"] == []


def test_revoking_twice_is_409(client, world, cond):
    grant = approve(submit(cond, world.citizen), world.holder)
    client.force_login(world.holder)
    assert post(client, f"grants/{grant.pk}/revoke", {"reason": "违约。"}).status_code == 200
    second = post(client, f"grants/{grant.pk}/revoke", {"reason": "违约。"})
    assert second.status_code == 409 and second.json()["current_state"] == "revoked"
    client.force_login(world.citizen)
    assert post(client, f"grants/{grant.pk}/revoke", {"reason": "x"}).status_code == 404


def test_public_outcomes_carry_no_personal_data(client, world, cond):
    secret = {
        "purpose": "研究秘密用途XYZ",
        "applicant_organisation": "某某私人工作室",
        "contact_phone": "13800138000",
    }
    applicant = make_user("zhang_wei_private")
    approved = submit(cond, applicant, **secret)
    approve(approved, world.holder)
    pending = submit(make_second_conditional(world), make_user())
    body = client.get(BASE + "outcomes/").content.decode()
    assert approved.number in body and pending.number not in body
    for text in (*secret.values(), "zhang_wei_private", "用途明确"):
        assert text not in body
    page = client.get("/access/outcomes/").content.decode()
    assert approved.number in page
    for text in (*secret.values(), "zhang_wei_private", "用途明确"):
        assert text not in page


def make_second_conditional(world):
    dataset = make_dataset(world, title="第二个有条件数据", open_category="conditional")
    add_file(dataset)
    return dataset


def test_the_outcome_list_query_count_does_not_grow_with_rows(
    client, world, cond, django_assert_max_num_queries
):
    for _ in range(3):
        approve(submit(cond, make_user()), world.holder)
    with django_assert_max_num_queries(6):
        assert client.get(BASE + "outcomes/").status_code == 200


def test_two_reviewers_deciding_at_once_exactly_one_wins(reference_data_restored, transactional_db):
    world = World()
    dataset = make_dataset(world, title="并发审批数据", open_category="conditional")
    app = submit(dataset, world.citizen)
    second = make_user(holder_staff=world.holder_org)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(user, approve_it: bool) -> None:
        try:
            barrier.wait(timeout=30)
            if approve_it:
                services.application_approve(
                    actor=user, application=app, reason="同意", now=timezone.now()
                )
                outcomes.append("approved")
            else:
                services.application_reject(
                    actor=user, application=app, reason="不同意", now=timezone.now()
                )
                outcomes.append("rejected")
        except IllegalTransition:
            outcomes.append("lost")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(world.holder, True)),
        threading.Thread(target=decide, args=(second, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) in (["approved", "lost"], ["lost", "rejected"])
    app.refresh_from_db()
    assert app.status in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED)
    assert Grant.objects.filter(application=app).count() == (1 if app.status == "approved" else 0)
    assert app.events.filter(action__in=["approved", "rejected"]).count() == 1


def test_the_review_queue_query_count_does_not_grow_with_rows(
    client, world, cond, django_assert_max_num_queries
):
    for n in range(4):
        app = submit(cond, make_user())
        if n % 2:
            approve(app, world.holder)
    client.force_login(world.holder)
    with django_assert_max_num_queries(12):
        response = client.get(BASE + "applications/?role=review")
    assert response.status_code == 200 and len(response.json()["results"]) == 4
