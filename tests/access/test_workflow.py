"""Applications for conditional data: working-day deadlines, the one-time extension, decisions,
grants that start, expire and are revoked on time, usage reports and overdue flags."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from portal.access import services
from portal.access.models import ApplicationEvent, ApplicationStatus, Grant, GrantStatus
from portal.selectors import can_download
from registry.errors import Conflict, IllegalTransition, NotFound, ValidationFailed
from tests.access.conftest import approve, other_conditional, submit
from tests.conftest import SHANGHAI, at, make_user
from tests.portal.factories import make_dataset


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.max, tzinfo=SHANGHAI)


def test_the_review_deadline_counts_ten_working_days_across_national_day(world, cond):
    # Submitted on Wed 30 Sep 2026; 1–7 Oct are the National Day holiday, Sat 10 Oct is a
    # make-up working day: the 10th working day after 30 Sep is Tue 20 Oct.
    app = submit(cond, world.citizen, now=at(2026, 9, 30))
    assert app.review_deadline == end_of(dt.date(2026, 10, 20))
    assert app.status == ApplicationStatus.SUBMITTED
    assert ApplicationEvent.objects.filter(application=app, action="submit").count() == 1


def test_the_review_period_is_configurable(world, cond, settings):
    settings.ACCESS_REVIEW_WORKING_DAYS = 3
    app = submit(cond, world.citizen, now=at(2026, 9, 30))
    assert app.review_deadline == end_of(dt.date(2026, 10, 10))  # a make-up Saturday


def test_the_holder_extends_once_by_fifteen_working_days_with_a_reason(world, cond):
    app = submit(cond, world.citizen, now=at(2026, 9, 1))
    before = app.review_deadline  # Tue 15 Sep
    app = services.application_extend(
        actor=world.holder, application=app, reason="需征求数据来源部门意见。", now=at(2026, 9, 10)
    )
    # 15 working days after 15 Sep, across National Day: 16–30 Sep are 11 (with Sun 20 Sep a
    # make-up day), then 8, 9, 10 (Sat) and 12 Oct.
    assert before == end_of(dt.date(2026, 9, 15))
    assert app.review_deadline == end_of(dt.date(2026, 10, 12))
    assert app.extension_reason == "需征求数据来源部门意见。"
    with pytest.raises(IllegalTransition) as second:
        services.application_extend(
            actor=world.holder, application=app, reason="再次延期", now=at(2026, 9, 11)
        )
    assert second.value.extra == {
        "current_state": "submitted",
        "allowed_actions": ["approve", "reject", "withdraw"],
    }


def test_an_extension_needs_a_reason(world, cond):
    app = submit(cond, world.citizen)
    with pytest.raises(ValidationFailed) as exc:
        services.application_extend(
            actor=world.holder, application=app, reason="  ", now=at(2026, 9, 10)
        )
    assert "reason" in exc.value.errors


def test_conditional_access_before_and_after_approval_and_after_revocation(world, cond):
    citizen = world.citizen
    assert not can_download(user=citizen, dataset=cond)
    app = submit(cond, citizen)
    assert not can_download(user=citizen, dataset=cond)
    grant = approve(app, world.holder)
    assert grant.user == citizen and list(grant.datasets.all()) == [cond]
    assert can_download(user=citizen, dataset=cond)
    assert not can_download(user=make_user(), dataset=cond)
    services.grant_revoke(
        actor=world.holder, grant=grant, reason="违反约定用途。", now=dt.datetime.now(dt.UTC)
    )
    assert not can_download(user=citizen, dataset=cond)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.REVOKED and grant.revoke_reason == "违反约定用途。"


def test_a_grant_stops_working_at_its_expiry_even_before_the_sweep(world, cond):
    with time_machine.travel(at(2026, 5, 4, 9), tick=False):
        app = submit(cond, world.citizen, period_days=30)
        grant = approve(app, world.holder, granted_days=10)
    assert grant.expires_at == at(2026, 5, 14, 9)
    with time_machine.travel(at(2026, 5, 14, 8, 59), tick=False):
        assert can_download(user=world.citizen, dataset=cond)
    with time_machine.travel(at(2026, 5, 14, 9, 0), tick=False):
        assert not can_download(user=world.citizen, dataset=cond)
        assert Grant.objects.get(pk=grant.pk).status == GrantStatus.ACTIVE
        assert services.grants_expire(now=at(2026, 5, 14, 9, 0)) == 1
    grant.refresh_from_db()
    assert grant.status == GrantStatus.EXPIRED and grant.expired_at == at(2026, 5, 14, 9)
    assert services.grants_expire(now=at(2026, 5, 15)) == 0
    assert ApplicationEvent.objects.filter(application=app, action="expire").count() == 1


def test_the_expiry_task_runs_the_sweep(world, cond):
    from portal.access.tasks import expire_grants

    with time_machine.travel(at(2026, 5, 4, 9), tick=False):
        grant = approve(submit(cond, world.citizen), world.holder, granted_days=1)
    with time_machine.travel(at(2026, 5, 5, 9, 1), tick=False):
        assert expire_grants() == 1
    grant.refresh_from_db()
    assert grant.status == GrantStatus.EXPIRED


def test_an_expired_grant_cannot_be_revoked(world, cond):
    grant = approve(
        submit(cond, world.citizen, now=at(2026, 5, 4)),
        world.holder,
        now=at(2026, 5, 4),
        granted_days=1,
    )
    with pytest.raises(IllegalTransition) as exc:
        services.grant_revoke(actor=world.holder, grant=grant, reason="x", now=at(2026, 5, 6))
    assert exc.value.extra["current_state"] == "expired"


def test_the_granted_period_is_at_most_what_was_asked_for(world, cond):
    app = submit(cond, world.citizen, period_days=30)
    with pytest.raises(ValidationFailed) as exc:
        approve(app, world.holder, granted_days=31)
    assert exc.value.errors == {"granted_days": ["Must be from 1 to 30."]}
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED and not Grant.objects.exists()


def test_a_rejection_needs_a_reason_and_is_final(world, cond):
    app = submit(cond, world.citizen)
    with pytest.raises(ValidationFailed):
        services.application_reject(
            actor=world.holder, application=app, reason="", now=at(2026, 9, 2)
        )
    services.application_reject(
        actor=world.holder, application=app, reason="用途不明确。", now=at(2026, 9, 2)
    )
    app.refresh_from_db()
    assert app.status == ApplicationStatus.REJECTED and app.decision_reason == "用途不明确。"
    with pytest.raises(IllegalTransition) as exc:
        approve(app, world.holder)
    assert exc.value.extra == {"current_state": "rejected", "allowed_actions": []}
    assert not can_download(user=world.citizen, dataset=cond)


def test_only_the_holders_staff_decide(world, cond):
    app = submit(cond, world.citizen)
    for outsider in (world.other_holder, make_user(), world.gd_admin):
        with pytest.raises(NotFound):
            approve(app, outsider)
    with pytest.raises(NotFound):
        services.application_withdraw(actor=world.holder, application=app, now=at(2026, 9, 2))


def test_applying_is_refused_for_open_data_other_holders_and_the_holders_own_staff(
    world, cond, shenzhen
):
    open_dataset = make_dataset(world, title="公交站点")
    with pytest.raises(ValidationFailed):
        submit(open_dataset, world.citizen)
    with pytest.raises(ValidationFailed):
        submit(cond, world.holder)
    other = other_conditional(world, shenzhen)
    with pytest.raises(ValidationFailed) as exc:
        services.application_submit(
            applicant=world.citizen,
            datasets=[cond, other],
            data={"purpose": "a", "scenario": "b", "security_measures": "c", "period_days": 5},
            now=at(2026, 9, 1),
        )
    assert "datasets" in exc.value.errors


def test_every_required_field_is_named_when_missing(world, cond):
    with pytest.raises(ValidationFailed) as exc:
        services.application_submit(
            applicant=world.citizen,
            datasets=[cond],
            data={"purpose": " ", "period_days": "0"},
            now=at(2026, 9, 1),
        )
    assert set(exc.value.errors) == {"purpose", "scenario", "security_measures", "period_days"}


def test_a_second_pending_application_for_the_same_dataset_is_a_conflict(world, cond):
    submit(cond, world.citizen)
    with pytest.raises(Conflict):
        submit(cond, world.citizen)


def test_the_applicant_withdraws_while_under_review(world, cond):
    app = submit(cond, world.citizen)
    services.application_withdraw(actor=world.citizen, application=app, now=at(2026, 9, 2))
    app.refresh_from_db()
    assert app.status == ApplicationStatus.WITHDRAWN
    with pytest.raises(IllegalTransition):
        approve(app, world.holder)


def test_usage_reports_are_due_at_the_grants_interval_and_overdue_ones_show(world, cond):
    start = at(2026, 3, 2)
    grant = approve(
        submit(cond, world.citizen, now=start, period_days=365),
        world.holder,
        now=start,
        report_interval_days=30,
    )
    assert grant.next_report_due == start + dt.timedelta(days=30)
    assert not grant.report_overdue_at(start + dt.timedelta(days=29))
    assert grant.report_overdue_at(start + dt.timedelta(days=31))
    late = start + dt.timedelta(days=33)
    report = services.usage_report_submit(
        actor=world.citizen, grant=grant, content="完成客流分析报告一份。", now=late
    )
    assert not report.on_time and report.period_start == start
    grant.refresh_from_db()
    # Late by more than nothing but less than a period: the next one is one interval after the
    # one just covered.
    assert grant.next_report_due == start + dt.timedelta(days=60)
    on_time = services.usage_report_submit(
        actor=world.citizen, grant=grant, content="第二期。", now=start + dt.timedelta(days=50)
    )
    assert on_time.on_time and on_time.period_start == late


def test_only_the_grantee_reports_and_only_while_the_grant_is_valid(world, cond):
    grant = approve(
        submit(cond, world.citizen, now=at(2026, 3, 2)),
        world.holder,
        now=at(2026, 3, 2),
        granted_days=10,
    )
    with pytest.raises(NotFound):
        services.usage_report_submit(
            actor=make_user(), grant=grant, content="x", now=at(2026, 3, 3)
        )
    with pytest.raises(IllegalTransition):
        services.usage_report_submit(
            actor=world.citizen, grant=grant, content="x", now=at(2026, 3, 20)
        )
    with pytest.raises(ValidationFailed):
        services.usage_report_submit(
            actor=world.citizen, grant=grant, content=" ", now=at(2026, 3, 3)
        )


def test_overdue_applications_are_flagged_once(world, cond):
    app = submit(cond, world.citizen, now=at(2026, 9, 1))
    assert services.applications_flag_overdue(now=at(2026, 9, 15, 23)) == 0
    assert services.applications_flag_overdue(now=at(2026, 9, 16, 0, 1)) == 1
    assert services.applications_flag_overdue(now=at(2026, 9, 17)) == 0
    app.refresh_from_db()
    assert app.overdue_flagged_at == at(2026, 9, 16, 0, 1)


def test_a_withdrawn_dataset_is_not_downloadable_even_with_a_grant(world, cond):
    approve(submit(cond, world.citizen), world.holder)
    cond.status = "withdrawn"
    cond.save(update_fields=["status"])
    assert not can_download(user=world.citizen, dataset=cond)


def test_the_overdue_task_runs_the_flagging_sweep(world, cond):
    from portal.access.tasks import flag_overdue_applications

    with time_machine.travel(at(2026, 9, 1), tick=False):
        submit(cond, world.citizen)
    with time_machine.travel(at(2026, 9, 16, 9), tick=False):
        assert flag_overdue_applications() == 1
        assert flag_overdue_applications() == 0


def test_the_beat_schedule_runs_both_sweeps(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "portal.access.tasks.expire_grants",
        "portal.access.tasks.flag_overdue_applications",
    } <= tasks
