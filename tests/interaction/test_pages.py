"""The interaction pages: the dataset page's panel (rate, comment, report, showcases, error
reports), lists with deadlines, answering from the inbox, moderation, statistics, and escaping
of every user-written text."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.interaction import services
from portal.interaction.models import Comment, DataRequest, Feedback, Rating, Showcase
from tests.conftest import at, make_user
from tests.portal.factories import make_dataset

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture
def dataset(world):
    return make_dataset(world, title="广州市公交站点")


def dataset_page(client, dataset) -> str:
    return client.get(reverse("dataset-detail", args=[dataset.slug])).content.decode()


def test_the_dataset_page_links_to_rating_comments_error_reports_and_showcases(
    client, world, dataset
):
    anonymous = dataset_page(client, dataset)
    assert "评价与互动" in anonymous and "登录后评分和评论" in anonymous
    client.force_login(world.citizen)
    page = dataset_page(client, dataset)
    assert reverse("interaction:rate", args=[dataset.slug]) in page
    assert reverse("interaction:comment", args=[dataset.slug]) in page
    assert (
        reverse("interaction:feedback-create", args=["error_report"]) + f"?dataset={dataset.slug}"
        in page
    )
    assert reverse("interaction:showcase-create") + f"?dataset={dataset.slug}" in page


def test_rating_and_commenting_from_the_dataset_page(client, world, dataset):
    client.force_login(world.citizen)
    assert (
        client.post(reverse("interaction:rate", args=[dataset.slug]), {"score": 4}).status_code
        == 302
    )
    assert (
        client.post(reverse("interaction:rate", args=[dataset.slug]), {"score": 9}).status_code
        == 302
    )
    assert Rating.objects.get().score == 4
    client.post(reverse("interaction:comment", args=[dataset.slug]), {"body": "字段说明很清楚"})
    page = dataset_page(client, dataset)
    assert "字段说明很清楚" in page and "4.0 分（1 人评分）" in page


def test_a_hidden_comment_disappears_from_the_dataset_page(client, world, dataset):
    comment = services.comment_create(
        actor=world.citizen, dataset=dataset, body="垃圾广告内容", now=at(2026, 3, 2)
    )
    reporter = make_user()
    client.force_login(reporter)
    response = client.post(
        reverse("interaction:comment-report", args=[comment.pk]), {"reason": "广告"}
    )
    assert response.status_code == 302
    client.force_login(world.gd_admin)
    queue = client.get(reverse("interaction:moderation")).content.decode()
    assert "垃圾广告内容" in queue and 'badge badge-bad">1<' in queue
    client.post(
        reverse("interaction:comment-moderate", args=[comment.pk]),
        {"decision": "hide", "reason": "广告"},
    )
    assert Comment.objects.get().status == "hidden"
    assert "垃圾广告内容" not in dataset_page(client, dataset)


def test_the_moderation_queue_is_404_for_non_admins(client, world):
    client.force_login(world.holder)
    assert client.get(reverse("interaction:moderation")).status_code == 404


def test_request_list_shows_the_deadline_and_the_holder_answers_from_the_inbox(
    client, world, dataset
):
    req = services.request_create(
        actor=world.citizen,
        data={"title": "共享单车数据", "description": "停放点"},
        holder=world.holder_org,
        now=at(2026, 3, 2),
    )
    listing = client.get(reverse("interaction:request-list")).content.decode()
    assert "共享单车数据" in listing and "答复期限" in listing and "2026-03-16" in listing
    client.force_login(world.holder)
    inbox = client.get(reverse("interaction:inbox")).content.decode()
    assert "共享单车数据" in inbox
    response = client.post(
        reverse("interaction:request-answer", args=[req.pk]),
        {"action": "decline", "reply": "该数据涉及企业商业秘密。"},
    )
    assert response.status_code == 302
    detail = client.get(reverse("interaction:request-detail", args=[req.pk])).content.decode()
    assert "该数据涉及企业商业秘密。" in detail and "不予提供" in detail


def test_an_outsider_cannot_answer_from_the_page(client, world):
    req = services.request_create(
        actor=world.citizen,
        data={"title": "t", "description": "d"},
        holder=world.holder_org,
        now=at(2026, 3, 2),
    )
    client.force_login(world.other_holder)
    assert (
        client.post(
            reverse("interaction:request-answer", args=[req.pk]), {"action": "accept", "reply": "x"}
        ).status_code
        == 404
    )
    assert DataRequest.objects.get().status == "open"


def test_an_error_report_from_the_page_and_its_reply(client, world, dataset):
    client.force_login(world.citizen)
    url = reverse("interaction:feedback-create", args=["error_report"])
    response = client.post(
        url, {"title": "坐标偏移", "body": "天河客运站位置错误", "dataset": dataset.pk}
    )
    item = Feedback.objects.get()
    assert response.status_code == 302 and item.holder == world.holder_org
    client.force_login(world.holder)
    client.post(reverse("interaction:feedback-reply", args=[item.pk]), {"reply": "已核实更正。"})
    page = dataset_page(client, dataset)
    assert "坐标偏移" in page and "已核实更正。" in page and "按时答复" in page


def test_unknown_feedback_kinds_are_404(client):
    assert client.get("/interaction/feedback/praise/").status_code == 404


def test_the_statistics_page_shows_each_channel(client, world, dataset):
    services.feedback_create(
        actor=world.citizen,
        kind="complaint",
        dataset=dataset,
        data={"title": "t", "body": "b"},
        now=at(2026, 1, 5),
    )
    body = client.get(reverse("interaction:statistics")).content.decode()
    for channel in ("数据使用申请", "数据需求", "数据纠错", "意见建议", "投诉"):
        assert channel in body
    assert world.holder_org.name in body


def test_a_showcase_appears_on_the_dataset_page_after_approval(client, world, dataset):
    client.force_login(world.citizen)
    response = client.post(
        reverse("interaction:showcase-create"),
        {
            "title": "公交助手",
            "description": "到站提醒",
            "url": "https://example.com",
            "kind": "app",
            "datasets": [dataset.pk],
        },
    )
    assert response.status_code == 302
    showcase = Showcase.objects.get()
    assert "公交助手" not in dataset_page(client, dataset)
    client.force_login(world.gd_admin)
    client.post(
        reverse("interaction:showcase-moderate", args=[showcase.pk]), {"decision": "approve"}
    )
    assert "公交助手" in dataset_page(client, dataset)


def test_a_pending_showcase_is_404_for_strangers(client, world, dataset):
    showcase = services.showcase_submit(
        actor=world.citizen,
        data={"title": "t", "description": "d", "url": "https://e.com", "kind": "app"},
        datasets=[dataset],
        now=at(2026, 3, 2),
    )
    client.force_login(make_user())
    assert client.get(reverse("interaction:showcase-detail", args=[showcase.pk])).status_code == 404
    client.force_login(world.citizen)
    assert client.get(reverse("interaction:showcase-detail", args=[showcase.pk])).status_code == 200


def test_user_written_text_is_escaped_everywhere_it_is_shown(client, world, dataset):
    now = at(2026, 3, 2)
    req = services.request_create(
        actor=world.citizen,
        data={"title": XSS, "description": XSS},
        holder=world.holder_org,
        now=now,
    )
    services.request_answer(actor=world.holder, request=req, action="decline", reply=XSS, now=now)
    item = services.feedback_create(
        actor=world.citizen,
        kind="error_report",
        dataset=dataset,
        data={"title": XSS, "body": XSS},
        now=now,
    )
    services.feedback_reply(actor=world.holder, feedback=item, reply=XSS, now=now)
    open_item = services.feedback_create(
        actor=world.citizen,
        kind="suggestion",
        dataset=dataset,
        data={"title": XSS, "body": XSS},
        now=now,
    )
    comment = services.comment_create(actor=world.citizen, dataset=dataset, body=XSS, now=now)
    services.comment_report_abuse(actor=make_user(), comment=comment, reason=XSS, now=now)
    showcase = services.showcase_submit(
        actor=world.citizen,
        data={
            "title": XSS,
            "description": XSS,
            "url": 'https://e.com/"><script>x</script>',
            "kind": "app",
        },
        datasets=[dataset],
        now=now,
    )
    services.showcase_moderate(
        actor=world.gd_admin, showcase=showcase, approve=True, reason="", now=now
    )
    pages = [
        reverse("dataset-detail", args=[dataset.slug]),
        reverse("interaction:request-list"),
        reverse("interaction:request-detail", args=[req.pk]),
        reverse("interaction:feedback-list", args=["error_report"]),
        reverse("interaction:feedback-detail", args=[item.pk]),
        reverse("interaction:feedback-detail", args=[open_item.pk]),
        reverse("interaction:showcase-list"),
        reverse("interaction:showcase-detail", args=[showcase.pk]),
        reverse("interaction:inbox"),
        reverse("interaction:moderation"),
        reverse("interaction:mine"),
    ]
    for user in (world.holder, world.gd_admin, world.citizen):
        client.force_login(user)
        for url in pages:
            response = client.get(url)
            if response.status_code == 404:
                continue
            body = response.content.decode()
            assert "<script>alert" not in body and "<script>x</script>" not in body, url
            assert "onerror=alert(1)>" not in body.replace("&gt;", ""), url
    client.force_login(world.holder)
    detail = client.get(reverse("interaction:request-detail", args=[req.pk])).content.decode()
    assert detail.count(ESCAPED) >= 3


def test_refused_page_actions_say_why_and_change_nothing(client, world, dataset):
    req = services.request_create(
        actor=world.citizen,
        data={"title": "t", "description": "d"},
        holder=world.holder_org,
        now=at(2026, 3, 2),
    )
    client.force_login(world.citizen)
    own = client.post(reverse("interaction:request-support", args=[req.pk]), follow=True)
    assert "不能支持自己提出的需求" in own.content.decode()
    item = services.feedback_create(
        actor=world.citizen,
        kind="suggestion",
        dataset=dataset,
        data={"title": "t", "body": "b"},
        now=at(2026, 3, 2),
    )
    client.force_login(world.holder)
    url = reverse("interaction:feedback-reply", args=[item.pk])
    client.post(url, {"reply": "第一次答复"})
    second = client.post(url, {"reply": "第二次答复"}, follow=True).content.decode()
    assert "操作未执行" in second
    item.refresh_from_db()
    assert item.reply == "第一次答复"
