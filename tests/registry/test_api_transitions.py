"""Every workflow transition through the API, every refused one: illegal source states are a
409 naming the current state and the allowed actions; acting outside one's role is a 403 when
the application is visible and a 404 when it is not."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from registry import services
from registry.models import (
    Objection,
    Registration,
    RegistrationEvent,
    RegistrationStatus,
    Resource,
)
from tests.conftest import at, make_user, metadata, pdf

API = "/api/v1/registry/"
S = RegistrationStatus
NOW = at(2026, 3, 2)


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


def act(client, reg_id: int, action: str, body: dict | None = None):
    return client.post(
        API + f"registrations/{reg_id}/{action}", body or {}, content_type="application/json"
    )


def reach(world, state: str) -> Registration:
    """An application of the Guangzhou holder in `state`, built through the services. Notices
    built this way ended long ago (March 2026)."""
    builders = {
        S.DRAFT: world.draft,
        S.SUBMITTED: world.submitted,
        S.UNDER_REVIEW: world.under_review,
        S.IN_NOTICE: world.in_notice,
        S.APPROVED: world.coded,
        S.WITHDRAWN: lambda: services.registration_withdraw(
            actor=world.holder, registration=world.draft(), now=NOW
        ),
        S.SUPPLEMENT_REQUIRED: lambda: services.registration_require_supplement(
            actor=world.reviewer,
            registration=world.submitted(),
            items=[{"field": "summary", "message": "摘要过于简单"}],
            now=NOW,
        ),
        S.NOT_ACCEPTED: lambda: services.registration_not_accept(
            actor=world.reviewer, registration=world.submitted(), reason="不属于登记范围", now=NOW
        ),
        S.RETURNED: lambda: services.registration_return(
            actor=world.reviewer, registration=world.under_review(), reason="说明不全", now=NOW
        ),
        S.REJECTED: lambda: services.registration_reject(
            actor=world.reviewer, registration=world.under_review(), reason="材料虚假", now=NOW
        ),
    }
    reg = builders[state]()
    reg.refresh_from_db()
    assert reg.status == state
    return reg


# --------------------------------------------------------------------------- legal moves


LEGAL = [
    (S.DRAFT, "holder", "submit", {}, S.SUBMITTED),
    (S.DRAFT, "holder", "withdraw", {"reason": "不再登记"}, S.WITHDRAWN),
    (S.SUPPLEMENT_REQUIRED, "holder", "submit", {}, S.SUBMITTED),
    (S.RETURNED, "holder", "submit", {}, S.UNDER_REVIEW),
    (S.SUBMITTED, "holder", "withdraw", {}, S.WITHDRAWN),
    (S.SUBMITTED, "reviewer", "accept", {}, S.UNDER_REVIEW),
    (
        S.SUBMITTED,
        "reviewer",
        "require-supplement",
        {"items": [{"field": "attachments", "message": "缺少说明文档"}, {"message": "摘要过短"}]},
        S.SUPPLEMENT_REQUIRED,
    ),
    (S.SUBMITTED, "reviewer", "not-accept", {"reason": "不属于登记范围"}, S.NOT_ACCEPTED),
    (S.UNDER_REVIEW, "reviewer", "return", {"reason": "数据项说明不全"}, S.RETURNED),
    (S.UNDER_REVIEW, "reviewer", "reject", {"reason": "材料虚假"}, S.REJECTED),
    (S.UNDER_REVIEW, "reviewer", "approve-review", {}, S.IN_NOTICE),
    (S.UNDER_REVIEW, "holder", "withdraw", {}, S.WITHDRAWN),
    (S.IN_NOTICE, "reviewer", "complete", {}, S.APPROVED),
]


@pytest.mark.parametrize(
    ("state", "persona", "action", "body", "target"),
    LEGAL,
    ids=[f"{c[0]}-{c[2]}" for c in LEGAL],
)
def test_each_transition_moves_the_application_and_logs_an_event(
    client, world, state, persona, action, body, target
):
    reg = reach(world, state)
    actor = getattr(world, persona)
    client.force_login(actor)

    response = act(client, reg.pk, action, body)

    assert response.status_code == 200, response.content
    assert response.json()["status"] == target
    reg.refresh_from_db()
    assert reg.status == target
    event = reg.events.order_by("-id").first()
    assert (event.from_status, event.to_status, event.actor) == (state, target, actor)


def test_the_supplement_notice_lists_every_item(client, world):
    reg = world.submitted()
    client.force_login(world.reviewer)
    items = [
        {"field": "attachments", "message": "缺少说明文档"},
        {"field": "", "message": "摘要过短"},
    ]

    body = act(client, reg.pk, "require-supplement", {"items": items}).json()

    assert body["supplement_items"] == [
        {"field": "attachments", "message": "缺少说明文档"},
        {"field": "general", "message": "摘要过短"},
    ]
    assert body["acceptance_deadline"] is None


def test_completing_issues_the_code_and_activates_the_record(client, world):
    reg = world.in_notice()
    client.force_login(world.reviewer)

    body = act(client, reg.pk, "complete").json()

    record = Resource.objects.get(pk=reg.resource_id)
    assert body["record_code"] == record.code
    assert record.code.startswith("4400001")
    assert record.status == "active"


def test_one_filing_walks_from_draft_to_code_through_the_api(client, world):
    client.force_login(world.holder)
    created = client.post(
        API + "registrations/",
        {"holder": world.holder_org.pk, "object_type": "resource", **metadata()},
        content_type="application/json",
    )
    reg_id = created.json()["id"]
    for kind in ("description", "commitment"):
        upload = client.post(
            API + f"registrations/{reg_id}/attachments/", {"kind": kind, "file": pdf()}
        )
        assert upload.status_code == 201, upload.content
    assert act(client, reg_id, "submit").json()["status"] == "submitted"

    client.force_login(world.reviewer)
    assert act(client, reg_id, "accept").json()["status"] == "under_review"
    in_notice = act(client, reg_id, "approve-review").json()
    assert in_notice["status"] == "in_notice"
    assert in_notice["allowed_actions"] == []  # the notice is running
    problem(act(client, reg_id, "complete"), 409)

    notice_end = dt.datetime.fromisoformat(in_notice["notice_end"])
    with time_machine.travel(notice_end + dt.timedelta(minutes=1), tick=False):
        client.force_login(world.reviewer)
        assert client.get(API + f"registrations/{reg_id}/").json()["allowed_actions"] == [
            "complete"
        ]
        done = act(client, reg_id, "complete").json()

    assert done["status"] == "approved"
    assert client.get(API + f"records/{done['record_code']}/").status_code == 200
    actions = [e["action"] for e in client.get(API + f"registrations/{reg_id}/events/").json()]
    assert actions == [
        "create",
        "attach",
        "attach",
        "submit",
        "accept",
        "start_notice",
        "complete",
    ]


# --------------------------------------------------------------------------- illegal moves


ILLEGAL = [
    (S.SUBMITTED, "holder", "submit", {}),
    (S.SUBMITTED, "reviewer", "approve-review", {}),
    (S.SUBMITTED, "reviewer", "return", {"reason": "x"}),
    (S.SUPPLEMENT_REQUIRED, "reviewer", "accept", {}),
    (S.UNDER_REVIEW, "reviewer", "accept", {}),
    (S.UNDER_REVIEW, "reviewer", "require-supplement", {"items": [{"message": "x"}]}),
    (S.UNDER_REVIEW, "reviewer", "complete", {}),
    (S.UNDER_REVIEW, "holder", "submit", {}),
    (S.RETURNED, "reviewer", "approve-review", {}),
    (S.IN_NOTICE, "reviewer", "reject", {"reason": "x"}),
    (S.IN_NOTICE, "reviewer", "accept", {}),
    (S.IN_NOTICE, "holder", "withdraw", {}),
    (S.IN_NOTICE, "holder", "submit", {}),
    (S.APPROVED, "reviewer", "reject", {"reason": "x"}),
    (S.APPROVED, "holder", "withdraw", {}),
    (S.NOT_ACCEPTED, "reviewer", "accept", {}),
    (S.REJECTED, "reviewer", "approve-review", {}),
    (S.WITHDRAWN, "holder", "submit", {}),
]


@pytest.mark.parametrize(
    ("state", "persona", "action", "body"),
    ILLEGAL,
    ids=[f"{c[0]}-{c[2]}" for c in ILLEGAL],
)
def test_an_illegal_transition_is_a_409_with_the_state_and_allowed_actions(
    client, world, state, persona, action, body
):
    reg = reach(world, state)
    events = RegistrationEvent.objects.count()
    client.force_login(getattr(world, persona))

    response = act(client, reg.pk, action, body)

    problem_body = problem(response, 409)
    assert problem_body["current_state"] == state
    assert problem_body["allowed_actions"] == services.ALLOWED_ACTIONS[state]
    reg.refresh_from_db()
    assert reg.status == state
    assert RegistrationEvent.objects.count() == events


def test_completing_before_the_notice_ends_is_a_409(client, world):
    reg = world.in_notice(now=timezone.now())
    client.force_login(world.reviewer)

    body = problem(act(client, reg.pk, "complete"), 409)

    assert body["current_state"] == "in_notice"
    reg.refresh_from_db()
    assert reg.status == S.IN_NOTICE


def test_completing_with_an_objection_pending_is_a_409(client, world):
    reg = world.in_notice()
    Objection.objects.create(registration=reg, objector=world.citizen, reason="x", created_at=NOW)
    client.force_login(world.reviewer)

    problem(act(client, reg.pk, "complete"), 409)

    client.force_login(world.reviewer)
    actions = client.get(API + f"registrations/{reg.pk}/").json()["allowed_actions"]
    assert actions == ["uphold_objection", "dismiss_objection"]


# --------------------------------------------------------------------------- who may act


def test_national_reviewer_sees_but_may_not_decide_a_provincial_application(client, world):
    reg = world.submitted()
    client.force_login(world.national_reviewer)

    body = problem(act(client, reg.pk, "accept"), 403)

    assert "广东" in body["detail"] or "platform" in body["detail"]
    reg.refresh_from_db()
    assert reg.status == S.SUBMITTED


def test_national_reviewer_decides_national_platform_applications(client, world):
    reg = world.submitted(user=world.central_holder, holder=world.central_org)
    client.force_login(world.reviewer)
    problem(act(client, reg.pk, "accept"), 404)  # not in a provincial reviewer's sight

    client.force_login(world.national_reviewer)
    assert act(client, reg.pk, "accept").json()["status"] == "under_review"


def test_a_reviewer_never_decides_on_their_own_filing(client, world):
    dual = make_user(reviewer=world.gd, holder_staff=world.holder_org)
    reg = world.submitted(user=dual)
    client.force_login(dual)

    body = problem(act(client, reg.pk, "accept"), 403)

    assert "own filing" in body["detail"]
    reg.refresh_from_db()
    assert reg.status == S.SUBMITTED


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("zj_reviewer", 404),
        ("citizen", 404),
        ("other_holder", 404),
        ("gd_admin", 403),
        ("holder", 403),
    ],
)
def test_only_a_reviewer_of_the_platform_may_accept(client, world, persona, status):
    reg = world.submitted()
    client.force_login(getattr(world, persona))

    problem(act(client, reg.pk, "accept"), status)

    reg.refresh_from_db()
    assert reg.status == S.SUBMITTED


def test_a_reviewer_cannot_see_a_draft_to_act_on_it(client, world):
    reg = world.draft()
    client.force_login(world.reviewer)

    problem(act(client, reg.pk, "accept"), 404)


def test_a_reviewer_may_not_submit_or_withdraw_for_the_holder(client, world):
    reg = world.submitted()
    client.force_login(world.reviewer)

    problem(act(client, reg.pk, "withdraw"), 403)
    reg.refresh_from_db()
    assert reg.status == S.SUBMITTED


def test_anonymous_callers_cannot_act(client, world):
    reg = world.submitted()

    problem(act(client, reg.pk, "accept"), 403)


# --------------------------------------------------------------------------- transition input


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("reject", {}, "reason"),
        ("return", {"reason": ""}, "reason"),
        ("reject", {"reason": "x" * 2001}, "reason"),
        ("accept", {"status": "approved"}, "status"),
        ("approve-review", {"notice_end": "2020-01-01T00:00:00Z"}, "notice_end"),
        ("reject", {"reason": "x", "decided_at": "2020-01-01T00:00:00Z"}, "decided_at"),
    ],
)
def test_transition_bodies_are_validated_before_anything_happens(
    client, world, action, body, field
):
    reg = world.under_review()
    client.force_login(world.reviewer)

    errors = problem(act(client, reg.pk, action, body), 400)["errors"]

    assert field in errors
    reg.refresh_from_db()
    assert reg.status == S.UNDER_REVIEW


@pytest.mark.parametrize(
    "items", [[], "缺少说明文档", [{"field": "summary"}], [{"message": "x"}] * 101, ["x"]]
)
def test_a_supplement_notice_must_list_items_with_messages(client, world, items):
    reg = world.submitted()
    client.force_login(world.reviewer)

    errors = problem(act(client, reg.pk, "require-supplement", {"items": items}), 400)["errors"]

    assert any(key.startswith("items") for key in errors)
    reg.refresh_from_db()
    assert reg.status == S.SUBMITTED


def test_a_submit_with_missing_documents_lists_them_all(client, world):
    reg = world.draft(attach=False)
    client.force_login(world.holder)

    errors = problem(act(client, reg.pk, "submit"), 400)["errors"]

    assert "attachments" in errors
    assert len(errors["attachments"]) == 2
