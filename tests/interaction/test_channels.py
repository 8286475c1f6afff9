"""Data requests, error reports, suggestions and complaints: lifecycles, public replies,
working-day deadlines (across the Spring Festival), who may answer, support once."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.interaction import services
from portal.interaction.models import FeedbackStatus, InteractionEvent, RequestStatus
from registry.errors import Conflict, IllegalTransition, NotFound, ValidationFailed
from tests.conftest import SHANGHAI, at, make_user
from tests.portal.factories import make_dataset


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.max, tzinfo=SHANGHAI)


@pytest.fixture
def dataset(world):
    return make_dataset(world, title="广州市公交站点")


def ask(world, *, holder=None, now=None):
    return services.request_create(
        actor=world.citizen,
        data={"title": "希望开放共享单车停放点数据", "description": "用于出行规划。"},
        holder=holder if holder is not None else world.holder_org,
        now=now or at(2026, 3, 2),
    )


def test_a_data_request_is_accepted_then_published_with_public_replies(world, dataset):
    req = ask(world)
    assert req.status == RequestStatus.OPEN
    assert req.reply_deadline == end_of(dt.date(2026, 3, 16))  # 10 working days
    services.request_answer(
        actor=world.holder,
        request=req,
        action="accept",
        reply="已列入开放计划。",
        now=at(2026, 3, 5),
    )
    req.refresh_from_db()
    assert req.status == RequestStatus.ACCEPTED and req.replied_at == at(2026, 3, 5)
    services.request_answer(
        actor=world.holder,
        request=req,
        action="publish",
        reply="已开放。",
        dataset=dataset,
        now=at(2026, 4, 1),
    )
    req.refresh_from_db()
    assert req.status == RequestStatus.PUBLISHED and req.dataset == dataset
    assert req.reply == "已开放。" and req.replied_at == at(2026, 3, 5)  # the first reply counts
    actions = InteractionEvent.objects.filter(subject="request", subject_id=req.pk)
    assert list(actions.values_list("action", flat=True)) == ["create", "accept", "publish"]


def test_declining_needs_a_reason_and_ends_the_request(world):
    req = ask(world)
    with pytest.raises(ValidationFailed) as exc:
        services.request_answer(
            actor=world.holder, request=req, action="decline", reply=" ", now=at(2026, 3, 3)
        )
    assert "reply" in exc.value.errors
    services.request_answer(
        actor=world.holder,
        request=req,
        action="decline",
        reply="涉及个人信息，不予提供。",
        now=at(2026, 3, 3),
    )
    with pytest.raises(IllegalTransition) as exc:
        services.request_answer(
            actor=world.holder, request=req, action="accept", reply="x", now=at(2026, 3, 4)
        )
    assert exc.value.extra == {"current_state": "declined", "allowed_actions": []}


def test_publishing_needs_a_published_dataset(world):
    req = ask(world)
    with pytest.raises(ValidationFailed) as exc:
        services.request_answer(
            actor=world.holder, request=req, action="publish", reply="已开放", now=at(2026, 3, 3)
        )
    assert "dataset" in exc.value.errors


def test_only_the_holder_or_an_overseeing_admin_answers(world):
    req = ask(world)
    for outsider in (world.other_holder, make_user(), make_user(platform_admin=world.zj)):
        with pytest.raises(NotFound):
            services.request_answer(
                actor=outsider, request=req, action="accept", reply="x", now=at(2026, 3, 3)
            )
    services.request_answer(
        actor=world.gd_admin, request=req, action="accept", reply="平台已督办。", now=at(2026, 3, 3)
    )


def test_a_request_to_no_holder_goes_to_the_national_admin(world):
    req = services.request_create(
        actor=world.citizen,
        data={"title": "t", "description": "d"},
        holder=None,
        now=at(2026, 3, 2),
    )
    with pytest.raises(NotFound):
        services.request_answer(
            actor=world.gd_admin, request=req, action="accept", reply="x", now=at(2026, 3, 3)
        )
    national_admin = make_user(platform_admin=world.national)
    services.request_answer(
        actor=national_admin,
        request=req,
        action="accept",
        reply="转交相关部门。",
        now=at(2026, 3, 3),
    )


def test_others_support_a_request_once_each(world):
    req = ask(world)
    fan = make_user()
    services.request_support(actor=fan, request=req, now=at(2026, 3, 3))
    services.request_support(actor=make_user(), request=req, now=at(2026, 3, 3))
    req.refresh_from_db()
    assert req.support_count == 2
    with pytest.raises(Conflict):
        services.request_support(actor=fan, request=req, now=at(2026, 3, 4))
    with pytest.raises(Conflict):
        services.request_support(actor=world.citizen, request=req, now=at(2026, 3, 4))
    req.refresh_from_db()
    assert req.support_count == 2


def test_an_error_report_is_due_in_five_working_days_across_the_spring_festival(world, dataset):
    # Thu 12 Feb 2026; Sat 14 Feb is a make-up working day, 15–23 Feb are the holiday:
    # 13, 14, 24, 25, 26 Feb.
    report = services.feedback_create(
        actor=world.citizen,
        kind="error_report",
        dataset=dataset,
        data={"title": "站点坐标错误", "body": "天河客运站经纬度偏移约 2 公里。"},
        now=at(2026, 2, 12),
    )
    assert report.reply_deadline == end_of(dt.date(2026, 2, 26))
    assert report.holder == world.holder_org


def test_the_error_report_period_is_configurable(world, dataset, settings):
    settings.INTERACTION_ERROR_REPORT_WORKING_DAYS = 10
    report = services.feedback_create(
        actor=world.citizen,
        kind="error_report",
        dataset=dataset,
        data={"title": "t", "body": "b"},
        now=at(2026, 2, 12),
    )
    assert report.reply_deadline == end_of(dt.date(2026, 3, 4))


def test_the_error_report_period_is_at_most_ten_working_days(monkeypatch):
    import importlib

    import pytest as _pytest
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("INTERACTION_ERROR_REPORT_WORKING_DAYS", "11")
    import config.settings.base as base

    with _pytest.raises(ImproperlyConfigured):
        importlib.reload(base)
    monkeypatch.delenv("INTERACTION_ERROR_REPORT_WORKING_DAYS")
    importlib.reload(base)


def test_an_error_report_must_name_a_dataset(world):
    with pytest.raises(ValidationFailed) as exc:
        services.feedback_create(
            actor=world.citizen,
            kind="error_report",
            dataset=None,
            data={"title": "t", "body": "b"},
            now=at(2026, 3, 2),
        )
    assert "dataset" in exc.value.errors


@pytest.mark.parametrize("kind", ["suggestion", "complaint"])
def test_suggestions_and_complaints_get_one_public_reply(world, dataset, kind):
    item = services.feedback_create(
        actor=world.citizen,
        kind=kind,
        dataset=dataset,
        data={"title": "建议增加字段", "body": "增加线路名称。"},
        now=at(2026, 3, 2),
    )
    assert item.reply_deadline == end_of(dt.date(2026, 3, 16))
    with pytest.raises(NotFound):
        services.feedback_reply(
            actor=world.other_holder, feedback=item, reply="x", now=at(2026, 3, 3)
        )
    services.feedback_reply(
        actor=world.holder, feedback=item, reply="感谢建议，下期增加。", now=at(2026, 3, 3)
    )
    item.refresh_from_db()
    assert item.status == FeedbackStatus.REPLIED and item.replied_by == world.holder
    with pytest.raises(IllegalTransition):
        services.feedback_reply(
            actor=world.holder, feedback=item, reply="again", now=at(2026, 3, 4)
        )


def test_a_platform_complaint_goes_to_the_national_admin(world):
    item = services.feedback_create(
        actor=world.citizen,
        kind="complaint",
        dataset=None,
        data={"title": "网站打不开", "body": "下载页面报错。"},
        now=at(2026, 3, 2),
    )
    assert item.holder is None
    with pytest.raises(NotFound):
        services.feedback_reply(actor=world.gd_admin, feedback=item, reply="x", now=at(2026, 3, 3))
    services.feedback_reply(
        actor=make_user(platform_admin=world.national),
        feedback=item,
        reply="已修复。",
        now=at(2026, 3, 3),
    )


def test_empty_or_oversized_text_is_refused_with_the_field(world, dataset):
    with pytest.raises(ValidationFailed) as exc:
        services.feedback_create(
            actor=world.citizen,
            kind="suggestion",
            dataset=None,
            data={"title": "x" * 201, "body": "\x00  "},
            now=at(2026, 3, 2),
        )
    assert exc.value.errors == {
        "title": ["At most 200 characters."],
        "body": ["This field is required."],
    }
    with pytest.raises(ValidationFailed) as exc:
        services.feedback_create(
            actor=world.citizen,
            kind="praise",
            dataset=None,
            data={"title": "t", "body": "b"},
            now=at(2026, 3, 2),
        )
    assert "kind" in exc.value.errors
