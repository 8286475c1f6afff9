"""Reference data through the API (regions, platforms, organisations) and the caller's scope."""

from __future__ import annotations

import pytest

from registry.models import Organisation
from registry.validators import make_credit_code
from tests.conftest import make_user

API = "/api/v1/registry/"


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


# --------------------------------------------------------------------------- regions


def test_anyone_lists_provinces_paginated(client, db):
    response = client.get(API + "regions/", {"level": "province", "page_size": 10})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 34
    assert len(body["results"]) == 10
    assert body["next"] is not None
    assert {row["level"] for row in body["results"]} == {"province"}


def test_regions_filter_by_parent_and_province(client, db):
    cities = client.get(API + "regions/", {"parent": "440000", "page_size": 200}).json()
    counties = client.get(API + "regions/", {"province": "440000", "level": "county"}).json()

    assert "440100" in {row["code"] for row in cities["results"]}
    assert {row["parent"] for row in cities["results"]} == {"440000"}
    assert counties["count"] > 100
    assert {row["province_code"] for row in counties["results"]} == {"440000"}


def test_region_detail_lists_its_subdivisions(client, db):
    body = client.get(API + "regions/440000/").json()

    assert body["name"] == "广东省"
    assert body["parent"] == "000000"
    assert "440100" in {child["code"] for child in body["children"]}


@pytest.mark.parametrize("code", ["999999", "44", "abc"])
def test_unknown_regions_are_not_found(client, db, code):
    problem(client.get(API + f"regions/{code}/"), 404)


def test_an_unknown_region_level_is_a_400(client, db):
    assert "level" in problem(client.get(API + "regions/?level=galaxy"), 400)["errors"]


# --------------------------------------------------------------------------- platforms


def test_anyone_lists_platforms(client, db):
    body = client.get(API + "platforms/", {"page_size": 100}).json()

    assert body["count"] == 35
    national = [row for row in body["results"] if row["level"] == "national"]
    assert [row["region"] for row in national] == ["000000"]
    gd = next(row for row in body["results"] if row["code"] == "44")
    assert set(gd) == {"id", "code", "name", "level", "region", "is_live"}
    assert client.get(API + "platforms/?level=national").json()["count"] == 1


# --------------------------------------------------------------------------- organisations


def test_anyone_searches_organisations_by_name_or_credit_code(client, world):
    by_name = client.get(API + "organisations/", {"search": "交通运输"}).json()["results"]
    prefix = world.other_holder_org.credit_code[:10].lower()
    by_code = client.get(API + "organisations/", {"search": prefix}).json()["results"]

    assert [row["id"] for row in by_name] == [world.holder_org.pk]
    assert set(by_name[0]) == {
        "id",
        "name",
        "credit_code",
        "org_type",
        "region",
        "is_national_level",
    }
    assert world.other_holder_org.pk in {row["id"] for row in by_code}


def org_body(region: str = "440300", **overrides) -> dict:
    body = {
        "name": "深圳市政务服务数据管理局",
        "credit_code": make_credit_code(f"11{region}MB2345678"[:17]),
        "org_type": "data_authority",
        "region": region,
    }
    body.update(overrides)
    return body


def create(client, body: dict):
    return client.post(API + "organisations/", body, content_type="application/json")


def test_a_provincial_admin_adds_an_organisation_in_their_province(client, world):
    client.force_login(world.gd_admin)

    response = create(client, org_body())

    assert response.status_code == 201, response.content
    org = Organisation.objects.get(pk=response.json()["id"])
    assert (org.name, org.region_id, org.org_type) == (
        "深圳市政务服务数据管理局",
        "440300",
        "data_authority",
    )


def test_a_provincial_admin_cannot_add_one_in_another_province(client, world):
    client.force_login(world.gd_admin)
    before = Organisation.objects.count()

    body = problem(create(client, org_body(region="330100")), 403)

    assert "province" in body["detail"]
    problem(create(client, org_body(region="000000", is_national_level=True)), 403)
    assert Organisation.objects.count() == before


def test_a_national_admin_adds_organisations_anywhere(client, world):
    client.force_login(make_user(platform_admin=world.national))

    assert create(client, org_body(region="330100")).status_code == 201
    central = create(client, org_body(region="000000", name="国家数据局", is_national_level=True))
    assert central.status_code == 201, central.content
    assert central.json()["is_national_level"] is True


@pytest.mark.parametrize("persona", ["holder", "reviewer", "citizen", None])
def test_only_platform_admins_add_organisations(client, world, persona):
    if persona:
        client.force_login(getattr(world, persona))
    before = Organisation.objects.count()

    problem(create(client, org_body()), 403)

    assert Organisation.objects.count() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"credit_code": "91440300MA5ABCDE1X"}, "credit_code"),
        ({"credit_code": "123"}, "credit_code"),
        ({"region": "999999"}, "region"),
        ({"org_type": "bank"}, "org_type"),
        ({"name": "   "}, "name"),
        ({"name": "局" * 201}, "name"),
        ({"is_national_level": "false"}, "is_national_level"),
        ({"id": 5}, "id"),
        ({"created_at": "2020-01-01"}, "created_at"),
    ],
)
def test_organisation_input_is_validated(client, world, overrides, field):
    client.force_login(world.gd_admin)
    before = Organisation.objects.count()

    errors = problem(create(client, org_body(**overrides)), 400)["errors"]

    assert field in errors
    assert Organisation.objects.count() == before


def test_a_duplicate_credit_code_is_refused(client, world):
    client.force_login(world.gd_admin)

    errors = problem(
        create(client, org_body(credit_code=world.holder_org.credit_code.lower())), 400
    )["errors"]

    assert "credit_code" in errors


# --------------------------------------------------------------------------- me


def test_me_shows_roles_and_scope(client, world):
    client.force_login(world.holder)
    holder = client.get(API + "me/").json()
    client.force_login(world.national_reviewer)
    national = client.get(API + "me/").json()

    assert holder["username"] == "holder"
    assert [o["id"] for o in holder["holder_organisations"]] == [world.holder_org.pk]
    assert holder["reviewer_platforms"] == []
    assert holder["roles"] == [
        {"role": "holder_staff", "organisation": world.holder_org.pk, "platform": None}
    ]
    assert national["national_reviewer"] is True
    assert [p["code"] for p in national["reviewer_platforms"]] == ["national"]


def test_me_needs_a_login(client, db):
    problem(client.get(API + "me/"), 403)
