"""One filing from the holder's form to an issued code, through the staff pages in Chromium."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.utils import timezone

from registry.models import Registration, RegistrationStatus
from tests.conftest import PDF_BYTES

pytestmark = pytest.mark.browser

PASSWORD = "pw-123456!"  # what tests.conftest.make_user sets
RESULTS = settings.BASE_DIR / "test-results"


def snap(page, name: str) -> None:
    """A full-page screenshot kept with the test results (for people, not assertions)."""
    RESULTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # sticky bars otherwise land mid-page
    page.screenshot(path=str(RESULTS / f"{name}.png"), full_page=True)


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/?next=/registry/staff/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("text=登记工作台")


def log_out(page) -> None:
    page.click("header form.inline-form button")
    page.wait_for_selector("header >> text=登录")


def fill_filing_form(page) -> None:
    page.fill("#id_name", "广州市公共充电桩运营数据")
    page.fill("#id_summary", "全市公共充电站点位置、充电桩数量及实时占用状态。")
    page.select_option("#id_industry", "D")
    page.fill("#id_domain", "能源交通")
    page.select_option("#id_coverage_regions", ["440000"])
    page.fill("#id_coverage_extra", "440100")
    page.select_option("#id_update_frequency", "daily")
    page.check("input[name=formats][value=CSV]")
    page.check("input[name=formats][value=API]")
    page.select_option("#id_security_grade", "general")
    page.select_option("#id_open_category", "conditional")
    page.fill("#id_contact_name", "王五")
    page.fill("#id_contact_phone", "020-66668888")
    # Data items: use the JavaScript rows (add one, remove a spare one) and fill two.
    rows = page.locator("tbody.js-rows tr")
    spare = rows.count()
    page.click("button.js-add-row")
    assert rows.count() == spare + 1
    rows.nth(spare).locator("button.js-remove-row").click()
    assert rows.count() == spare
    rows.nth(0).locator("input[name=item_name]").fill("充电站编号")
    rows.nth(0).locator("select[name=item_type]").select_option("code")
    rows.nth(0).locator("input[name=item_description]").fill("全市唯一编号")
    rows.nth(1).locator("input[name=item_name]").fill("空闲桩数")
    rows.nth(1).locator("select[name=item_type]").select_option("integer")


def upload(page, kind: str, path) -> None:
    page.select_option("#id_kind", kind)
    page.set_input_files("#id_file", str(path))
    page.click("form.upload-form button[type=submit]")
    page.wait_for_selector("text=材料已上传")


def test_a_filing_travels_from_the_holders_form_to_an_issued_code(
    reference_data, live_server, page, world, tmp_path
):
    base = live_server.url
    description = tmp_path / "数据资源说明.pdf"
    description.write_bytes(PDF_BYTES)
    commitment = tmp_path / "登记承诺书.pdf"
    commitment.write_bytes(PDF_BYTES)

    # The holder's staff files, attaches the documents and submits.
    log_in(page, base, world.holder.username)
    page.click(".console-nav >> text=新建登记")
    assert page.locator("#id_holder option:checked").inner_text() == world.holder_org.name
    fill_filing_form(page)
    snap(page, "registry-journey-1-form")
    page.click("text=保存草稿")
    page.wait_for_selector("text=登记申请草稿已保存")
    assert page.locator("h1").inner_text() == "广州市公共充电桩运营数据"
    assert page.locator(".page-head .badge").first.inner_text() == "草稿"
    upload(page, "description", description)
    upload(page, "commitment", commitment)
    assert page.locator("#attachments").get_by_text("登记承诺书.pdf").is_visible()
    snap(page, "registry-journey-2-draft")
    page.click("text=提交申请")
    page.wait_for_selector("text=申请已提交")
    assert page.locator(".page-head .badge").first.inner_text() == "待受理"
    assert page.locator(".head-deadline").get_by_text("受理时限").is_visible()
    log_out(page)

    # The Guangdong reviewer accepts and approves: the public notice starts.
    log_in(page, base, world.reviewer.username)
    page.click(".console-nav >> text=审核队列")
    snap(page, "registry-journey-3-queue")
    page.click("text=广州市公共充电桩运营数据")
    page.wait_for_selector("text=审核决定")
    snap(page, "registry-journey-4-decision")
    assert page.get_by_text("充电站编号").is_visible()
    page.click("form[action$='/accept/'] button")
    page.wait_for_selector("text=已受理，进入形式审核。")
    assert page.locator(".page-head .badge").first.inner_text() == "形式审核中"
    page.click("form[action$='/approve_review/'] button")
    page.wait_for_selector("text=形式审核通过，已进入公示。")
    assert page.locator(".page-head .badge").first.inner_text() == "公示中"
    assert page.get_by_text("届满后方可赋码").is_visible()

    # Time passes: the ten working days of notice are over.
    registration = Registration.objects.get(name="广州市公共充电桩运营数据")
    Registration.objects.filter(pk=registration.pk).update(
        notice_end=timezone.now() - dt.timedelta(minutes=1)
    )
    page.reload()
    snap(page, "registry-journey-5-notice-ended")
    page.click("form[action$='/complete/'] button")
    page.wait_for_selector("text=已办结，登记编码已赋予。")
    registration.refresh_from_db()
    record = registration.resource
    record.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED
    assert record.code

    # The public register shows the record under its code.
    log_out(page)
    page.goto(f"{base}/registry/records/")
    page.click(f"text={record.code}")
    page.wait_for_url(re.compile(rf"/registry/records/{record.code}/$"))
    assert page.locator("h1").inner_text() == "广州市公共充电桩运营数据"
    assert page.locator(".page-head").get_by_text(record.code).is_visible()
    assert page.get_by_text("充电站编号").is_visible()
    assert page.locator(".page-head .badge").first.inner_text() == "有效"
    snap(page, "registry-journey")
