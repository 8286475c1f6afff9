"""The conditional-access pages: applying, the holder's queue with deadlines and overdue flags,
deciding, reporting, and escaping of everything users write."""

from __future__ import annotations

import time_machine
from django.urls import reverse
from django.utils import timezone

from portal.access import services
from portal.access.models import AccessApplication, ApplicationStatus
from tests.access.conftest import FORM, approve, submit
from tests.conftest import at, make_user

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


def test_a_citizen_applies_from_the_dataset_page(client, world, cond):
    client.force_login(world.citizen)
    page = client.get(reverse("dataset-detail", args=[cond.slug])).content.decode()
    apply_url = reverse("access:apply", args=[cond.slug])
    assert apply_url in page
    form = client.get(apply_url)
    assert form.status_code == 200 and "安全保障措施" in form.content.decode()
    response = client.post(apply_url, {**FORM, "datasets": [cond.pk]})
    app = AccessApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("access:application", args=[app.pk])
    detail = client.get(response["Location"]).content.decode()
    assert app.number in detail and "待审核" in detail and "审核期限" in detail


def test_a_form_with_missing_fields_shows_field_errors_and_saves_nothing(client, world, cond):
    client.force_login(world.citizen)
    response = client.post(
        reverse("access:apply", args=[cond.slug]), {"datasets": [cond.pk], "purpose": " "}
    )
    assert response.status_code == 200
    assert response.content.decode().count("errorlist") >= 3
    assert not AccessApplication.objects.exists()


def test_applying_needs_a_login(client, cond):
    response = client.get(reverse("access:apply", args=[cond.slug]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_holder_queue_shows_deadlines_and_flags_overdue_ones(client, world, cond):
    with time_machine.travel(at(2026, 9, 1), tick=False):
        late = submit(cond, world.citizen)
    fresh = submit(cond, make_user())
    client.force_login(world.holder)
    body = client.get(reverse("access:queue")).content.decode()
    assert late.number in body and fresh.number in body
    assert "row-overdue" in body and "有 1 份申请已超过审核期限" in body
    assert "2026-09-15" in body
    overdue_only = client.get(reverse("access:queue") + "?status=overdue").content.decode()
    assert late.number in overdue_only and fresh.number not in overdue_only
    # The province's platform administrator sees the same flag.
    client.force_login(world.gd_admin)
    assert "有 1 份申请已超过审核期限" in client.get(reverse("access:queue")).content.decode()


def test_the_queue_is_404_for_a_citizen(client, world):
    client.force_login(world.citizen)
    assert client.get(reverse("access:queue")).status_code == 404


def test_the_holder_approves_and_the_applicant_reports_use(client, world, cond):
    app = submit(cond, world.citizen)
    client.force_login(world.holder)
    url = reverse("access:application-act", args=[app.pk, "approve"])
    response = client.post(
        url, {"reason": "同意使用。", "granted_days": 30, "report_interval_days": 30}
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.APPROVED
    client.force_login(world.citizen)
    page = client.get(reverse("access:application", args=[app.pk])).content.decode()
    assert "同意使用。" in page and "提交使用情况报告" in page
    report_url = reverse("access:grant-report", args=[app.grant.pk])
    assert client.post(report_url, {"content": "本月用于客流分析。"}).status_code == 302
    assert (
        "本月用于客流分析。"
        in client.get(reverse("access:application", args=[app.pk])).content.decode()
    )


def test_a_second_extension_from_the_page_is_refused_with_a_message(client, world, cond):
    app = submit(cond, world.citizen)
    client.force_login(world.holder)
    url = reverse("access:application-act", args=[app.pk, "extend"])
    client.post(url, {"reason": "会商。"})
    response = client.post(url, {"reason": "再次会商。"}, follow=True)
    body = response.content.decode()
    assert "操作未执行" in body and "当前可办理" in body
    app.refresh_from_db()
    assert app.extension_reason == "会商。"


def test_another_users_application_page_is_404(client, world, cond):
    app = submit(cond, world.citizen)
    client.force_login(make_user())
    assert client.get(reverse("access:application", args=[app.pk])).status_code == 404
    url = reverse("access:application-act", args=[app.pk, "withdraw"])
    assert client.post(url).status_code == 404


def test_user_written_text_is_escaped_on_every_page_that_shows_it(client, world, cond):
    app = submit(
        cond,
        world.citizen,
        purpose=XSS,
        scenario=XSS,
        security_measures=XSS,
        applicant_organisation=XSS,
        contact_phone="<b>1</b>",
    )
    services.application_extend(actor=world.holder, application=app, reason=XSS, now=timezone.now())
    grant = approve(app, world.holder)
    grant.application.decision_reason = XSS
    AccessApplication.objects.filter(pk=app.pk).update(decision_reason=XSS)
    services.usage_report_submit(actor=world.citizen, grant=grant, content=XSS, now=timezone.now())
    services.grant_revoke(actor=world.holder, grant=grant, reason=XSS, now=timezone.now())
    for user in (world.citizen, world.holder):
        client.force_login(user)
        body = client.get(reverse("access:application", args=[app.pk])).content.decode()
        assert XSS not in body and "<b>1</b>" not in body
        assert body.count(ESCAPED) >= 7
    client.force_login(world.holder)
    queue = client.get(reverse("access:queue")).content.decode()
    assert XSS not in queue and ESCAPED in queue
