"""Staff e-mail about applications past their deadline: one message per reviewer or
administrator of the platform after each sweep, listing that platform's newly overdue
applications; at least once (a mail-server failure marks nothing and the next sweep sends);
again for a new deadline; never to another platform's staff."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from registry import notifications, services, tasks
from registry.models import Registration, Resource
from tests.conftest import World, at, make_user

SWEEP = at(2026, 3, 6, 9)


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server is down")


def _emails(world) -> None:
    User = get_user_model()
    for user, email in (
        (world.reviewer, "reviewer@gd.example.cn"),
        (world.reviewer2, "reviewer2@gd.example.cn"),
        (world.gd_admin, "admin@gd.example.cn"),
        (world.zj_reviewer, "reviewer@zj.example.cn"),
    ):
        User.objects.filter(pk=user.pk).update(email=email)
    gone = make_user("gd_reviewer_left", reviewer=world.gd)
    User.objects.filter(pk=gone.pk).update(email="left@gd.example.cn", is_active=False)
    make_user("gd_reviewer_no_mail", reviewer=world.gd)  # no address: nobody to send to


def _by_recipient() -> dict[str, mail.EmailMessage]:
    return {m.to[0]: m for m in mail.outbox}


def test_each_platforms_staff_get_one_message_listing_their_overdue_applications(world):
    _emails(world)
    first = world.submitted(now=at(2026, 3, 2), name="逾期未受理的数据一")
    second = world.submitted(now=at(2026, 3, 2), name="逾期未受理的数据二")
    on_time = world.submitted(now=at(2026, 3, 5), name="未逾期的数据")
    zj = world.submitted(
        now=at(2026, 3, 2),
        name="浙江逾期数据",
        user=world.other_holder,
        holder=world.other_holder_org,
    )
    assert services.flag_overdue(now=SWEEP) == 3

    assert notifications.notify_overdue(now=SWEEP) == 3

    sent = _by_recipient()
    assert set(sent) == {
        "reviewer@gd.example.cn",
        "reviewer2@gd.example.cn",
        "admin@gd.example.cn",
        "reviewer@zj.example.cn",
    }
    gd = sent["reviewer@gd.example.cn"]
    assert gd.subject == f"【{world.gd.name}】2 件登记申请已超过办理时限"
    for reg in (first, second):
        assert reg.name in gd.body
        assert reverse("registry:queue-detail", args=[reg.pk]) in gd.body
    assert on_time.name not in gd.body and zj.name not in gd.body
    assert "待受理" in gd.body and "2026-03-05" in gd.body
    zj_body = sent["reviewer@zj.example.cn"].body
    assert zj.name in zj_body and first.name not in zj_body
    assert set(
        Registration.objects.filter(overdue_notified_at=SWEEP).values_list("pk", flat=True)
    ) == {first.pk, second.pk, zj.pk}
    # Nothing new: nothing sent again.
    mail.outbox.clear()
    assert notifications.notify_overdue(now=at(2026, 3, 6, 10)) == 0
    assert mail.outbox == []


def test_a_mail_server_failure_marks_nothing_and_the_next_sweep_sends(world, settings):
    _emails(world)
    reg = world.submitted(now=at(2026, 3, 2))
    services.flag_overdue(now=SWEEP)
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"

    with pytest.raises(ConnectionRefusedError):
        notifications.notify_overdue(now=SWEEP)

    reg.refresh_from_db()
    assert reg.overdue_notified_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications.notify_overdue(now=at(2026, 3, 6, 10)) == 1
    assert len(mail.outbox) == 3  # the two GD reviewers and the GD administrator


def test_a_new_deadline_is_notified_again(world):
    _emails(world)
    reg = world.submitted(now=at(2026, 3, 2))
    services.flag_overdue(now=SWEEP)
    notifications.notify_overdue(now=SWEEP)
    services.registration_accept(actor=world.reviewer, registration=reg, now=at(2026, 3, 9))
    reg.refresh_from_db()
    assert reg.overdue_flagged_at is None and reg.overdue_notified_at is None
    mail.outbox.clear()

    late = reg.review_deadline.replace(hour=23)
    services.flag_overdue(now=late)
    assert notifications.notify_overdue(now=late) == 1
    assert "形式审核中" in mail.outbox[0].body


def test_notifications_can_be_switched_off(world, settings):
    _emails(world)
    settings.REGISTRY_NOTIFY_OVERDUE = False
    world.submitted(now=at(2026, 3, 2))
    services.flag_overdue(now=SWEEP)
    assert notifications.notify_overdue(now=SWEEP) == 0
    assert mail.outbox == []


def test_the_sweep_task_on_a_real_worker_flags_and_sends(
    reference_data_restored, transactional_db, worker_app
):
    from celery.contrib.testing.worker import start_worker

    app, queue = worker_app
    world = World()
    _emails(world)
    reg = world.submitted(now=at(2025, 3, 3))  # long overdue by any real clock running this

    with start_worker(app, queues=[queue], perform_ping_check=False, shutdown_timeout=30):
        flagged = tasks.flag_overdue_registrations.apply_async(queue=queue).get(timeout=60)

    assert flagged == 1
    reg.refresh_from_db()
    assert reg.overdue_flagged_at is not None and reg.overdue_notified_at is not None
    assert {m.to[0] for m in mail.outbox} == {
        "reviewer@gd.example.cn",
        "reviewer2@gd.example.cn",
        "admin@gd.example.cn",
    }


# --------------------------------------------------------------------------- expiring records


def _holder_emails(world) -> None:
    User = get_user_model()
    User.objects.filter(pk=world.holder.pk).update(email="staff@gzjt.example.cn")
    User.objects.filter(pk=world.other_holder.pk).update(email="staff@hzsj.example.cn")


def _expiring(world, **kw):
    record = world.coded(**kw).resource
    record.refresh_from_db()
    sweep = at(record.valid_until.year, record.valid_until.month, 1) - dt.timedelta(days=30)
    services.update_record_validity(now=sweep)
    record.refresh_from_db()
    assert record.status == "expiring"
    return record, sweep


def test_a_registrants_staff_are_told_once_about_their_expiring_records(world):
    _holder_emails(world)
    first, sweep = _expiring(world, name="即将到期的数据一")
    second, _ = _expiring(world, name="即将到期的数据二")
    world.coded(name="仍然有效的数据", now=at(2027, 3, 2))  # expires a year later

    assert notifications.notify_expiring(now=sweep) == 2

    [message] = mail.outbox
    assert message.to == ["staff@gzjt.example.cn"]
    assert message.subject == "【登记到期提醒】广州市交通运输局有 2 项登记即将到期"
    for record in (first, second):
        assert record.code in message.body
        assert reverse("registry:followup-create", args=[record.code]) in message.body
    assert "仍然有效的数据" not in message.body
    assert first.valid_until.isoformat() in message.body
    first.refresh_from_db()
    assert first.expiry_notified_for == first.valid_until
    mail.outbox.clear()
    assert notifications.notify_expiring(now=sweep) == 0
    assert mail.outbox == []


def test_a_renewed_record_is_told_again_before_its_next_expiry(world):
    _holder_emails(world)
    record, sweep = _expiring(world)
    notifications.notify_expiring(now=sweep)
    mail.outbox.clear()
    later = record.valid_until.replace(year=record.valid_until.year + 3)
    Resource.objects.filter(pk=record.pk).update(valid_until=later)  # as a renewal moves it

    assert notifications.notify_expiring(now=sweep) == 1
    assert later.isoformat() in mail.outbox[0].body


def test_an_expiry_notice_that_fails_marks_nothing(world, settings):
    _holder_emails(world)
    record, sweep = _expiring(world)
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with pytest.raises(ConnectionRefusedError):
        notifications.notify_expiring(now=sweep)
    record.refresh_from_db()
    assert record.expiry_notified_for is None
    settings.REGISTRY_NOTIFY_EXPIRING = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications.notify_expiring(now=sweep) == 0 and mail.outbox == []
