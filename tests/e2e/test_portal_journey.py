"""A citizen with no account finds, reads and downloads an open dataset in Chromium, then reads
the site in English."""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from portal import services
from portal.models import Dataset

pytestmark = pytest.mark.browser

RESULTS = settings.BASE_DIR / "test-results"
CSV = (
    "站点名称,线路数,日均客流量\n天河客运站,12,35200\n体育中心,9,28750\n珠江新城,15,41230\n"
).encode()


def snap(page, name: str) -> None:
    """A full-page screenshot kept with the test results (for people, not assertions)."""
    RESULTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(RESULTS / f"{name}.png"), full_page=True)


@pytest.fixture
def portal_reference_data(reference_data):
    """The flush after a transactional test also empties the themes and licences that portal's
    data migration loaded; its loader is re-runnable."""
    from importlib import import_module

    import_module("portal.migrations.0002_themes_and_licences").load(apps, None)


def wait_for(check, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()


def publish_bus_stops(world) -> Dataset:
    """Published and uploaded through the holder's real services."""
    now = timezone.now() - dt.timedelta(days=1)
    record = world.coded(
        name="广州市公交站点客流统计", summary="主要公交站点的线路数和日均客流量。"
    )
    resource = record.resource
    resource.refresh_from_db()
    dataset = services.dataset_publish(
        actor=world.holder,
        resource=resource,
        data={"tags": ["公交", "客流"], "description": "主要**公交站点**的线路数和日均客流量。"},
        now=now,
    )
    services.distribution_create_with_file(
        actor=world.holder,
        dataset=dataset,
        title="站点客流统计表",
        upload=SimpleUploadedFile("客流.csv", CSV, content_type="text/csv"),
        now=now,
    )
    return Dataset.objects.get(pk=dataset.pk)


def test_a_citizen_finds_reads_and_downloads_a_dataset_then_switches_to_english(
    reference_data_restored, transactional_db, portal_reference_data, live_server, page, world
):
    dataset = publish_bus_stops(world)
    base = live_server.url
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None
        ),
    )

    # The home page, no login: figures and a search box.
    page.goto(f"{base}/")
    assert page.locator("header").get_by_text("登录").is_visible()
    assert page.locator('[data-stat="datasets"]').inner_text() == "1"
    snap(page, "portal-journey-1-home")

    # A search in Chinese.
    page.fill("#home-q", "公交站点")
    page.click("form.hero-search button[type=submit]")
    page.wait_for_url(re.compile(r"/datasets/\?q="))
    assert page.locator(".result-total").inner_text() == "共 1 个数据集"
    assert page.locator(".result-title mark").first.inner_text() in {"公交", "站点", "公交站点"}
    snap(page, "portal-journey-2-results")

    # The dataset page: metadata, preview, the chart drawn by the local ECharts.
    page.click(f".result-title a[href='/datasets/{dataset.slug}/']")
    page.wait_for_url(re.compile(rf"/datasets/{dataset.slug}/$"))
    assert page.locator("h1").inner_text() == "广州市公交站点客流统计"
    assert page.locator(".registration-code").inner_text() == dataset.resource.code
    assert page.locator(".preview-table").get_by_text("天河客运站").is_visible()
    page.wait_for_selector(".chart.chart-ready canvas")
    snap(page, "portal-journey-3-dataset")

    # The download: the very bytes uploaded.
    with page.expect_download() as info:
        page.click("a.download-link")
    download = info.value
    assert Path(download.path()).read_bytes() == CSV
    assert download.suggested_filename.endswith(".csv")
    # Metered when the server has sent the last byte, which may be a moment after the browser
    # has it.
    assert wait_for(lambda: Dataset.objects.get(pk=dataset.pk).download_count == 1)

    # English: the language switch reloads the same page in English.
    page.select_option("#lang-select", "en")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith(f"/datasets/{dataset.slug}/")
    with translation.override("en"):
        home_label = translation.gettext("首页")
        files_label = translation.gettext("数据文件")
    if home_label != "首页":
        assert page.locator("nav.main-nav").get_by_text(home_label, exact=True).is_visible()
    if files_label != "数据文件":
        assert page.locator("#files .panel-title").inner_text().startswith(files_label)
    snap(page, "portal-journey-4-english")

    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    assert not [p for p in problems if p.startswith("page error")], problems
