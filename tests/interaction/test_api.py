"""The interaction API: public reads without authors, login to write, mass assignment refused,
answering outside one's scope 404, illegal transitions 409, rating bounds 400."""

from __future__ import annotations

import pytest

from portal.interaction.models import Comment, DataRequest, Feedback, Rating, Showcase
from tests.conftest import make_user
from tests.portal.factories import make_dataset

BASE = "/api/v1/portal/interaction/"


def post(client, path, body):
    return client.post(BASE + path, body, content_type="application/json")


@pytest.fixture
def dataset(world):
    return make_dataset(world, title="广州市公交站点")


def test_a_request_is_created_supported_and_answered_publicly(client, world, dataset):
    requester = make_user("requester_private_name")
    client.force_login(requester)
    created = post(
        client,
        "requests/",
        {"title": "共享单车数据", "description": "停放点", "holder": world.holder_org.pk},
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == "open" and created.json()["reply_deadline"]
    client.force_login(make_user())
    assert post(client, f"requests/{pk}/support", {}).json()["support_count"] == 1
    again = post(client, f"requests/{pk}/support", {})
    assert again.status_code == 409
    assert (
        post(client, f"requests/{pk}/answer", {"action": "accept", "reply": "x"}).status_code == 404
    )
    client.force_login(world.holder)
    answered = post(
        client,
        f"requests/{pk}/answer",
        {"action": "publish", "reply": "已开放", "dataset": dataset.slug},
    )
    assert answered.status_code == 200 and answered.json()["status"] == "published"
    assert answered.json()["dataset"] == dataset.slug
    late = post(client, f"requests/{pk}/answer", {"action": "decline", "reply": "x"})
    assert late.status_code == 409 and late.json()["current_state"] == "published"
    client.logout()
    public = client.get(BASE + "requests/").content.decode()
    assert "已开放" in public and "requester_private_name" not in public


@pytest.mark.parametrize(
    "path,body,field",
    [
        ("requests/", {"title": "t", "description": "d", "status": "published"}, "status"),
        ("requests/", {"title": "t", "description": "d", "support_count": 99}, "support_count"),
        ("requests/", {"title": "t", "description": "d", "reply": "已答复"}, "reply"),
        (
            "feedback/",
            {"kind": "suggestion", "title": "t", "body": "b", "status": "replied"},
            "status",
        ),
        (
            "feedback/",
            {"kind": "suggestion", "title": "t", "body": "b", "replied_at": "2026-01-01"},
            "replied_at",
        ),
        ("feedback/", {"kind": "suggestion", "title": "t", "body": "b", "author": 1}, "author"),
        (
            "showcases/",
            {
                "title": "t",
                "description": "d",
                "url": "https://e.com",
                "kind": "app",
                "datasets": [],
                "status": "approved",
            },
            "status",
        ),
    ],
)
def test_mass_assignment_of_status_reply_or_author_is_refused(client, world, path, body, field):
    client.force_login(world.citizen)
    response = post(client, path, body)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not DataRequest.objects.exists() and not Feedback.objects.exists()
    assert not Showcase.objects.exists()


def test_writing_needs_a_login_but_reading_does_not(client, dataset):
    assert post(client, "requests/", {"title": "t", "description": "d"}).status_code in (401, 403)
    assert client.get(BASE + "requests/").status_code == 200
    assert client.get(BASE + "feedback/?kind=error_report").status_code == 200
    assert client.get(BASE + f"datasets/{dataset.slug}/rating").json() == {
        "average": None,
        "count": 0,
        "mine": None,
    }
    assert client.get(BASE + "statistics").status_code == 200


def test_an_error_report_is_answered_by_the_holder_only(client, world, dataset):
    client.force_login(world.citizen)
    created = post(
        client,
        "feedback/",
        {"kind": "error_report", "title": "坐标错", "body": "偏移", "dataset": dataset.slug},
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    missing = post(client, "feedback/", {"kind": "error_report", "title": "t", "body": "b"})
    assert missing.status_code == 400 and "dataset" in missing.json()["errors"]
    client.force_login(world.other_holder)
    assert post(client, f"feedback/{pk}/reply", {"reply": "x"}).status_code == 404
    client.force_login(world.holder)
    assert post(client, f"feedback/{pk}/reply", {"reply": "已更正"}).json()["status"] == "replied"
    assert post(client, f"feedback/{pk}/reply", {"reply": "again"}).status_code == 409


@pytest.mark.parametrize("score", [0, 6, "x", None, 3.5])
def test_rating_bounds_on_the_api(client, world, dataset, score):
    client.force_login(world.citizen)
    response = client.put(
        BASE + f"datasets/{dataset.slug}/rating", {"score": score}, content_type="application/json"
    )
    assert response.status_code == 400 and "score" in response.json()["errors"]
    assert not Rating.objects.exists()


def test_rating_twice_changes_the_one_rating(client, world, dataset):
    client.force_login(world.citizen)
    url = BASE + f"datasets/{dataset.slug}/rating"
    client.put(url, {"score": 2}, content_type="application/json")
    body = client.put(url, {"score": 4}, content_type="application/json").json()
    assert body == {"average": 4.0, "count": 1, "mine": 4}


def test_comments_report_and_moderation_on_the_api(client, world, dataset):
    client.force_login(world.citizen)
    created = post(client, f"datasets/{dataset.slug}/comments", {"body": "有用"})
    assert created.status_code == 201
    pk = created.json()["id"]
    client.force_login(make_user())
    assert post(client, f"comments/{pk}/report", {"reason": "spam"}).status_code == 204
    assert post(client, f"comments/{pk}/report", {"reason": "spam"}).status_code == 409
    assert (
        post(client, f"comments/{pk}/moderate", {"decision": "hide", "reason": "x"}).status_code
        == 404
    )
    client.force_login(world.gd_admin)
    assert post(client, f"comments/{pk}/moderate", {"decision": "hide"}).status_code == 400
    assert (
        post(client, f"comments/{pk}/moderate", {"decision": "hide", "reason": "广告"}).status_code
        == 204
    )
    assert client.get(BASE + f"datasets/{dataset.slug}/comments").json()["results"] == []
    assert Comment.objects.get().status == "hidden"


def test_showcase_submission_and_moderation_on_the_api(client, world, dataset):
    client.force_login(world.citizen)
    body = {
        "title": "公交助手",
        "description": "到站提醒",
        "url": "https://example.com",
        "kind": "app",
        "datasets": [dataset.slug],
    }
    created = post(client, "showcases/", body)
    assert created.status_code == 201 and created.json()["status"] == "pending"
    pk = created.json()["id"]
    assert client.get(BASE + "showcases/").json()["results"] == []
    bad = post(client, "showcases/", {**body, "url": "javascript:alert(1)"})
    assert bad.status_code == 400 and "url" in bad.json()["errors"]
    assert post(client, f"showcases/{pk}/moderate", {"decision": "approve"}).status_code == 404
    client.force_login(world.gd_admin)
    assert (
        post(client, f"showcases/{pk}/moderate", {"decision": "approve"}).json()["status"]
        == "approved"
    )
    assert [s["id"] for s in client.get(BASE + "showcases/").json()["results"]] == [pk]


def test_the_openapi_document_describes_the_new_endpoints(client):
    schema = client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert "/api/v1/portal/access/applications/" in paths
    assert "/api/v1/portal/interaction/requests/" in paths
    assert "/api/v1/portal/interaction/statistics" in paths
