"""Public registry pages: notices with objections, the register, record detail."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from registry import services
from registry.models import Objection, RegistrationType
from registry.views import public
from registry.workdays import local_date
from tests.conftest import pdf


def recent():
    """A moment in the recent past, so that a notice started then is still running."""
    return timezone.now() - dt.timedelta(hours=1)


def test_notice_list_shows_registrant_type_name_summary_and_days_left(client, world):
    reg = world.in_notice(now=recent(), name="佛山市道路运输许可数据")

    response = client.get(reverse("registry:notice-list"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "佛山市道路运输许可数据" in body
    assert world.holder_org.name in body
    assert "首次登记" in body
    assert reg.summary[:10] in body
    assert local_date(reg.notice_end).isoformat() in body
    assert "个工作日" in body


def test_notice_list_filters_by_province_platform(client, world):
    world.in_notice(now=recent(), name="广东公示数据")
    now = recent()
    zj = world.submitted(
        now=now,
        user=world.other_holder,
        holder=world.other_holder_org,
        name="浙江公示数据",
        coverage_regions=["330100"],
    )
    services.registration_accept(actor=world.zj_reviewer, registration=zj, now=now)
    services.registration_approve_review(actor=world.zj_reviewer, registration=zj, now=now)

    body = client.get(reverse("registry:notice-list"), {"platform": "33"}).content.decode()

    assert "浙江公示数据" in body
    assert "广东公示数据" not in body


def test_notice_detail_offers_anonymous_users_a_login_link(client, world):
    reg = world.in_notice(now=recent())
    url = reverse("registry:notice-detail", args=[reg.pk])

    response = client.get(url)

    assert response.status_code == 200
    assert f"?next={url}" in response.content.decode()
    assert 'name="reason"' not in response.content.decode()


def test_logged_in_user_files_an_objection_from_the_notice_page(client, world):
    reg = world.in_notice(now=recent())
    client.force_login(world.citizen)
    url = reverse("registry:notice-detail", args=[reg.pk])

    response = client.post(
        url, {"reason": "数据项与实际不符", "contact": "138-0000-0000"}, follow=True
    )

    assert response.status_code == 200
    objection = Objection.objects.get(registration=reg)
    assert objection.objector == world.citizen
    assert objection.contact == "138-0000-0000"
    assert "异议已提交" in response.content.decode()


def test_anonymous_objection_post_is_redirected_to_login_and_files_nothing(client, world):
    reg = world.in_notice(now=recent())
    url = reverse("registry:notice-detail", args=[reg.pk])

    response = client.post(url, {"reason": "匿名异议"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Objection.objects.exists()


def test_objection_with_empty_reason_shows_the_error_in_place(client, world):
    reg = world.in_notice(now=recent())
    client.force_login(world.citizen)

    response = client.post(
        reverse("registry:notice-detail", args=[reg.pk]), {"reason": "   ", "contact": ""}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="field field-error' in body
    assert "errorlist" in body
    assert not Objection.objects.exists()


def test_objection_after_the_notice_ended_is_refused_with_a_message(client, world):
    reg = world.in_notice(now=timezone.now() - dt.timedelta(days=60))
    client.force_login(world.citizen)

    response = client.post(
        reverse("registry:notice-detail", args=[reg.pk]), {"reason": "逾期异议"}, follow=True
    )

    assert response.status_code == 200
    assert "公示期已结束" in response.content.decode()
    assert not Objection.objects.exists()


def test_notice_page_of_an_application_not_in_notice_is_404(client, world):
    reg = world.under_review()

    assert client.get(reverse("registry:notice-detail", args=[reg.pk])).status_code == 404


def test_register_lists_coded_records_with_counts(client, world):
    world.coded(name="广州市公共交通线路站点数据")
    world.submitted(name="尚未赋码的数据")

    response = client.get(reverse("registry:record-list"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "广州市公共交通线路站点数据" in body
    assert "尚未赋码的数据" not in body
    assert "共 1 条登记记录" in body


def test_register_search_with_a_chinese_query_finds_a_coded_record(client, world):
    world.coded(name="广州市公共交通线路站点数据")
    world.coded(
        name="广州市不动产登记数据",
        summary="不动产权属登记信息。",
        industry="K",
        data_items=[{"name": "不动产单元号", "type": "code", "description": ""}],
    )

    body = client.get(reverse("registry:record-list"), {"q": "交通站点"}).content.decode()

    assert "广州市公共交通线路站点数据" in body
    assert "广州市不动产登记数据" not in body


def test_register_filters_by_industry_and_keeps_filters_in_page_links(client, world, monkeypatch):
    monkeypatch.setattr(public, "PAGE_SIZE", 1)
    world.coded(name="交通数据甲")
    world.coded(name="交通数据乙")
    world.coded(name="金融数据丙", industry="J")

    response = client.get(reverse("registry:record-list"), {"industry": "G"})

    body = response.content.decode()
    assert "金融数据丙" not in body
    assert "共 2 条登记记录" in body
    assert "industry=G" in body and "page=2" in body


def test_register_reports_an_unknown_filter_value_instead_of_ignoring_it_silently(client, world):
    world.coded()

    response = client.get(reverse("registry:record-list"), {"status": "pending"})

    assert response.status_code == 200
    assert "field-error" in response.content.decode()


def test_record_detail_shows_metadata_holder_code_and_version_history(client, world):
    reg = world.coded(
        domain="交通出行",
        coverage_regions=["440100", "440300"],
        storage_location="广州政务云",
        contact_email="open@gz.gov.cn",
        record_count=12345,
    )
    record = reg.resource
    record.refresh_from_db()

    response = client.get(reverse("registry:record-detail", args=[record.code]))

    body = response.content.decode()
    assert response.status_code == 200
    for text in (
        record.code,
        world.holder_org.name,
        record.platform.name,
        "线路编号",
        "公交线路编号",
        "广州市",
        "深圳市",
        "广州政务云",
        "open@gz.gov.cn",
        "12345 条",
        "每月",
        "CSV",
        "一般数据",
        "无条件开放",
        "张三",
        "020-12345678",
        "第 1 版",
        "有效",
    ):
        assert text in body, text
    assert reverse("registry:record-version", args=[record.code, 1]) in body


def test_record_version_page_shows_an_earlier_version_after_a_change(client, world):
    reg = world.coded(name="初始名称数据")
    record = reg.resource
    record.refresh_from_db()
    now = reg.decided_at + dt.timedelta(days=1)
    change = services.registration_create_followup(
        actor=world.holder,
        resource=record,
        registration_type=RegistrationType.CHANGE,
        data={"name": "变更后名称数据"},
        reason="名称调整",
        now=now,
    )
    services.attachment_add(
        actor=world.holder, registration=change, kind="commitment", upload=pdf(), now=now
    )
    services.registration_submit(actor=world.holder, registration=change, now=now)
    services.registration_accept(actor=world.reviewer, registration=change, now=now)
    change = services.registration_approve_review(
        actor=world.reviewer, registration=change, now=now
    )
    services.registration_complete(
        registration=change, now=change.notice_end + dt.timedelta(seconds=1)
    )

    current = client.get(reverse("registry:record-detail", args=[record.code])).content.decode()
    old = client.get(reverse("registry:record-version", args=[record.code, 1])).content.decode()

    assert "变更后名称数据" in current and "变更登记" in current
    assert "初始名称数据" in old and "历史版本" in old


def test_unknown_record_or_version_is_404(client, world):
    reg = world.coded()
    code = reg.resource.code

    assert client.get(reverse("registry:record-detail", args=["NOPE"])).status_code == 404
    assert client.get(reverse("registry:record-version", args=[code, 9])).status_code == 404


@pytest.mark.parametrize("name", ["<script>alert(1)</script>"])
def test_a_hostile_name_is_escaped_on_notice_and_record_pages(client, world, name):
    notice = world.in_notice(now=recent(), name=name, summary=name)
    coded = world.coded(name=name + "x")
    coded.resource.refresh_from_db()

    pages = [
        client.get(reverse("registry:notice-list")),
        client.get(reverse("registry:notice-detail", args=[notice.pk])),
        client.get(reverse("registry:record-list")),
        client.get(reverse("registry:record-detail", args=[coded.resource.code])),
    ]

    for response in pages:
        body = response.content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_record_detail_offers_follow_up_filings_only_to_the_holder(client, world):
    reg = world.coded()
    reg.resource.refresh_from_db()
    url = reverse("registry:record-detail", args=[reg.resource.code])
    followup = reverse("registry:followup-create", args=[reg.resource.code])

    client.force_login(world.other_holder)
    assert followup not in client.get(url).content.decode()
    client.force_login(world.holder)
    assert followup in client.get(url).content.decode()
