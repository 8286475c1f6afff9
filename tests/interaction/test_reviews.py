"""Ratings (bounds, one per user, editable), comments with abuse reports and moderation,
showcases with moderation, and the reply-timeliness statistics."""

from __future__ import annotations

import pytest

from portal.access import services as access_services
from portal.interaction import services
from portal.interaction.models import AbuseReport, CommentStatus, Rating, ShowcaseStatus
from portal.interaction.selectors import comments_shown, rating_summary, showcases_of_dataset
from portal.interaction.statistics import timeliness_by_channel, timeliness_by_holder
from registry.errors import Conflict, IllegalTransition, NotFound, ValidationFailed
from tests.conftest import at, make_user
from tests.portal.factories import make_dataset


@pytest.fixture
def dataset(world):
    return make_dataset(world, title="广州市公交站点")


@pytest.mark.parametrize("score", [0, 6, -1, "abc", "3.5", 2.5, None, True, ""])
def test_a_rating_outside_one_to_five_is_refused(world, dataset, score):
    with pytest.raises(ValidationFailed) as exc:
        services.rating_set(actor=world.citizen, dataset=dataset, score=score, now=at(2026, 3, 2))
    assert "score" in exc.value.errors
    assert not Rating.objects.exists()


@pytest.mark.parametrize("score", [1, 5, "4"])
def test_ratings_from_one_to_five_are_kept(world, dataset, score):
    rating = services.rating_set(
        actor=world.citizen, dataset=dataset, score=score, now=at(2026, 3, 2)
    )
    assert rating.score == int(score)


def test_one_rating_per_user_and_dataset_which_can_be_changed(world, dataset):
    services.rating_set(actor=world.citizen, dataset=dataset, score=2, now=at(2026, 3, 2))
    services.rating_set(actor=world.citizen, dataset=dataset, score=5, now=at(2026, 3, 3))
    services.rating_set(actor=make_user(), dataset=dataset, score=4, now=at(2026, 3, 3))
    assert Rating.objects.filter(dataset=dataset).count() == 2
    assert rating_summary(dataset) == {"average": 4.5, "count": 2}


def test_a_reported_comment_is_hidden_by_a_moderator_with_a_reason(world, dataset):
    comment = services.comment_create(
        actor=world.citizen, dataset=dataset, body="数据很有用", now=at(2026, 3, 2)
    )
    reporter = make_user()
    services.comment_report_abuse(
        actor=reporter, comment=comment, reason="广告", now=at(2026, 3, 3)
    )
    with pytest.raises(Conflict):
        services.comment_report_abuse(
            actor=reporter, comment=comment, reason="广告", now=at(2026, 3, 3)
        )
    with pytest.raises(Conflict):
        services.comment_report_abuse(
            actor=world.citizen, comment=comment, reason="自己", now=at(2026, 3, 3)
        )
    for outsider in (world.holder, make_user(), make_user(platform_admin=world.zj)):
        with pytest.raises(NotFound):
            services.comment_hide(actor=outsider, comment=comment, reason="x", now=at(2026, 3, 4))
    with pytest.raises(ValidationFailed):
        services.comment_hide(actor=world.gd_admin, comment=comment, reason=" ", now=at(2026, 3, 4))
    services.comment_hide(
        actor=world.gd_admin, comment=comment, reason="含广告信息", now=at(2026, 3, 4)
    )
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN and comment.hidden_reason == "含广告信息"
    assert list(comments_shown(dataset)) == []
    assert AbuseReport.objects.get().resolved_at == at(2026, 3, 4)
    with pytest.raises(IllegalTransition) as exc:
        services.comment_hide(actor=world.gd_admin, comment=comment, reason="x", now=at(2026, 3, 4))
    assert exc.value.extra == {"current_state": "hidden", "allowed_actions": ["restore"]}
    services.comment_restore(actor=world.gd_admin, comment=comment, now=at(2026, 3, 5))
    assert list(comments_shown(dataset)) == [comment]


def test_dismissing_reports_keeps_the_comment_shown(world, dataset):
    comment = services.comment_create(
        actor=world.citizen, dataset=dataset, body="好", now=at(2026, 3, 2)
    )
    services.comment_report_abuse(
        actor=make_user(), comment=comment, reason="不喜欢", now=at(2026, 3, 3)
    )
    services.comment_dismiss_reports(actor=world.gd_admin, comment=comment, now=at(2026, 3, 4))
    assert AbuseReport.objects.get().resolved_at is not None
    assert list(comments_shown(dataset)) == [comment]


def test_a_showcase_is_shown_on_the_dataset_page_only_once_approved(world, dataset):
    showcase = services.showcase_submit(
        actor=world.citizen,
        data={
            "title": "公交到站提醒",
            "description": "小程序",
            "url": "https://example.com/app",
            "kind": "app",
        },
        datasets=[dataset],
        now=at(2026, 3, 2),
    )
    assert showcase.status == ShowcaseStatus.PENDING
    assert list(showcases_of_dataset(dataset)) == []
    with pytest.raises(NotFound):
        services.showcase_moderate(
            actor=world.holder, showcase=showcase, approve=True, reason="", now=at(2026, 3, 3)
        )
    services.showcase_moderate(
        actor=world.gd_admin, showcase=showcase, approve=True, reason="", now=at(2026, 3, 3)
    )
    assert list(showcases_of_dataset(dataset)) == [showcase]
    with pytest.raises(IllegalTransition):
        services.showcase_moderate(
            actor=world.gd_admin, showcase=showcase, approve=False, reason="x", now=at(2026, 3, 4)
        )


def test_a_rejected_showcase_needs_a_reason(world, dataset):
    showcase = services.showcase_submit(
        actor=world.citizen,
        data={"title": "t", "description": "d", "url": "http://example.com", "kind": "website"},
        datasets=[dataset],
        now=at(2026, 3, 2),
    )
    with pytest.raises(ValidationFailed):
        services.showcase_moderate(
            actor=world.gd_admin, showcase=showcase, approve=False, reason="", now=at(2026, 3, 3)
        )
    services.showcase_moderate(
        actor=world.gd_admin,
        showcase=showcase,
        approve=False,
        reason="链接无法访问",
        now=at(2026, 3, 3),
    )
    showcase.refresh_from_db()
    assert showcase.status == ShowcaseStatus.REJECTED


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>",
        "ftp://example.com",
        "https://",
        "http://a b.com",
        "",
    ],
)
def test_showcase_links_must_be_web_addresses(world, dataset, url):
    with pytest.raises(ValidationFailed) as exc:
        services.showcase_submit(
            actor=world.citizen,
            data={"title": "t", "description": "d", "url": url, "kind": "app"},
            datasets=[dataset],
            now=at(2026, 3, 2),
        )
    assert "url" in exc.value.errors


def test_a_showcase_names_the_datasets_used(world):
    with pytest.raises(ValidationFailed) as exc:
        services.showcase_submit(
            actor=world.citizen,
            data={"title": "t", "description": "d", "url": "https://e.com", "kind": "app"},
            datasets=[],
            now=at(2026, 3, 2),
        )
    assert "datasets" in exc.value.errors


def test_timeliness_counts_on_time_late_open_and_overdue_per_channel_and_holder(world, dataset):
    def report(now):
        return services.feedback_create(
            actor=world.citizen,
            kind="error_report",
            dataset=dataset,
            data={"title": "t", "body": "b"},
            now=now,
        )

    on_time = report(at(2026, 3, 2))
    services.feedback_reply(actor=world.holder, feedback=on_time, reply="已改", now=at(2026, 3, 3))
    late = report(at(2026, 3, 2))
    services.feedback_reply(actor=world.holder, feedback=late, reply="已改", now=at(2026, 3, 20))
    report(at(2026, 3, 2))  # open past its deadline
    report(at(2026, 3, 30))  # open within its deadline
    now = at(2026, 4, 1)
    channels = {row.label: row for row in timeliness_by_channel(now)}
    errors = channels["数据纠错"]
    assert (errors.on_time, errors.late, errors.open, errors.overdue) == (1, 1, 1, 1)
    assert errors.on_time_rate == pytest.approx(33.3)
    holders = {row.label: row for row in timeliness_by_holder(now)}
    assert holders[world.holder_org.name].total == 4


def test_access_applications_count_in_the_statistics(world):
    cond = make_dataset(world, title="有条件数据", open_category="conditional")
    data = {"purpose": "p", "scenario": "s", "security_measures": "m", "period_days": 30}
    app = access_services.application_submit(
        applicant=world.citizen, datasets=[cond], data=data, now=at(2026, 3, 2)
    )
    access_services.application_reject(
        actor=world.holder, application=app, reason="不符合", now=at(2026, 3, 3)
    )
    channels = {row.label: row for row in timeliness_by_channel(at(2026, 4, 1))}
    assert channels["数据使用申请"].on_time == 1
