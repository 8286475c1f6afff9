"""Browser fixtures: Playwright's sync API driving Debian's Chromium against `live_server`."""

from __future__ import annotations

import os
import shutil

import pytest
from django.db import transaction

from registry.models import Platform, Region

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# ORM calls from it as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def _reference_snapshot(django_db_blocker):
    """`live_server` makes the tests transactional, and the flush after each one empties the
    session's regions and platforms. Keep a copy, put it back before each browser test and
    once more after the module for the tests that follow."""
    with django_db_blocker.unblock():
        snapshot = (
            [Region(**row) for row in Region.objects.values()],
            [Platform(**row) for row in Platform.objects.values()],
        )
    yield snapshot
    with django_db_blocker.unblock():
        _restore(snapshot)


def _restore(snapshot) -> None:
    regions, platforms = snapshot
    with transaction.atomic():
        if not Region.objects.exists():
            Region.objects.bulk_create(regions)  # parent FKs are checked at commit
        if not Platform.objects.exists():
            Platform.objects.bulk_create(platforms)


@pytest.fixture
def reference_data(_reference_snapshot, transactional_db):
    _restore(_reference_snapshot)


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed in this environment")
    if shutil.which(CHROMIUM) is None:
        pytest.skip(f"{CHROMIUM} is not executable")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
