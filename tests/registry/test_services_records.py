"""Records after the code: change, correction and deregistration create versions (or end the
record); history is immutable; the event log is append-only."""

from __future__ import annotations

import datetime as dt

import pytest

from registry import services, signals
from registry.errors import Conflict, NotFound, ValidationFailed
from registry.models import (
    RecordStatus,
    Registration,
    RegistrationEvent,
    RegistrationStatus,
    Resource,
    ResourceVersion,
)
from registry.workdays import local_date
from tests.conftest import at, pdf

S = RegistrationStatus
CODED_AT = at(2026, 3, 2)


@pytest.fixture
def record(world) -> Resource:
    reg = world.coded(now=CODED_AT)
    return Resource.objects.get(pk=reg.resource_id)


def follow_up(world, record, kind, *, data=None, reason="业务调整", now=None, attach=True):
    now = now or at(2026, 5, 6)
    reg = services.registration_create_followup(
        actor=world.holder,
        resource=record,
        registration_type=kind,
        data=data,
        reason=reason,
        now=now,
    )
    if attach:
        services.attachment_add(
            actor=world.holder, registration=reg, kind="commitment", upload=pdf(), now=now
        )
    return reg


def through_review(world, reg, *, now) -> Registration:
    """Submit, accept, pass review and, if noticed, complete after the notice."""
    services.registration_submit(actor=world.holder, registration=reg, now=now)
    services.registration_accept(actor=world.reviewer, registration=reg, now=now)
    reg = services.registration_approve_review(actor=world.reviewer, registration=reg, now=now)
    if reg.status == S.IN_NOTICE:
        reg = services.registration_complete(
            registration=reg, now=reg.notice_end + dt.timedelta(seconds=1)
        )
    return reg


@pytest.fixture
def record_events():
    seen = []

    def receiver(sender, resource, event, registration, now, **kwargs):
        seen.append((resource.pk, event))

    signals.record_changed.connect(receiver)
    yield seen
    signals.record_changed.disconnect(receiver)


def test_a_change_creates_version_2_keeps_the_code_and_renews_validity(
    world, record, record_events
):
    code, v1 = record.code, record.current_version
    reg = follow_up(world, record, "change", data={"summary": "新增票价字段。"})
    assert reg.registration_type == "change" and reg.status == S.DRAFT
    assert reg.name == v1.name  # starts from the current version

    reg = through_review(world, reg, now=at(2026, 5, 6))

    record.refresh_from_db()
    v1.refresh_from_db()
    assert reg.status == S.APPROVED
    assert record.code == code
    assert record.current_version.number == 2
    assert record.current_version.summary == "新增票价字段。"
    assert v1.summary == "全市公交线路、站点位置及首末班时间。"  # history unchanged
    # Notice from Wednesday 6 May: 10 working days, counting the make-up Saturday 9 May, end
    # on Tuesday 19 May; completed just after, on 20 May; validity renewed from that date.
    assert local_date(reg.notice_end) == dt.date(2026, 5, 19)
    assert record.valid_until == dt.date(2029, 5, 20)
    assert record.status == RecordStatus.ACTIVE
    assert (record.pk, "changed") in record_events


def test_a_correction_skips_notice_by_default_and_does_not_renew_validity(world, record):
    valid_until = record.valid_until
    reg = follow_up(world, record, "correction", data={"contact_phone": "020-87654321"})

    reg = through_review(world, reg, now=at(2026, 5, 6))

    record.refresh_from_db()
    assert reg.status == S.APPROVED
    assert reg.notice_start is None and reg.notice_end is None
    assert record.current_version.number == 2
    assert record.current_version.contact_phone == "020-87654321"
    assert record.valid_until == valid_until
    actions = list(reg.events.values_list("action", flat=True))
    assert "start_notice" not in actions and actions[-1] == "complete"


def test_corrections_go_through_notice_when_configured(world, record, settings):
    settings.REGISTRY_NOTICE_TYPES = ["initial", "change", "correction", "deregistration"]
    reg = follow_up(world, record, "correction", data={"contact_name": "李四"})
    services.registration_submit(actor=world.holder, registration=reg, now=at(2026, 5, 6))
    services.registration_accept(actor=world.reviewer, registration=reg, now=at(2026, 5, 6))

    reg = services.registration_approve_review(
        actor=world.reviewer, registration=reg, now=at(2026, 5, 6)
    )

    assert reg.status == S.IN_NOTICE and reg.notice_end is not None


def test_versions_count_up_across_changes_and_corrections(world, record):
    through_review(
        world, follow_up(world, record, "change", data={"domain": "公共交通"}), now=at(2026, 5, 6)
    )
    through_review(
        world,
        follow_up(world, record, "correction", data={"domain": "城市公共交通"}, now=at(2026, 6, 1)),
        now=at(2026, 6, 1),
    )

    numbers = list(record.versions.order_by("number").values_list("number", "domain"))
    assert numbers == [(1, "交通出行"), (2, "公共交通"), (3, "城市公共交通")]
    record.refresh_from_db()
    assert record.current_version.number == 3


def test_deregistration_ends_the_record_and_keeps_its_code_and_history(
    world, record, record_events
):
    code, version = record.code, record.current_version
    reg = follow_up(world, record, "deregistration", data={"name": "ignored"}, reason="系统下线")
    assert reg.name == version.name  # data is ignored for a deregistration

    reg = through_review(world, reg, now=at(2026, 5, 6))

    record.refresh_from_db()
    assert record.status == RecordStatus.DEREGISTERED
    assert record.deregistered_at == reg.decided_at
    assert record.code == code
    assert record.current_version == version
    assert record.versions.count() == 1
    assert (record.pk, "deregistered") in record_events


def test_a_deregistration_must_state_its_reason(world, record):
    reg = follow_up(world, record, "deregistration", reason="   ")

    with pytest.raises(ValidationFailed) as caught:
        services.registration_submit(actor=world.holder, registration=reg, now=at(2026, 5, 6))

    assert caught.value.errors == {"reason": ["A deregistration must state its reason."]}


def test_a_deregistration_carries_no_metadata_changes(world, record):
    reg = follow_up(world, record, "deregistration")

    with pytest.raises(ValidationFailed) as caught:
        services.registration_update(
            actor=world.holder, registration=reg, data={"name": "新名称"}, now=at(2026, 5, 6)
        )

    assert list(caught.value.errors) == ["name"]


def test_a_second_open_application_on_the_same_record_is_a_conflict(world, record):
    follow_up(world, record, "change", data={"domain": "公交"})

    with pytest.raises(Conflict):
        follow_up(world, record, "deregistration", attach=False)

    assert record.registrations.filter(status=S.DRAFT).count() == 1


def test_after_the_first_follow_up_ends_another_may_be_filed(world, record):
    first = follow_up(world, record, "change", data={"domain": "公交"})
    services.registration_withdraw(actor=world.holder, registration=first, now=at(2026, 5, 7))

    second = follow_up(world, record, "correction", data={"domain": "公交出行"}, attach=False)

    assert second.status == S.DRAFT


def test_an_expired_record_can_only_be_deregistered(world, record):
    Resource.objects.filter(pk=record.pk).update(status=RecordStatus.EXPIRED)

    for kind in ("change", "correction"):
        with pytest.raises(Conflict) as caught:
            follow_up(world, record, kind, data={"domain": "x"}, attach=False)
        assert caught.value.extra == {"current_state": "expired"}
    reg = through_review(world, follow_up(world, record, "deregistration"), now=at(2026, 5, 6))

    record.refresh_from_db()
    assert reg.status == S.APPROVED and record.status == RecordStatus.DEREGISTERED


def test_an_expiring_record_may_be_changed_and_becomes_active_again(world, record):
    Resource.objects.filter(pk=record.pk).update(status=RecordStatus.EXPIRING)

    through_review(
        world, follow_up(world, record, "change", data={"domain": "公交"}), now=at(2026, 5, 6)
    )

    record.refresh_from_db()
    assert record.status == RecordStatus.ACTIVE


@pytest.mark.parametrize("status", [RecordStatus.PENDING, RecordStatus.DEREGISTERED])
def test_an_uncoded_or_deregistered_record_takes_no_follow_up(world, record, status):
    Resource.objects.filter(pk=record.pk).update(status=status)

    with pytest.raises(Conflict):
        follow_up(world, record, "change", data={"domain": "x"}, attach=False)


def test_an_initial_type_is_not_a_follow_up(world, record):
    with pytest.raises(ValidationFailed) as caught:
        follow_up(world, record, "initial", attach=False)

    assert "registration_type" in caught.value.errors


def test_another_holder_cannot_file_a_follow_up(world, record):
    with pytest.raises(NotFound):
        services.registration_create_followup(
            actor=world.other_holder,
            resource=record,
            registration_type="deregistration",
            data=None,
            reason="恶意注销",
            now=at(2026, 5, 6),
        )


def test_a_follow_up_on_a_record_that_does_not_exist_is_not_found(world):
    with pytest.raises(NotFound):
        services.registration_create_followup(
            actor=world.holder,
            resource=Resource(pk=987654321),
            registration_type="change",
            data={},
            reason="",
            now=at(2026, 5, 6),
        )


# --------------------------------------------------------------------------- immutability


def test_a_resource_version_cannot_be_saved_again_or_deleted(record):
    version = record.current_version
    version.summary = "篡改"

    with pytest.raises(ValueError, match="immutable"):
        version.save()
    with pytest.raises(ValueError, match="immutable"):
        version.delete()

    assert ResourceVersion.objects.get(pk=version.pk).summary != "篡改"


def test_registration_events_are_append_only(record):
    event = RegistrationEvent.objects.filter(registration__resource=record).first()
    event.reason = "改写历史"

    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()

    assert RegistrationEvent.objects.get(pk=event.pk).reason == ""
