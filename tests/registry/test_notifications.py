"""Staff e-mail about applications past their deadline: one message per reviewer or
administrator of the platform after each sweep, listing that platform's newly overdue
applications; at least once (a mail-server failure marks nothing and the next sweep sends);
again for a new deadline; never to another platform's staff."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from registry import notifications, services, tasks
from registry.models import Registration
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
