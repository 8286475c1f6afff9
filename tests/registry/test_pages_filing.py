"""The filer's staff pages: access, the filing form, attachments, submit, follow-ups."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from registry import services
from registry.models import (
    Attachment,
    Registration,
    RegistrationStatus,
    RegistrationType,
    Resource,
)
from tests.conftest import PDF_BYTES, make_user, pdf

STAFF_URLS = [
    ("registry:staff-home", []),
    ("registry:filing-list", []),
    ("registry:filing-create", []),
    ("registry:filing-detail", [1]),
    ("registry:filing-edit", [1]),
    ("registry:queue", []),
    ("registry:queue-detail", [1]),
    ("registry:dashboard", []),
    ("registry:attachment-download", [1, 1]),
    ("registry:followup-create", ["X"]),
]


def filing_post(world, **overrides):
    data = {
        "holder": world.holder_org.pk,
        "object_type": "resource",
        "name": "广州市停车场泊位数据",
        "summary": "全市公共停车场位置、泊位数量及收费标准。",
        "industry": "G",
        "domain": "交通出行",
        "coverage_regions": ["440000"],
        "coverage_extra": "440100 440106",
        "update_frequency": "daily",
        "formats": ["CSV", "JSON"],
        "security_grade": "general",
        "general_sublevel": "2",
        "open_category": "conditional",
        "contact_name": "李四",
        "contact_phone": "020-87654321",
        "item_name": ["停车场编号", "泊位数", ""],
        "item_type": ["code", "integer", "string"],
        "item_description": ["唯一编号", "", ""],
        "reason": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(("name", "args"), STAFF_URLS)
def test_staff_pages_redirect_anonymous_users_to_login(client, db, name, args):
    response = client.get(reverse(name, args=args))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")


@pytest.mark.parametrize(
    ("persona", "name"),
    [
        ("citizen", "registry:staff-home"),
        ("citizen", "registry:filing-list"),
        ("reviewer", "registry:filing-list"),
        ("reviewer", "registry:filing-create"),
        ("holder", "registry:queue"),
        ("holder", "registry:dashboard"),
    ],
)
def test_staff_pages_are_404_for_a_user_without_the_role(client, world, persona, name):
    client.force_login(getattr(world, persona))

    assert client.get(reverse(name)).status_code == 404


def test_staff_home_links_to_what_each_role_does(client, world):
    client.force_login(world.holder)
    holder_page = client.get(reverse("registry:staff-home")).content.decode()
    client.force_login(world.reviewer)
    reviewer_page = client.get(reverse("registry:staff-home")).content.decode()

    assert reverse("registry:filing-list") in holder_page
    assert reverse("registry:queue") not in holder_page
    assert reverse("registry:queue") in reviewer_page
    assert reverse("registry:dashboard") in reviewer_page
    assert reverse("registry:filing-create") not in reviewer_page


def test_filing_list_shows_status_type_deadline_and_overdue_flag(client, world):
    world.submitted(name="已超期的申请", now=timezone.now() - dt.timedelta(days=30))
    world.draft(name="草稿申请", now=timezone.now())
    client.force_login(world.holder)

    response = client.get(reverse("registry:filing-list"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "已超期的申请" in body and "草稿申请" in body
    assert "待受理" in body and "草稿" in body and "首次登记" in body
    assert "受理时限" in body and "已超期" in body


def test_filing_list_filters_by_status(client, world):
    world.submitted(name="已提交申请")
    world.draft(name="草稿申请")
    client.force_login(world.holder)

    body = client.get(reverse("registry:filing-list"), {"status": "draft"}).content.decode()

    assert "草稿申请" in body
    assert "已提交申请" not in body


def test_another_holders_filing_is_404_on_every_filer_page(client, world):
    reg = world.draft()
    attachment = reg.attachments.first()
    client.force_login(world.other_holder)

    assert client.get(reverse("registry:filing-detail", args=[reg.pk])).status_code == 404
    assert client.get(reverse("registry:filing-edit", args=[reg.pk])).status_code == 404
    assert client.post(reverse("registry:filing-submit", args=[reg.pk])).status_code == 404
    assert client.post(reverse("registry:filing-withdraw", args=[reg.pk])).status_code == 404
    download = reverse("registry:attachment-download", args=[reg.pk, attachment.pk])
    assert client.get(download).status_code == 404
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.DRAFT


def test_filing_form_renders_holders_field_groups_and_spare_item_rows(client, world):
    client.force_login(world.holder)

    response = client.get(reverse("registry:filing-create"))

    body = response.content.decode()
    assert response.status_code == 200
    assert world.holder_org.name in body
    assert body.count('name="item_name"') >= 4  # three spare rows plus the JS template row
    assert 'value="GeoJSON"' in body and "广东省" in body
    assert "registry.js" in body


def test_filing_form_errors_are_shown_beside_the_fields_and_nothing_is_created(client, world):
    client.force_login(world.holder)
    data = filing_post(
        world,
        name="  ",
        contact_phone="abc",
        security_grade="important",
        open_category="unconditional",
        general_sublevel="",
        coverage_extra="999999",
    )

    response = client.post(reverse("registry:filing-create"), data)

    body = response.content.decode()
    assert response.status_code == 200
    assert not Registration.objects.exists()
    assert not Resource.objects.exists()
    assert "提交的内容有误" in body
    assert "电话号码格式不正确" in body
    assert "核心数据和重要数据不得无条件开放" in body
    assert "未知的地域代码：999999" in body
    assert body.count('class="field field-error') >= 3
    # What was typed is kept.
    assert "停车场编号" in body and 'value="abc"' in body


def test_a_filer_cannot_file_for_another_holder_or_set_the_workflow_fields(client, world):
    client.force_login(world.holder)
    spoofed = filing_post(world, holder=world.other_holder_org.pk)

    refused = client.post(reverse("registry:filing-create"), spoofed)
    client.post(
        reverse("registry:filing-create"),
        filing_post(world, status="approved", platform=world.national.pk, applicant=1),
    )

    assert refused.status_code == 200 and "field-error" in refused.content.decode()
    reg = Registration.objects.get()
    assert reg.resource.holder == world.holder_org
    assert reg.status == RegistrationStatus.DRAFT
    assert reg.platform == world.gd and reg.applicant == world.holder


def test_a_data_item_error_is_shown_on_its_row(client, world):
    client.force_login(world.holder)
    data = filing_post(world, item_name=["泊位数", "泊位数"], item_type=["integer", "integer"])
    data["item_description"] = ["", ""]

    response = client.post(reverse("registry:filing-create"), data)

    body = response.content.decode()
    assert not Registration.objects.exists()
    assert "数据项名称“泊位数”重复" in body
    assert body.count("row-error") == 1


def test_a_filing_goes_from_create_to_attach_to_submit_through_the_pages(client, world):
    client.force_login(world.holder)

    created = client.post(reverse("registry:filing-create"), filing_post(world))
    reg = Registration.objects.get()
    assert created.status_code == 302
    assert created.url == reverse("registry:filing-detail", args=[reg.pk])
    assert reg.data_items == [
        {"name": "停车场编号", "type": "code", "description": "唯一编号"},
        {"name": "泊位数", "type": "integer", "description": ""},
    ]
    assert reg.coverage_regions == ["440000", "440100", "440106"]
    assert reg.general_sublevel == 2 and reg.formats == ["CSV", "JSON"]

    attach = reverse("registry:filing-attach", args=[reg.pk])
    for kind in ("description", "commitment"):
        upload = SimpleUploadedFile(f"{kind}.pdf", PDF_BYTES, content_type="application/pdf")
        response = client.post(attach, {"kind": kind, "file": upload})
        assert response.status_code == 302
    assert reg.attachments.count() == 2

    response = client.post(reverse("registry:filing-submit", args=[reg.pk]), follow=True)

    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.SUBMITTED
    body = response.content.decode()
    assert "申请已提交" in body and "受理时限" in body and "待受理" in body


def test_submit_without_attachments_lists_everything_missing_in_place(client, world):
    reg = world.draft(attach=False)
    client.force_login(world.holder)

    response = client.post(reverse("registry:filing-submit", args=[reg.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "申请尚不完整" in body
    assert "缺少数据资源说明文档" in body and "缺少签章的登记承诺书" in body
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.DRAFT


def test_an_attachment_whose_content_does_not_match_is_refused_in_place(client, world):
    reg = world.draft(attach=False)
    client.force_login(world.holder)
    fake = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    response = client.post(
        reverse("registry:filing-attach", args=[reg.pk]), {"kind": "commitment", "file": fake}
    )

    assert response.status_code == 200
    assert "仅支持 PDF" in response.content.decode()
    assert not Attachment.objects.exists()


def test_attachment_download_is_a_nosniff_attachment_with_an_rfc6266_name(client, world):
    reg = world.draft(attach=False)
    services.attachment_add(
        actor=world.holder,
        registration=reg,
        kind="description",
        upload=pdf("说明 文档.pdf"),
        now=timezone.now(),
    )
    attachment = reg.attachments.get()
    client.force_login(world.holder)

    response = client.get(reverse("registry:attachment-download", args=[reg.pk, attachment.pk]))

    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E8%AF%B4%E6%98%8E%20%E6%96%87%E6%A1%A3.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_a_reviewer_of_the_platform_may_download_but_another_province_may_not(client, world):
    reg = world.submitted()
    attachment = reg.attachments.first()
    url = reverse("registry:attachment-download", args=[reg.pk, attachment.pk])

    client.force_login(world.reviewer)
    assert client.get(url).status_code == 200
    client.force_login(world.zj_reviewer)
    assert client.get(url).status_code == 404


def test_editing_a_draft_saves_the_new_metadata(client, world):
    reg = world.draft()
    client.force_login(world.holder)
    edit = reverse("registry:filing-edit", args=[reg.pk])

    form = client.get(edit)
    assert "线路编号" in form.content.decode()
    data = filing_post(world, name="修改后的名称", item_name=["线路编号"], item_type=["code"])
    data["item_description"] = ["公交线路编号"]
    response = client.post(edit, data)

    assert response.status_code == 302
    reg.refresh_from_db()
    assert reg.name == "修改后的名称"
    assert reg.data_items == [{"name": "线路编号", "type": "code", "description": "公交线路编号"}]


def test_the_edit_form_shows_stored_dates_and_regions_as_they_are_stored(client, world):
    reg = world.draft(
        period_start="2024-01-01", period_end="2024-12-31", coverage_regions=["440000", "440106"]
    )
    client.force_login(world.holder)

    body = client.get(reverse("registry:filing-edit", args=[reg.pk])).content.decode()

    assert 'value="2024-01-01"' in body and 'value="2024-12-31"' in body
    assert '<option value="440000" selected>' in body
    assert 'value="440106"' in body
    assert "请选择" in body and "---------" not in body


def test_editing_a_submitted_filing_is_refused_with_a_message(client, world):
    reg = world.submitted()
    client.force_login(world.holder)

    response = client.post(
        reverse("registry:filing-edit", args=[reg.pk]), filing_post(world), follow=True
    )

    assert "不能修改" in response.content.decode()
    reg.refresh_from_db()
    assert reg.name != "广州市停车场泊位数据"


def test_withdrawing_through_the_page_records_the_reason(client, world):
    reg = world.submitted()
    client.force_login(world.holder)

    client.post(reverse("registry:filing-withdraw", args=[reg.pk]), {"reason": "重复申报"})

    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.WITHDRAWN
    assert reg.events.last().reason == "重复申报"


def test_the_filer_sees_the_one_time_supplement_notice(client, world):
    reg = world.submitted()
    services.registration_require_supplement(
        actor=world.reviewer,
        registration=reg,
        items=[{"field": "attachments", "message": "承诺书未加盖公章"}],
        now=timezone.now(),
    )
    client.force_login(world.holder)

    body = client.get(reverse("registry:filing-detail", args=[reg.pk])).content.decode()

    assert "一次性补正告知" in body
    assert "承诺书未加盖公章" in body and "附件材料" in body
    assert reverse("registry:filing-edit", args=[reg.pk]) in body


def test_the_filer_sees_the_reason_of_a_rejection_and_the_event_history(client, world):
    reg = world.under_review()
    services.registration_reject(
        actor=world.reviewer, registration=reg, reason="不属于公共数据", now=timezone.now()
    )
    client.force_login(world.holder)

    body = client.get(reverse("registry:filing-detail", args=[reg.pk])).content.decode()

    assert "审核不通过理由" in body and "不属于公共数据" in body
    assert "gd_reviewer" in body and "形式审核中 → 审核不通过" in body
    assert reverse("registry:filing-submit", args=[reg.pk]) not in body


def test_a_holder_starts_a_change_of_a_coded_record(client, world):
    reg = world.coded()
    reg.resource.refresh_from_db()
    code = reg.resource.code
    client.force_login(world.holder)

    response = client.post(
        reverse("registry:followup-create", args=[code]),
        {"registration_type": "change", "reason": "新增数据项"},
    )

    change = Registration.objects.get(registration_type=RegistrationType.CHANGE)
    assert response.status_code == 302
    assert response.url == reverse("registry:filing-edit", args=[change.pk])
    assert change.name == reg.name


def test_a_second_follow_up_while_one_is_open_is_refused_with_a_message(client, world):
    reg = world.coded()
    reg.resource.refresh_from_db()
    url = reverse("registry:followup-create", args=[reg.resource.code])
    client.force_login(world.holder)
    client.post(url, {"registration_type": "change", "reason": "第一次变更"})

    response = client.post(url, {"registration_type": "correction", "reason": "又一次"})

    assert response.status_code == 200
    assert "该登记记录已有办理中的申请" in response.content.decode()
    assert Registration.objects.filter(resource=reg.resource).count() == 2


def test_a_deregistration_draft_asks_only_for_its_reason(client, world):
    reg = world.coded()
    reg.resource.refresh_from_db()
    client.force_login(world.holder)
    client.post(
        reverse("registry:followup-create", args=[reg.resource.code]),
        {"registration_type": "deregistration", "reason": "资源停止采集"},
    )
    dereg = Registration.objects.get(registration_type=RegistrationType.DEREGISTRATION)
    edit = reverse("registry:filing-edit", args=[dereg.pk])

    form = client.get(edit).content.decode()
    response = client.post(edit, {"reason": "资源已停止采集并归档"})

    assert 'name="reason"' in form and 'name="name"' not in form
    assert response.status_code == 302
    dereg.refresh_from_db()
    assert dereg.reason == "资源已停止采集并归档"
    assert dereg.name == reg.name


def test_another_holder_cannot_start_a_follow_up_of_a_record(client, world):
    reg = world.coded()
    reg.resource.refresh_from_db()
    url = reverse("registry:followup-create", args=[reg.resource.code])
    client.force_login(world.holder)
    assert client.get(url).status_code == 200
    client.force_login(world.other_holder)

    response = client.post(url, {"registration_type": "deregistration", "reason": "x"})

    assert response.status_code == 404
    assert not Registration.objects.filter(registration_type="deregistration").exists()


def test_an_agent_without_a_mandate_has_no_holder_to_file_for(client, world):
    from tests.conftest import make_org

    agent = make_user(agent=make_org("某代理公司", org_type="agent"))
    client.force_login(agent)

    assert client.get(reverse("registry:filing-create")).status_code == 404
