"""The registration body's pages: queue, decisions, objections, dashboard."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from registry import services
from registry.models import (
    Objection,
    ObjectionStatus,
    RecordStatus,
    RegistrationStatus,
)
from tests.conftest import make_user


def action_url(reg, action):
    return reverse("registry:queue-action", args=[reg.pk, action])


def recent():
    return timezone.now() - dt.timedelta(hours=1)


def test_queue_lists_the_province_sorted_by_deadline_with_overdue_rows_marked(client, world):
    late = world.submitted(name="超期待受理申请", now=timezone.now() - dt.timedelta(days=30))
    fresh = world.submitted(name="新近提交申请", now=recent())
    client.force_login(world.reviewer)

    response = client.get(reverse("registry:queue"))

    body = response.content.decode()
    assert response.status_code == 200
    assert body.index(late.name) < body.index(fresh.name)
    assert body.count('class="row-overdue"') == 1
    assert "已超期" in body and "受理时限" in body


def test_queue_filters_by_status(client, world):
    world.submitted(name="待受理申请")
    world.under_review(name="审核中申请")
    client.force_login(world.reviewer)

    body = client.get(reverse("registry:queue"), {"status": "under_review"}).content.decode()

    assert "审核中申请" in body
    assert "待受理申请" not in body


def test_another_provinces_reviewer_neither_lists_nor_opens_the_application(client, world):
    reg = world.submitted(name="广东申请")
    client.force_login(world.zj_reviewer)

    queue = client.get(reverse("registry:queue"), {"status": "all"}).content.decode()
    detail = client.get(reverse("registry:queue-detail", args=[reg.pk]))
    decided = client.post(action_url(reg, "accept"))

    assert "广东申请" not in queue
    assert detail.status_code == 404
    assert decided.status_code == 404
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.SUBMITTED


def test_the_decision_page_shows_metadata_attachments_events_and_acceptance_forms(client, world):
    reg = world.submitted()
    client.force_login(world.reviewer)

    body = client.get(reverse("registry:queue-detail", args=[reg.pk])).content.decode()

    assert "线路编号" in body and "数据资源说明文档" in body and "登记承诺书" in body
    assert "提交申请" in body and "草稿 → 待受理" in body
    assert action_url(reg, "accept") in body
    assert action_url(reg, "require_supplement") in body
    assert action_url(reg, "not_accept") in body
    assert action_url(reg, "reject") not in body


def test_a_reviewer_accepts_and_approves_the_review_through_the_pages(client, world):
    reg = world.submitted(now=recent())
    client.force_login(world.reviewer)

    client.post(action_url(reg, "accept"))
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.UNDER_REVIEW

    response = client.post(action_url(reg, "approve_review"), follow=True)

    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.IN_NOTICE
    assert reg.notice_end is not None
    assert "已进入公示" in response.content.decode()


def test_require_supplement_sends_every_listed_item_at_once(client, world):
    reg = world.submitted()
    client.force_login(world.reviewer)

    client.post(
        action_url(reg, "require_supplement"),
        {
            "item_field": ["attachments", "contact_phone", "summary"],
            "item_message": ["承诺书未盖章", "联系电话无法接通", ""],
        },
    )

    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.SUPPLEMENT_REQUIRED
    assert reg.supplement_items == [
        {"field": "attachments", "message": "承诺书未盖章"},
        {"field": "contact_phone", "message": "联系电话无法接通"},
    ]


def test_require_supplement_without_any_item_shows_the_error_in_place(client, world):
    reg = world.submitted()
    client.force_login(world.reviewer)

    response = client.post(
        action_url(reg, "require_supplement"), {"item_field": ["name"], "item_message": [""]}
    )

    assert response.status_code == 200
    assert "至少列出一项需补正的内容" in response.content.decode()
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.SUBMITTED


def test_a_rejection_without_a_reason_shows_the_error_in_place_and_changes_nothing(client, world):
    reg = world.under_review()
    client.force_login(world.reviewer)

    response = client.post(action_url(reg, "reject"), {"reason": "  "})

    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_reject_reason"' in body
    assert "field-error" in body
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.UNDER_REVIEW


def test_return_and_not_accept_record_their_reasons(client, world):
    under_review = world.under_review()
    submitted = world.submitted(name="另一申请")
    client.force_login(world.reviewer)

    client.post(action_url(under_review, "return"), {"reason": "数据项说明不完整"})
    client.post(action_url(submitted, "not_accept"), {"reason": "不属于登记范围"})

    under_review.refresh_from_db()
    submitted.refresh_from_db()
    assert under_review.status == RegistrationStatus.RETURNED
    assert under_review.decision_reason == "数据项说明不完整"
    assert submitted.status == RegistrationStatus.NOT_ACCEPTED
    assert submitted.decision_reason == "不属于登记范围"


def test_an_illegal_transition_posted_directly_shows_the_current_state_not_a_500(client, world):
    reg = world.in_notice(now=recent())
    client.force_login(world.reviewer)

    response = client.post(action_url(reg, "accept"), follow=True)

    body = response.content.decode()
    assert response.status_code == 200
    assert "操作未执行" in body and "公示中" in body
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.IN_NOTICE


def test_an_unknown_action_is_404(client, world):
    reg = world.submitted()
    client.force_login(world.reviewer)

    assert client.post(action_url(reg, "delete")).status_code == 404
    assert client.get(action_url(reg, "accept")).status_code == 405


def test_issuing_the_code_before_the_notice_ends_is_refused_with_a_message(client, world):
    reg = world.in_notice(now=recent())
    client.force_login(world.reviewer)

    page = client.get(reverse("registry:queue-detail", args=[reg.pk])).content.decode()
    response = client.post(action_url(reg, "complete"), follow=True)

    assert action_url(reg, "complete") not in page
    assert "届满后方可赋码" in page
    assert "公示期尚未结束" in response.content.decode()
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.IN_NOTICE


def test_issuing_the_code_after_the_notice_ended_makes_an_active_record(client, world):
    reg = world.in_notice(now=timezone.now() - dt.timedelta(days=40))
    client.force_login(world.reviewer)

    response = client.post(action_url(reg, "complete"), follow=True)

    reg.refresh_from_db()
    reg.resource.refresh_from_db()
    assert reg.status == RegistrationStatus.APPROVED
    assert reg.resource.status == RecordStatus.ACTIVE
    assert reg.resource.code in response.content.decode()


def test_upholding_an_objection_returns_the_application(client, world):
    reg = world.in_notice(now=recent())
    objection = services.objection_file(
        actor=world.citizen, registration=reg, reason="数据名称有误", now=timezone.now()
    )
    client.force_login(world.reviewer)
    page = client.get(reverse("registry:queue-detail", args=[reg.pk])).content.decode()
    assert "数据名称有误" in page

    url = reverse("registry:objection-action", args=[reg.pk, objection.pk, "uphold"])
    client.post(url, {"reason": "经核实名称有误", "outcome": "returned"})

    objection.refresh_from_db()
    reg.refresh_from_db()
    assert objection.status == ObjectionStatus.UPHELD
    assert reg.status == RegistrationStatus.RETURNED


def test_dismissing_an_objection_keeps_the_notice_running(client, world):
    reg = world.in_notice(now=recent())
    objection = services.objection_file(
        actor=world.citizen, registration=reg, reason="无依据的异议", now=timezone.now()
    )
    client.force_login(world.reviewer)

    url = reverse("registry:objection-action", args=[reg.pk, objection.pk, "dismiss"])
    empty = client.post(url, {"reason": ""})
    client.post(url, {"reason": "异议无事实依据"})

    assert empty.status_code == 200 and "field-error" in empty.content.decode()
    objection.refresh_from_db()
    reg.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED
    assert reg.status == RegistrationStatus.IN_NOTICE


def test_a_reviewer_sees_no_decision_forms_on_their_own_filing(client, world):
    reviewer_holder = make_user(holder_staff=world.holder_org, reviewer=world.gd)
    reg = world.submitted(user=reviewer_holder)
    client.force_login(reviewer_holder)

    page = client.get(reverse("registry:queue-detail", args=[reg.pk])).content.decode()
    response = client.post(action_url(reg, "accept"), follow=True)

    assert "回避提示" in page
    assert action_url(reg, "accept") not in page
    assert "审核人员不得审核本人或本单位提交的申请" in response.content.decode()
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.SUBMITTED


def test_a_platform_admin_sees_the_application_but_no_decision_forms(client, world):
    reg = world.submitted()
    client.force_login(world.gd_admin)

    body = client.get(reverse("registry:queue-detail", args=[reg.pk])).content.decode()

    assert reg.name in body
    assert action_url(reg, "accept") not in body


def test_the_dashboard_counts_by_status_and_lists_overdue_items_and_objections(client, world):
    world.submitted(name="超期申请", now=timezone.now() - dt.timedelta(days=30))
    notice = world.in_notice(name="公示中申请", now=recent())
    services.objection_file(
        actor=world.citizen, registration=notice, reason="异议", now=timezone.now()
    )
    world.coded(name="已赋码申请")
    client.force_login(world.gd_admin)

    response = client.get(reverse("registry:dashboard"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "超期申请" in body and "公示中申请" in body
    assert Objection.objects.count() == 1
    assert f"{reverse('registry:queue')}?status=overdue" in body
    assert "待处理异议" in body and "登记记录按状态" in body


def test_a_hostile_name_is_escaped_in_the_queue_and_decision_page(client, world):
    reg = world.submitted(name="<script>alert(1)</script>")
    client.force_login(world.reviewer)

    for url in (reverse("registry:queue"), reverse("registry:queue-detail", args=[reg.pk])):
        body = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
