"""In Chromium: an agency creates a scheme and an agreement, an operator applies for two
resources for a scenario, the holder and the agency approve, and the operator's aggregate-only
query shows suppressed small groups while a raw-row query is refused."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings

from operations.models import Licence
from tests.e2e.conftest import browser, page, reference_data  # noqa: F401 - fixtures
from tests.operations.conftest import Ops

pytestmark = pytest.mark.browser
PASSWORD = "pw-123456!"
RESULTS = settings.BASE_DIR / "test-results"


def snap(page, name: str) -> None:  # noqa: F811
    """A full-page screenshot kept with the test results (for people, not assertions)."""
    RESULTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(RESULTS / f"{name}.png"), full_page=True)


@pytest.fixture
def portal_reference_data(reference_data):  # noqa: F811
    from importlib import import_module

    import_module("portal.migrations.0002_themes_and_licences").load(apps, None)


def log_in(page, base, user, start):  # noqa: F811
    page.goto(f"{base}/accounts/login/?next={start}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"**{start}")


def log_out(page):  # noqa: F811
    page.click("header form.inline-form button")
    page.wait_for_selector("header >> text=登录")


def test_agency_operator_and_holder_reach_a_licensed_aggregate_query(
    reference_data_restored,
    transactional_db,
    portal_reference_data,
    live_server,
    page,  # noqa: F811
    world,
):
    ops = Ops(world)
    base = live_server.url
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # The agency drafts, approves and publishes a scheme, then signs an agreement.
    log_in(page, base, ops.agency_user, "/operations/agency/")
    page.click("text=新建实施方案")
    page.fill("#id_title", "广州市民生数据授权运营实施方案")
    page.check("input[name=modes][value=scenario]")
    page.check("input[name=modes][value=whole]")
    page.fill("#id_registration_codes", f"{ops.people.code}\n{ops.stops.code}")
    page.fill("#id_scenarios", "普惠金融")
    page.click("#main-form button")
    page.wait_for_selector("#approve-form")
    page.fill("#id_approver", "广州市人民政府")
    page.fill("#id_document_no", "穗府函〔2026〕9号")
    page.fill("#id_approved_on", "2026-11-20")
    page.click("#approve-form button")
    page.wait_for_selector("#selection-form")
    page.select_option("#id_procedure", "public_tender")
    page.fill("#id_decided_on", "2026-11-25")
    page.fill("#id_result_summary", "经公开招标确定运营机构。")
    page.check(f"input[name=operators][value='{ops.operator.pk}']")
    page.click("#selection-form button")
    page.click("text=签订协议")
    page.select_option("#id_operator", str(ops.operator.pk))
    page.fill("#id_title", "民生数据授权运营协议")
    page.check(f"input[name=registration_codes][value='{ops.people.code}']")
    page.check(f"input[name=registration_codes][value='{ops.stops.code}']")
    page.check("input[name=scenarios]")
    page.fill("#id_start_date", "2026-12-01")
    page.fill("#id_end_date", "2029-11-30")
    page.fill("#id_signed_on", "2026-12-01")
    for name in ("security_duties", "charging_terms", "reporting_duties", "exit_plan"):
        page.fill(f"#id_{name}", "按协议执行")
    page.click("#main-form button")
    page.wait_for_selector("#consent-form")
    snap(page, "operations-journey-1-agreement")
    for code in (ops.people.code, ops.stops.code):
        page.select_option("#consent-form select", code)
        page.fill("#consent-form input[type=date]", "2026-11-28")
        page.click("#consent-form button")
        page.wait_for_selector("text=已记录部门同意")
    log_out(page)

    # The operator applies for two resources for the scenario.
    log_in(page, base, ops.operator_user, "/operations/operator/")
    page.click("text=申请数据使用")
    page.select_option("#id_purpose_class", "industry_development")
    page.fill("#id_purpose", "小微企业信贷风险评估")
    page.fill("#id_security_measures", "在运营专区内处理，结果经审核后输出。")
    people = f"fieldset[data-resource='{ops.people.code}']"
    page.check(f"{people} input[name$=include]")
    page.select_option(f"{people} select", "aggregates_only")
    page.fill(f"{people} input[type=number]", "5")
    page.check(f"{people} input[value='区']")
    page.check(f"{people} input[value='金额']")
    stops = f"fieldset[data-resource='{ops.stops.code}']"
    page.check(f"{stops} input[name$=include]")
    page.select_option(f"{stops} select", "in_domain_rows")
    page.check(f"{stops} input[value='站点']")
    snap(page, "operations-journey-2-apply")
    page.click("#apply-form > button")
    page.wait_for_selector("text=申请已提交")
    log_out(page)

    # The holder, then the agency, approve.
    log_in(page, base, ops.holder, "/operations/holder/")
    page.click("#holder-pending a")
    page.check("input[name=decision][value=approved]")
    page.click("#review-form button")
    page.wait_for_selector("text=审核意见已提交")
    log_out(page)
    log_in(page, base, ops.agency_user, "/operations/agency/")
    page.click("#agency-reviews a")
    page.check("input[name=decision][value=approved]")
    page.click("#review-form button")
    page.wait_for_selector("text=审核意见已提交")
    log_out(page)
    assert Licence.objects.count() == 2

    # The operator's aggregate-only query: small groups suppressed; raw rows refused.
    log_in(page, base, ops.operator_user, "/operations/operator/")
    aggregate = Licence.objects.get(mode="aggregates_only")
    page.click(f"#my-licences a:text('{aggregate.number}')")
    page.select_option("select[name=group_by]", "区")
    page.click("#console-form button")
    result = page.locator("#console-result")
    assert "已抑制 1 个小于 k 的分组" in page.locator("#suppressed").inner_text()
    assert "天河区" in result.inner_text() and "越秀区" not in result.inner_text()
    snap(page, "operations-journey-3-aggregate")
    page.check("input[name=kind][value=records]")
    page.check("input[name=fields][value='区']")
    page.click("#console-form button")
    assert page.locator("#console-error").is_visible()
    assert page.locator("#console-result").count() == 0
    assert "仅提供统计结果" in page.locator("#console-error").inner_text()
    snap(page, "operations-journey-4-refused")
    assert aggregate.access_log.filter(outcome="refused").count() == 1
    assert not errors, errors
