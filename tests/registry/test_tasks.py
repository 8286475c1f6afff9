"""Scheduled work (Celery beat): closing ended notices, flagging overdue applications,
record validity; and one run through a real Celery worker."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from registry import services, signals, tasks
from registry.models import (
    ObjectionStatus,
    RecordStatus,
    Registration,
    RegistrationStatus,
    Resource,
)
from registry.workdays import local_date
from tests.conftest import World, at

S = RegistrationStatus


def status_of(reg: Registration) -> str:
    return Registration.objects.values_list("status", flat=True).get(pk=reg.pk)


# --------------------------------------------------------------------------- closing notices


def test_closing_ended_notices_codes_only_those_ended_without_a_pending_objection(world):
    ended = world.in_notice(now=at(2026, 3, 2), name="已到期公示")
    objected = world.in_notice(now=at(2026, 3, 2), name="有异议公示")
    services.objection_file(
        actor=world.citizen, registration=objected, reason="来源不明", now=at(2026, 3, 5)
    )
    dismissed = world.in_notice(now=at(2026, 3, 2), name="异议已驳回")
    objection = services.objection_file(
        actor=world.citizen, registration=dismissed, reason="来源不明", now=at(2026, 3, 5)
    )
    services.objection_dismiss(
        actor=world.reviewer, objection=objection, reason="来源清楚", now=at(2026, 3, 6)
    )
    running = world.in_notice(now=at(2026, 3, 20), name="公示中")
    sweep_at = at(2026, 3, 25)
    assert ended.notice_end < sweep_at < running.notice_end

    done = services.close_ended_notices(now=sweep_at)

    assert done == 2
    assert status_of(ended) == status_of(dismissed) == S.APPROVED
    assert status_of(objected) == status_of(running) == S.IN_NOTICE
    assert Resource.objects.get(pk=ended.resource_id).code is not None
    assert Resource.objects.get(pk=objected.resource_id).code is None
    assert objected.objections.get().status == ObjectionStatus.PENDING
    # Idempotent: nothing left to do on the next run.
    assert services.close_ended_notices(now=sweep_at) == 0


def test_closing_notices_works_in_batches(world):
    regs = [world.in_notice(now=at(2026, 3, 2), name=f"批量{i}") for i in range(3)]

    first = services.close_ended_notices(now=at(2026, 4, 1), batch=2)
    second = services.close_ended_notices(now=at(2026, 4, 1), batch=2)

    assert (first, second) == (2, 1)
    assert {status_of(r) for r in regs} == {S.APPROVED}


def test_one_notice_that_fails_to_complete_does_not_block_the_others(world, caplog):
    broken = world.in_notice(now=at(2026, 3, 2), name="出错的公示")
    fine = world.in_notice(now=at(2026, 3, 3), name="正常的公示")

    def receiver(sender, resource, registration, **kwargs):
        if registration.pk == broken.pk:
            raise RuntimeError("listener failed")

    signals.record_changed.connect(receiver)
    try:
        done = services.close_ended_notices(now=at(2026, 4, 1))
    finally:
        signals.record_changed.disconnect(receiver)

    assert done == 1
    assert status_of(broken) == S.IN_NOTICE  # rolled back as a whole, retried next run
    assert Resource.objects.get(pk=broken.resource_id).code is None
    assert status_of(fine) == S.APPROVED
    assert f"Could not complete registration {broken.pk}" in caplog.text


# --------------------------------------------------------------------------- overdue


def test_overdue_applications_are_flagged_once(world):
    late = world.submitted(now=at(2026, 3, 2), name="逾期未受理")  # due end of 5 March
    on_time = world.submitted(now=at(2026, 3, 5), name="未逾期")  # due end of 10 March
    sweep_at = at(2026, 3, 6, 9)

    assert services.flag_overdue(now=sweep_at) == 1
    assert services.flag_overdue(now=at(2026, 3, 6, 10)) == 0

    late.refresh_from_db()
    on_time.refresh_from_db()
    assert late.overdue_flagged_at == sweep_at
    assert on_time.overdue_flagged_at is None
    events = late.events.filter(action="flag_overdue")
    assert events.count() == 1
    event = events.get()
    assert event.actor is None
    assert (event.from_status, event.to_status) == (S.SUBMITTED, S.SUBMITTED)
    assert dt.datetime.fromisoformat(event.data["deadline"]) == late.acceptance_deadline
    assert status_of(late) == S.SUBMITTED  # flagging is not a transition


def test_a_new_deadline_can_be_flagged_again(world):
    reg = world.submitted(now=at(2026, 3, 2))
    services.flag_overdue(now=at(2026, 3, 6))
    services.registration_accept(actor=world.reviewer, registration=reg, now=at(2026, 3, 9))
    reg.refresh_from_db()
    assert reg.overdue_flagged_at is None  # acceptance resets the flag for the new deadline

    assert services.flag_overdue(now=reg.review_deadline + dt.timedelta(hours=1)) == 1
    assert reg.events.filter(action="flag_overdue").count() == 2


def test_applications_without_a_running_clock_are_never_flagged(world):
    reg = world.submitted(now=at(2026, 3, 2))
    services.registration_require_supplement(
        actor=world.reviewer,
        registration=reg,
        items=[{"field": "summary", "message": "补充"}],
        now=at(2026, 3, 3),
    )
    world.draft(name="草稿")

    assert services.flag_overdue(now=at(2026, 6, 1)) == 0


# --------------------------------------------------------------------------- validity


@pytest.fixture
def record_events():
    seen = []

    def receiver(sender, resource, event, registration, now, **kwargs):
        seen.append((resource.pk, event, registration, now))

    signals.record_changed.connect(receiver)
    yield seen
    signals.record_changed.disconnect(receiver)


def test_records_are_marked_expiring_then_expired(world, record_events):
    record = Resource.objects.get(pk=world.coded(now=at(2026, 3, 2)).resource_id)
    fresh = Resource.objects.get(pk=world.coded(now=at(2026, 9, 1), name="新记录").resource_id)
    assert record.valid_until == dt.date(2029, 3, 17)
    record_events.clear()

    warned = services.update_record_validity(now=at(2029, 1, 2))  # 74 days before
    record.refresh_from_db()
    assert warned == {"expiring": 1, "expired": 0}
    assert record.status == RecordStatus.EXPIRING
    assert record_events == []

    expire_at = at(2029, 3, 18)
    result = services.update_record_validity(now=expire_at)
    record.refresh_from_db()
    fresh.refresh_from_db()
    assert result == {"expiring": 0, "expired": 1}
    assert record.status == RecordStatus.EXPIRED
    assert fresh.status == RecordStatus.ACTIVE
    assert record_events == [(record.pk, "expired", None, expire_at)]

    assert services.update_record_validity(now=expire_at) == {"expiring": 0, "expired": 0}
    assert len(record_events) == 1


def test_a_record_still_valid_on_its_last_day_is_not_expired(world):
    record = Resource.objects.get(pk=world.coded(now=at(2026, 3, 2)).resource_id)

    services.update_record_validity(now=at(2029, 3, 17, 23, 59))

    record.refresh_from_db()
    assert record.status == RecordStatus.EXPIRING


def test_deregistered_records_are_left_alone(world):
    record = Resource.objects.get(pk=world.coded(now=at(2026, 3, 2)).resource_id)
    Resource.objects.filter(pk=record.pk).update(status=RecordStatus.DEREGISTERED)

    assert services.update_record_validity(now=at(2030, 1, 1)) == {"expiring": 0, "expired": 0}
    record.refresh_from_db()
    assert record.status == RecordStatus.DEREGISTERED


def test_the_expiry_warning_period_is_configurable(world, settings):
    settings.REGISTRY_EXPIRING_WARNING_DAYS = 30
    record = Resource.objects.get(pk=world.coded(now=at(2026, 3, 2)).resource_id)

    assert services.update_record_validity(now=at(2029, 1, 2))["expiring"] == 0
    assert services.update_record_validity(now=at(2029, 2, 20))["expiring"] == 1
    record.refresh_from_db()
    assert record.status == RecordStatus.EXPIRING


# --------------------------------------------------------------------------- a real worker


def test_a_real_worker_closes_an_ended_notice(
    reference_data_restored, transactional_db, worker_app
):
    from celery.contrib.testing.worker import start_worker

    app, queue = worker_app
    world = World()
    reg = world.in_notice(now=at(2025, 3, 3))  # long over by any real clock running this

    with start_worker(app, queues=[queue], perform_ping_check=False, shutdown_timeout=30):
        result = tasks.close_ended_notices.apply_async(queue=queue)
        done = result.get(timeout=60)

    assert done == 1
    reg.refresh_from_db()
    assert reg.status == S.APPROVED
    record = Resource.objects.get(pk=reg.resource_id)
    assert record.status == RecordStatus.ACTIVE
    # Issued by the worker at the real current time: region, type digit, this year.
    assert record.code.startswith(f"4400001{local_date(timezone.now()).year}")
