"""The reviewer's side: acceptance, supplement (一次性告知), not accepted, formal review,
public notice, completion; separation of duties and platform scope."""

from __future__ import annotations

import datetime as dt

import pytest

from registry import services
from registry.errors import NotFound, PermissionDenied, ValidationFailed
from registry.models import RecordStatus, RegistrationStatus, Resource
from registry.workdays import SHANGHAI
from tests.conftest import at, make_org, make_user

S = RegistrationStatus
MON = at(2026, 3, 2)


def last_event(reg):
    return reg.events.order_by("-id").first()


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.max, tzinfo=SHANGHAI)


def test_accepting_starts_formal_review_with_a_deadline(world):
    reg = world.submitted()

    reg = services.registration_accept(actor=world.reviewer, registration=reg, now=at(2026, 3, 3))

    assert reg.status == S.UNDER_REVIEW
    assert reg.accepted_at == at(2026, 3, 3)
    # 10 working days after Tuesday 3 March: Tuesday 17 March.
    assert reg.review_deadline == end_of(dt.date(2026, 3, 17))
    event = last_event(reg)
    assert (event.action, event.from_status, event.to_status) == (
        "accept",
        S.SUBMITTED,
        S.UNDER_REVIEW,
    )
    assert event.actor == world.reviewer


def test_a_supplement_notice_lists_every_item_and_stops_the_clock(world):
    reg = world.submitted()
    items = [
        {"field": "data_items", "message": "  请补充字段说明 "},
        {"field": "attachments", "message": "承诺书未盖章"},
        {"message": "联系人电话无法接通"},
    ]

    reg = services.registration_require_supplement(
        actor=world.reviewer, registration=reg, items=items, now=at(2026, 3, 3)
    )

    assert reg.status == S.SUPPLEMENT_REQUIRED
    assert reg.acceptance_deadline is None
    assert reg.current_deadline is None
    expected = [
        {"field": "data_items", "message": "请补充字段说明"},
        {"field": "attachments", "message": "承诺书未盖章"},
        {"field": "general", "message": "联系人电话无法接通"},
    ]
    assert reg.supplement_items == expected
    event = last_event(reg)
    assert event.action == "require_supplement" and event.data == {"items": expected}
    assert event.actor == world.reviewer


@pytest.mark.parametrize(
    "items",
    [[], None, "缺材料", [{"field": "x", "message": "   "}], ["not an object"]],
)
def test_a_supplement_notice_without_proper_items_is_refused(world, items):
    reg = world.submitted()

    with pytest.raises(ValidationFailed):
        services.registration_require_supplement(
            actor=world.reviewer, registration=reg, items=items, now=MON
        )

    reg.refresh_from_db()
    assert reg.status == S.SUBMITTED


def test_resubmission_after_a_supplement_restarts_the_acceptance_clock(world):
    reg = world.submitted(now=MON)
    services.registration_require_supplement(
        actor=world.reviewer,
        registration=reg,
        items=[{"field": "summary", "message": "摘要太短"}],
        now=at(2026, 3, 3),
    )
    services.registration_update(
        actor=world.holder,
        registration=reg,
        data={"summary": "全市公交线路、站点位置、首末班时间及票价。"},
        now=at(2026, 3, 9),
    )

    reg = services.registration_submit(actor=world.holder, registration=reg, now=at(2026, 3, 9))

    assert reg.status == S.SUBMITTED
    assert reg.submitted_at == at(2026, 3, 9)
    # Counted from the resubmission (Monday 9 March), not from the first submission.
    assert reg.acceptance_deadline == end_of(dt.date(2026, 3, 12))
    assert reg.supplement_items == [{"field": "summary", "message": "摘要太短"}]
    event = last_event(reg)
    assert (event.from_status, event.to_status) == (S.SUPPLEMENT_REQUIRED, S.SUBMITTED)


def test_not_accepting_needs_a_reason_and_ends_the_application(world):
    reg = world.submitted()

    with pytest.raises(ValidationFailed) as caught:
        services.registration_not_accept(
            actor=world.reviewer, registration=reg, reason=" \u3000 ", now=MON
        )
    reg = services.registration_not_accept(
        actor=world.reviewer, registration=reg, reason="不属于公共数据", now=at(2026, 3, 3)
    )

    assert caught.value.errors == {"reason": ["This field is required."]}
    assert reg.status == S.NOT_ACCEPTED
    assert reg.decided_at == at(2026, 3, 3)
    assert reg.decision_reason == "不属于公共数据"
    event = last_event(reg)
    assert (event.action, event.reason, event.actor) == (
        "not_accept",
        "不属于公共数据",
        world.reviewer,
    )


def test_a_reason_longer_than_2000_characters_is_refused(world):
    reg = world.under_review()

    with pytest.raises(ValidationFailed) as caught:
        services.registration_reject(
            actor=world.reviewer, registration=reg, reason="理" * 2001, now=MON
        )

    assert caught.value.errors == {"reason": ["At most 2000 characters."]}


def test_returning_for_correction_then_resubmitting_restarts_review(world):
    reg = world.under_review(now=MON)

    reg = services.registration_return(
        actor=world.reviewer, registration=reg, reason="数据项类型填写有误", now=at(2026, 3, 4)
    )
    assert reg.status == S.RETURNED
    assert reg.review_deadline is None
    assert reg.decision_reason == "数据项类型填写有误"
    assert last_event(reg).reason == "数据项类型填写有误"

    services.registration_update(
        actor=world.holder,
        registration=reg,
        data={"data_items": [{"name": "线路编号", "type": "string", "description": "编号"}]},
        now=at(2026, 3, 10),
    )
    reg = services.registration_submit(actor=world.holder, registration=reg, now=at(2026, 3, 10))

    assert reg.status == S.UNDER_REVIEW
    # 10 working days after Tuesday 10 March: Tuesday 24 March.
    assert reg.review_deadline == end_of(dt.date(2026, 3, 24))
    event = last_event(reg)
    assert (event.action, event.from_status, event.to_status) == (
        "resubmit",
        S.RETURNED,
        S.UNDER_REVIEW,
    )


def test_rejecting_ends_the_application(world):
    reg = world.under_review()

    reg = services.registration_reject(
        actor=world.reviewer, registration=reg, reason="材料虚假", now=at(2026, 3, 5)
    )

    assert reg.status == S.REJECTED
    assert reg.decided_at == at(2026, 3, 5)
    assert last_event(reg).to_status == S.REJECTED
    assert Resource.objects.get(pk=reg.resource_id).code is None


def test_passing_formal_review_opens_a_ten_working_day_notice(world):
    reg = world.under_review()

    reg = services.registration_approve_review(
        actor=world.reviewer, registration=reg, now=at(2026, 3, 5)
    )

    assert reg.status == S.IN_NOTICE
    assert reg.notice_start == at(2026, 3, 5)
    # 10 working days after Thursday 5 March: Thursday 19 March.
    assert reg.notice_end == end_of(dt.date(2026, 3, 19))
    assert reg.review_deadline is None
    event = last_event(reg)
    assert (event.action, event.from_status, event.to_status) == (
        "start_notice",
        S.UNDER_REVIEW,
        S.IN_NOTICE,
    )


def test_completing_an_ended_notice_issues_the_code_and_activates_the_record(world):
    reg = world.in_notice(now=MON)
    moment = reg.notice_end + dt.timedelta(minutes=1)

    reg = services.registration_complete(actor=world.reviewer, registration=reg, now=moment)

    record = Resource.objects.get(pk=reg.resource_id)
    assert reg.status == S.APPROVED and reg.decided_at == moment
    assert record.status == RecordStatus.ACTIVE
    assert record.registered_at == moment
    assert record.current_version.number == 1
    assert record.current_version.name == reg.name
    assert record.valid_until == dt.date(2029, 3, 17)  # three years from the Shanghai date
    event = last_event(reg)
    assert event.action == "complete" and event.data == {"code": record.code}
    assert event.actor == world.reviewer
    assert record.search_vector is not None


def test_the_sweeper_completes_without_an_actor(world):
    reg = world.in_notice()

    reg = services.registration_complete(
        registration=reg, now=reg.notice_end + dt.timedelta(seconds=1)
    )

    assert last_event(reg).actor is None


def test_validity_is_configurable(world, settings):
    settings.REGISTRY_VALIDITY_YEARS = 5

    reg = world.coded(now=MON)

    assert Resource.objects.get(pk=reg.resource_id).valid_until.year == 2031


# --------------------------------------------------------------------------- who may decide


def test_a_reviewer_who_is_also_holder_staff_may_not_decide(world):
    dual = make_user(reviewer=world.gd, holder_staff=world.holder_org)
    reg = world.submitted()

    with pytest.raises(PermissionDenied):
        services.registration_accept(actor=dual, registration=reg, now=MON)

    reg.refresh_from_db()
    assert reg.status == S.SUBMITTED


def test_a_reviewer_who_filed_as_agent_may_not_decide(world):
    from registry.models import AgentMandate

    agent_org = make_org("代理公司", org_type="agent")
    dual = make_user(reviewer=world.gd, agent=agent_org)
    AgentMandate.objects.create(
        agent=agent_org,
        principal=world.holder_org,
        valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2026, 12, 31),
    )
    reg = world.draft(user=dual)

    with pytest.raises(PermissionDenied):
        services.registration_not_accept(actor=dual, registration=reg, reason="自己审自己", now=MON)


def test_a_reviewer_of_another_province_gets_not_found(world):
    reg = world.submitted()

    with pytest.raises(NotFound):
        services.registration_accept(actor=world.zj_reviewer, registration=reg, now=MON)

    reg.refresh_from_db()
    assert reg.status == S.SUBMITTED


@pytest.mark.parametrize("persona", ["citizen", "gd_admin", "holder", "national_reviewer"])
def test_only_a_reviewer_of_the_filing_platform_may_decide(world, persona):
    reg = world.submitted()

    with pytest.raises(NotFound):
        services.registration_accept(actor=getattr(world, persona), registration=reg, now=MON)


def test_national_reviewers_act_on_national_platform_applications(world):
    reg = world.submitted(user=world.central_holder, holder=world.central_org)

    with pytest.raises(NotFound):
        services.registration_accept(actor=world.reviewer, registration=reg, now=MON)
    reg = services.registration_accept(actor=world.national_reviewer, registration=reg, now=MON)

    assert reg.status == S.UNDER_REVIEW
    assert last_event(reg).actor == world.national_reviewer


def test_a_registration_that_does_not_exist_is_not_found(world):
    from registry.models import Registration

    with pytest.raises(NotFound):
        services.registration_accept(
            actor=world.reviewer, registration=Registration(pk=987654321), now=MON
        )
