"""Public notice (公示): objections during the notice, their decisions, and completion."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from registry import services
from registry.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from registry.models import ObjectionStatus, RegistrationStatus, Resource
from registry.workdays import local_date
from tests.conftest import at, make_user

S = RegistrationStatus
MON = at(2026, 3, 2)
DURING = at(2026, 3, 10)


@pytest.fixture
def notice(world):
    reg = world.in_notice(now=MON)
    assert reg.notice_end > DURING
    return reg


def object_to(world, reg, *, actor=None, reason="该数据含未脱敏的个人信息", now=DURING):
    return services.objection_file(
        actor=actor or world.citizen,
        registration=reg,
        reason=reason,
        contact="13800000000",
        now=now,
    )


def test_anyone_logged_in_may_object_during_the_notice(world, notice):
    objection = object_to(world, notice)

    assert objection.status == ObjectionStatus.PENDING
    assert objection.objector == world.citizen
    assert objection.contact == "13800000000"
    assert objection.created_at == DURING
    event = notice.events.order_by("-id").first()
    assert (event.action, event.actor, event.data) == (
        "object",
        world.citizen,
        {"objection": objection.pk},
    )
    notice.refresh_from_db()
    assert notice.status == S.IN_NOTICE


def test_an_anonymous_objection_is_refused(world, notice):
    with pytest.raises(PermissionDenied):
        object_to(world, notice, actor=AnonymousUser())

    assert not notice.objections.exists()


def test_an_objection_after_the_notice_ended_is_a_conflict(world, notice):
    with pytest.raises(Conflict) as caught:
        object_to(world, notice, now=notice.notice_end + dt.timedelta(seconds=1))

    assert list(caught.value.extra) == ["notice_end"]
    assert dt.datetime.fromisoformat(caught.value.extra["notice_end"]) == notice.notice_end
    assert not notice.objections.exists()


def test_an_objection_on_the_last_moment_of_the_notice_is_accepted(world, notice):
    objection = object_to(world, notice, now=notice.notice_end)

    assert objection.pk is not None


@pytest.mark.parametrize("reason", ["", "   ", "\x00", "理" * 2001])
def test_an_objection_needs_a_reason_of_sensible_length(world, notice, reason):
    with pytest.raises(ValidationFailed) as caught:
        object_to(world, notice, reason=reason)

    assert "reason" in caught.value.errors


def test_an_overlong_contact_is_refused(world, notice):
    with pytest.raises(ValidationFailed) as caught:
        services.objection_file(
            actor=world.citizen, registration=notice, reason="异议", contact="1" * 201, now=DURING
        )

    assert "contact" in caught.value.errors
    assert not notice.objections.exists()


@pytest.mark.parametrize("outcome", [S.RETURNED, S.REJECTED])
def test_an_upheld_objection_ends_the_notice_and_dismisses_the_others(world, notice, outcome):
    upheld = object_to(world, notice)
    other = object_to(world, notice, actor=make_user(), reason="重复登记")

    services.objection_uphold(
        actor=world.reviewer2, objection=upheld, reason="确含个人信息", outcome=outcome, now=DURING
    )

    notice.refresh_from_db()
    upheld.refresh_from_db()
    other.refresh_from_db()
    assert notice.status == outcome
    assert notice.decision_reason == "确含个人信息"
    assert (notice.decided_at == DURING) is (outcome == S.REJECTED)
    assert (upheld.status, upheld.decided_by, upheld.decided_at) == (
        ObjectionStatus.UPHELD,
        world.reviewer2,
        DURING,
    )
    assert other.status == ObjectionStatus.DISMISSED
    assert other.decided_by == world.reviewer2
    event = notice.events.order_by("-id").first()
    assert (event.action, event.from_status, event.to_status, event.reason) == (
        "uphold_objection",
        S.IN_NOTICE,
        outcome,
        "确含个人信息",
    )


def test_an_objection_needs_a_known_outcome_to_be_upheld(world, notice):
    objection = object_to(world, notice)

    with pytest.raises(ValidationFailed) as caught:
        services.objection_uphold(
            actor=world.reviewer, objection=objection, reason="成立", outcome="approved", now=DURING
        )

    assert "outcome" in caught.value.errors
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.PENDING


def test_a_dismissed_objection_lets_the_notice_run_to_its_code(world, notice):
    objection = object_to(world, notice)

    services.objection_dismiss(
        actor=world.reviewer, objection=objection, reason="数据已脱敏", now=DURING
    )

    objection.refresh_from_db()
    notice.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED
    assert objection.decision_reason == "数据已脱敏"
    assert notice.status == S.IN_NOTICE
    assert notice.events.order_by("-id").first().action == "dismiss_objection"
    reg = services.registration_complete(
        registration=notice, now=notice.notice_end + dt.timedelta(seconds=1)
    )
    assert reg.status == S.APPROVED


def test_completing_while_an_objection_is_pending_is_a_conflict(world, notice):
    object_to(world, notice)

    with pytest.raises(Conflict) as caught:
        services.registration_complete(
            registration=notice, now=notice.notice_end + dt.timedelta(days=1)
        )

    assert caught.value.extra == {"current_state": S.IN_NOTICE}
    notice.refresh_from_db()
    assert notice.status == S.IN_NOTICE
    assert Resource.objects.get(pk=notice.resource_id).code is None


def test_completing_before_the_notice_ends_is_a_conflict(world, notice):
    with pytest.raises(Conflict) as caught:
        services.registration_complete(actor=world.reviewer, registration=notice, now=DURING)

    assert dt.datetime.fromisoformat(caught.value.extra["notice_end"]) == notice.notice_end
    notice.refresh_from_db()
    assert notice.status == S.IN_NOTICE


def test_a_returned_application_goes_through_a_new_notice(world, notice):
    objection = object_to(world, notice)
    services.objection_uphold(
        actor=world.reviewer, objection=objection, reason="需脱敏", outcome="returned", now=DURING
    )
    services.registration_update(
        actor=world.holder,
        registration=notice,
        data={"summary": "已脱敏的公交线路站点数据。"},
        now=at(2026, 3, 11),
    )
    services.registration_submit(actor=world.holder, registration=notice, now=at(2026, 3, 11))

    reg = services.registration_approve_review(
        actor=world.reviewer, registration=notice, now=at(2026, 3, 12)
    )

    assert reg.status == S.IN_NOTICE
    assert reg.notice_start == at(2026, 3, 12)
    assert local_date(reg.notice_end) == dt.date(2026, 3, 26)
    reg = services.registration_complete(
        registration=reg, now=reg.notice_end + dt.timedelta(seconds=1)
    )
    assert reg.status == S.APPROVED


def test_objections_are_decided_only_by_reviewers_of_the_platform(world, notice):
    objection = object_to(world, notice)
    dual = make_user(reviewer=world.gd, holder_staff=world.holder_org)

    with pytest.raises(NotFound):
        services.objection_dismiss(
            actor=world.zj_reviewer, objection=objection, reason="不成立", now=DURING
        )
    with pytest.raises(NotFound):
        services.objection_dismiss(
            actor=world.citizen, objection=objection, reason="不成立", now=DURING
        )
    with pytest.raises(PermissionDenied):
        services.objection_dismiss(actor=dual, objection=objection, reason="不成立", now=DURING)

    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.PENDING
