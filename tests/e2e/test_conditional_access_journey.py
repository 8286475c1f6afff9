"""In Chromium: a citizen applies for a conditional dataset, the holder approves, the download
that was refused now works; the holder revokes the grant and it is refused again."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal import services
from portal.access.models import AccessApplication, Grant
from portal.models import Dataset
from tests.e2e.test_portal_journey import portal_reference_data as portal_reference_data
from tests.e2e.test_portal_journey import snap

pytestmark = pytest.mark.browser

PASSWORD = "pw-123456!"
CSV = "户号,月用电量\n0001,320\n0002,415\n".encode()


def publish_conditional(world) -> Dataset:
    now = timezone.now() - dt.timedelta(days=1)
    record = world.coded(
        name="广州市企业用电明细", summary="企业月度用电量。", open_category="conditional"
    )
    resource = record.resource
    resource.refresh_from_db()
    dataset = services.dataset_publish(actor=world.holder, resource=resource, data={}, now=now)
    services.distribution_create_with_file(
        actor=world.holder,
        dataset=dataset,
        title="用电明细表",
        upload=SimpleUploadedFile("用电.csv", CSV, content_type="text/csv"),
        now=now,
    )
    return Dataset.objects.get(pk=dataset.pk)


def log_in(page, base: str, username: str, next_path: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))


def log_out(page) -> None:
    page.click("header form.inline-form button")


def download_status(page, base: str, url: str) -> int:
    return page.request.get(base + url).status


def test_a_citizen_applies_the_holder_approves_then_revokes(
    reference_data_restored, transactional_db, portal_reference_data, live_server, page, world
):
    dataset = publish_conditional(world)
    base = live_server.url
    dataset_path = f"/datasets/{dataset.slug}/"
    latest = f"/datasets/{dataset.slug}/files/{dataset.distributions.get().pk}/latest"

    # The citizen is refused the file and applies from the dataset page.
    log_in(page, base, "citizen", dataset_path)
    assert page.get_by_text("需审批").first.is_visible()
    assert download_status(page, base, latest) == 403
    page.click("a.apply-link")
    page.wait_for_url(re.compile(r"/access/apply/"))
    page.fill("#id_purpose", "研究企业用电与经济活动的关系。")
    page.fill("#id_scenario", "高校课题，仅用于学术研究。")
    page.fill("#id_security_measures", "内网存储，专人管理，课题结束后删除。")
    page.fill("#id_period_days", "90")
    snap(page, "access-journey-1-apply")
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_url(re.compile(r"/access/applications/\d+/$"))
    assert page.locator(".app-status").inner_text() == "待审核"
    application = AccessApplication.objects.get()
    log_out(page)

    # The holder finds it in the review queue, with its deadline, and approves it.
    log_in(page, base, "holder", "/access/review/")
    assert page.get_by_text(application.number).is_visible()
    assert page.locator(".queue-table .deadline").first.is_visible()
    page.click(f"text={application.number}")
    page.wait_for_url(re.compile(rf"/access/applications/{application.pk}/$"))
    page.fill(".approve-form textarea[name=reason]", "用途明确，安全措施到位。")
    page.fill(".approve-form input[name=granted_days]", "30")
    snap(page, "access-journey-2-review")
    page.click(".approve-form button[type=submit]")
    page.wait_for_selector(".grant-state")
    assert page.locator(".app-status").inner_text() == "已批准"
    log_out(page)

    # The citizen now downloads the very bytes.
    log_in(page, base, "citizen", dataset_path)
    assert download_status(page, base, latest) == 200
    with page.expect_download() as info:
        page.click("a.download-link")
    assert Path(info.value.path()).read_bytes() == CSV
    snap(page, "access-journey-3-granted")
    log_out(page)

    # The holder revokes; the download is refused again.
    grant = Grant.objects.get()
    log_in(page, base, "holder", f"/access/applications/{application.pk}/")
    page.fill(".revoke-form textarea[name=reason]", "超出约定用途使用。")
    page.click(".revoke-form button[type=submit]")
    page.wait_for_selector(".grant-state:has-text('已撤销')")
    log_out(page)
    log_in(page, base, "citizen", dataset_path)
    assert download_status(page, base, latest) == 403
    assert page.locator("a.download-link").count() == 0
    grant.refresh_from_db()
    assert grant.status == "revoked"
