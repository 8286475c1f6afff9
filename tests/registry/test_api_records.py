"""The public register through the API: Chinese full-text search, filters, record detail with
its immutable versions; and the platform dashboard."""

from __future__ import annotations

import datetime as dt

import pytest

from registry import services
from registry.models import Resource
from tests.conftest import at, make_org, make_user, pdf

API = "/api/v1/registry/"


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


@pytest.fixture
def register(world):
    """Two coded Guangdong records (transit, by the transport bureau; water, by the water
    bureau) and one pending draft."""
    water_org = make_org("广州市水务局", region="440100")
    transit = world.coded().resource
    water = world.coded(
        user=make_user(holder_staff=water_org),
        holder=water_org,
        name="广州市供水管网数据",
        summary="全市供水管网分布及管径信息。",
        domain="水务",
        industry="D",
        object_type="product",
    ).resource
    world.draft(name="广州市交通违法数据")  # never coded: never on the register
    transit.refresh_from_db()
    water.refresh_from_db()
    return transit, water


def test_anyone_searches_the_register_in_chinese(client, register):
    transit, water = register

    assert codes(client.get(API + "records/", {"q": "交通"})) == [transit.code]
    assert codes(client.get(API + "records/", {"q": "供水"})) == [water.code]
    assert sorted(codes(client.get(API + "records/", {"q": "广州"}))) == sorted(
        [water.code, transit.code]
    )
    assert codes(client.get(API + "records/", {"q": "航天"})) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"province": "440000"}, ["water", "transit"]),
        ({"province": "330000"}, []),
        ({"object_type": "product"}, ["water"]),
        ({"industry": "G"}, ["transit"]),
        ({"open_category": "unconditional"}, ["water", "transit"]),
        ({"status": "active"}, ["water", "transit"]),
        ({"status": "expired"}, []),
        ({"q": "交通", "industry": "D"}, []),
    ],
)
def test_register_filters(client, register, query, expected):
    transit, water = register
    by_name = {"transit": transit.code, "water": water.code}

    assert codes(client.get(API + "records/", query)) == [by_name[n] for n in expected]


def test_register_filters_by_holder(client, world, register):
    transit, _ = register
    assert codes(client.get(API + "records/", {"holder": world.holder_org.pk})) == [transit.code]
    assert codes(client.get(API + "records/", {"holder": world.other_holder_org.pk})) == []


@pytest.mark.parametrize(
    "query",
    [
        {"industry": "Z"},
        {"object_type": "spaceship"},
        {"status": "pending"},
        {"province": "44"},
        {"holder": "abc"},
        {"q": "交" * 201},
    ],
)
def test_invalid_register_filters_are_a_400(client, register, query):
    body = problem(client.get(API + "records/", query), 400)

    assert next(iter(query)) in body["errors"]


def test_the_register_shows_no_contact_person(client, register):
    transit, _ = register

    listing = client.get(API + "records/").content.decode()
    detail = client.get(API + f"records/{transit.code}/").content.decode()

    for text in (listing, detail):
        assert "张三" not in text
        assert "020-12345678" not in text


def test_record_detail_shows_metadata_holder_validity_and_versions(client, world, register):
    transit, _ = register

    body = client.get(API + f"records/{transit.code}/").json()

    assert body["code"] == transit.code
    assert body["holder"]["name"] == "广州市交通运输局"
    assert body["platform"]["code"] == "44"
    assert body["status"] == "active"
    assert body["valid_until"] == transit.valid_until.isoformat()
    assert body["metadata"]["name"] == "广州市公共交通线路站点数据"
    assert body["current_version"] == 1
    assert [v["number"] for v in body["versions"]] == [1]


def test_a_change_creates_a_new_version_and_keeps_the_old_one(client, world, register):
    transit, _ = register
    now = at(2026, 4, 1)
    change = services.registration_create_followup(
        actor=world.holder,
        resource=transit,
        registration_type="change",
        data={"summary": "全市公交线路、站点、首末班时间及票价。"},
        reason="新增票价字段",
        now=now,
    )
    services.attachment_add(
        actor=world.holder, registration=change, kind="commitment", upload=pdf(), now=now
    )
    services.registration_submit(actor=world.holder, registration=change, now=now)
    services.registration_accept(actor=world.reviewer, registration=change, now=now)
    change = services.registration_approve_review(
        actor=world.reviewer, registration=change, now=now
    )
    services.registration_complete(
        registration=change, now=change.notice_end + dt.timedelta(seconds=1)
    )

    body = client.get(API + f"records/{transit.code}/").json()
    assert body["current_version"] == 2
    assert [(v["number"], v["registration_type"]) for v in body["versions"]] == [
        (2, "change"),
        (1, "initial"),
    ]
    assert body["metadata"]["summary"] == "全市公交线路、站点、首末班时间及票价。"
    first = client.get(API + f"records/{transit.code}/versions/1/").json()
    assert first["metadata"]["summary"] == "全市公交线路、站点位置及首末班时间。"
    assert first["registration_type"] == "initial"
    problem(client.get(API + f"records/{transit.code}/versions/3/"), 404)


def test_unknown_records_are_not_found(client, world):
    pending = world.draft().resource

    problem(client.get(API + "records/NOPE/"), 404)
    problem(client.get(API + f"records/{pending.pk}/"), 404)
    assert not Resource.objects.filter(code="NOPE").exists()


# --------------------------------------------------------------------------- dashboard


def test_reviewers_see_dashboard_counts_for_their_platform(client, world):
    world.submitted()
    world.under_review()
    world.coded()

    client.force_login(world.reviewer)
    body = client.get(API + "dashboard/").json()
    assert body["by_status"]["submitted"] == 1
    assert body["by_status"]["under_review"] == 1
    assert body["by_status"]["approved"] == 1
    assert body["records"]["active"] == 1
    assert body["overdue"] == 2  # both deadlines were in March 2026

    client.force_login(world.zj_reviewer)
    body = client.get(API + "dashboard/").json()
    assert sum(body["by_status"].values()) == 0


@pytest.mark.parametrize("persona", ["citizen", "holder", None])
def test_only_platform_staff_see_the_dashboard(client, world, persona):
    if persona:
        client.force_login(getattr(world, persona))

    problem(client.get(API + "dashboard/"), 403)
