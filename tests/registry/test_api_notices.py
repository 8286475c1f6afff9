"""Public notice and objections through the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from registry import services
from registry.models import Objection, ObjectionStatus, RegistrationStatus
from tests.conftest import make_user

API = "/api/v1/registry/"


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


def running_notice(world, **kw):
    """A notice that started today, so it is still running for the API's real clock."""
    return world.in_notice(now=timezone.now(), **kw)


def ended_notice(world, **kw):
    """A notice that ended weeks ago but has not been closed by the beat job yet."""
    return world.in_notice(now=timezone.now() - dt.timedelta(days=60), **kw)


def object_to(client, reg_id: int, body: dict):
    return client.post(API + f"notices/{reg_id}/objections/", body, content_type="application/json")


# --------------------------------------------------------------------------- notices


def test_anyone_lists_notices_without_applicant_personal_data(client, world):
    reg = running_notice(world)
    world.submitted()  # not in notice: not listed

    response = client.get(API + "notices/")

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [reg.pk]
    row = rows[0]
    assert row["registrant"] == "广州市交通运输局"
    assert row["registration_type"] == "initial"
    assert row["name"] == "广州市公共交通线路站点数据"
    assert row["object_type"] == "resource"
    assert row["objection_count"] == 0
    assert row["platform"]["code"] == "44"
    assert {"notice_start", "notice_end", "summary"} <= set(row)
    text = response.content.decode()
    for private in ("applicant", "holder", "contact", "张三", "020-12345678"):
        assert private not in text


def test_notice_detail_and_unknown_notices(client, world):
    reg = running_notice(world)
    draft = world.draft()

    body = client.get(API + f"notices/{reg.pk}/").json()
    assert body["data_items"][0]["name"] == "线路编号"
    assert "contact_phone" not in body
    problem(client.get(API + f"notices/{draft.pk}/"), 404)
    problem(client.get(API + "notices/99999999/"), 404)


def test_notice_list_filters_by_platform(client, world):
    gd = running_notice(world)
    now = timezone.now()
    zj = world.submitted(now=now, user=world.other_holder, holder=world.other_holder_org)
    for service in (services.registration_accept, services.registration_approve_review):
        zj = service(actor=world.zj_reviewer, registration=zj, now=now)

    rows = client.get(API + f"notices/?platform={world.zj.pk}").json()["results"]

    assert [row["id"] for row in rows] == [zj.pk]
    assert gd.pk != zj.pk


# --------------------------------------------------------------------------- filing objections


def test_a_citizen_objects_during_the_notice(client, world):
    reg = running_notice(world)
    client.force_login(world.citizen)

    response = object_to(client, reg.pk, {"reason": "数据含有未脱敏的个人信息", "contact": "138"})

    assert response.status_code == 201, response.content
    objection = Objection.objects.get(pk=response.json()["id"])
    assert (objection.objector, objection.status) == (world.citizen, ObjectionStatus.PENDING)
    assert reg.events.filter(action="object").exists()
    assert client.get(API + f"notices/{reg.pk}/").json()["objection_count"] == 1


def test_an_objection_after_the_notice_ended_is_a_409(client, world):
    reg = ended_notice(world)
    client.force_login(world.citizen)

    body = problem(object_to(client, reg.pk, {"reason": "来晚了"}), 409)

    assert "notice_end" in body
    assert not Objection.objects.exists()


def test_anonymous_callers_cannot_object(client, world):
    reg = running_notice(world)

    problem(object_to(client, reg.pk, {"reason": "匿名异议"}), 403)

    assert not Objection.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"reason": "x" * 2001}, "reason"),
        ({"reason": "x", "contact": "y" * 201}, "contact"),
        ({"reason": "x", "status": "upheld"}, "status"),
        ({"reason": "x", "objector": 1}, "objector"),
    ],
)
def test_objection_input_is_validated(client, world, body, field):
    reg = running_notice(world)
    client.force_login(world.citizen)

    assert field in problem(object_to(client, reg.pk, body), 400)["errors"]
    assert not Objection.objects.exists()


def test_objecting_to_an_application_not_in_notice_is_a_404(client, world):
    reg = world.under_review()
    client.force_login(world.citizen)

    problem(object_to(client, reg.pk, {"reason": "x"}), 404)


# --------------------------------------------------------------------------- deciding objections


@pytest.fixture
def objected(world):
    reg = running_notice(world)
    objection = Objection.objects.create(
        registration=reg, objector=world.citizen, reason="数据有误", created_at=timezone.now()
    )
    return reg, objection


def decide(client, objection_id: int, verb: str, body: dict):
    return client.post(
        API + f"objections/{objection_id}/{verb}", body, content_type="application/json"
    )


def test_reviewers_list_objections_in_their_queue_only(client, world, objected):
    _, objection = objected

    client.force_login(world.reviewer)
    rows = client.get(API + "objections/").json()["results"]
    assert [row["id"] for row in rows] == [objection.pk]
    assert rows[0]["objector"] == "citizen"
    for persona in ("zj_reviewer", "citizen", "holder"):
        client.force_login(getattr(world, persona))
        assert client.get(API + "objections/").json()["results"] == [], persona
    client.force_login(world.national_reviewer)
    assert len(client.get(API + "objections/").json()["results"]) == 1


@pytest.mark.parametrize("outcome", ["returned", "rejected"])
def test_upholding_an_objection_ends_the_notice_with_the_outcome(client, world, objected, outcome):
    reg, objection = objected
    client.force_login(world.reviewer)

    response = decide(client, objection.pk, "uphold", {"reason": "核实属实", "outcome": outcome})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["registration_status"]) == ("upheld", outcome)
    assert body["decided_by"] == "gd_reviewer"
    reg.refresh_from_db()
    assert reg.status == outcome


def test_dismissing_an_objection_lets_the_notice_run_on(client, world, objected):
    reg, objection = objected
    client.force_login(world.reviewer)

    body = decide(client, objection.pk, "dismiss", {"reason": "异议理由不成立"}).json()

    assert (body["status"], body["registration_status"]) == ("dismissed", "in_notice")
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.IN_NOTICE
    assert reg.events.filter(action="dismiss_objection").exists()


def test_an_objection_is_decided_once(client, world, objected):
    _, objection = objected
    client.force_login(world.reviewer)
    decide(client, objection.pk, "dismiss", {"reason": "不成立"})

    body = problem(
        decide(client, objection.pk, "uphold", {"reason": "x", "outcome": "rejected"}), 409
    )

    assert "dismissed" in body["current_state"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": "x"}, "outcome"),
        ({"reason": "x", "outcome": "approved"}, "outcome"),
        ({"outcome": "returned"}, "reason"),
        ({"reason": "x", "outcome": "returned", "status": "dismissed"}, "status"),
    ],
)
def test_uphold_input_is_validated(client, world, objected, body, field):
    reg, objection = objected
    client.force_login(world.reviewer)

    assert field in problem(decide(client, objection.pk, "uphold", body), 400)["errors"]
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.PENDING


@pytest.mark.parametrize(
    ("persona", "status"),
    [("zj_reviewer", 404), ("citizen", 404), ("national_reviewer", 403), ("gd_admin", 403)],
)
def test_only_a_reviewer_of_the_platform_decides_objections(
    client, world, objected, persona, status
):
    _, objection = objected
    client.force_login(getattr(world, persona))

    problem(decide(client, objection.pk, "dismiss", {"reason": "x"}), status)

    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.PENDING


def test_a_reviewer_does_not_decide_objections_to_their_own_filing(client, world):
    dual = make_user(reviewer=world.gd, holder_staff=world.holder_org)
    reg = running_notice(world, user=dual)
    objection = Objection.objects.create(
        registration=reg, objector=world.citizen, reason="x", created_at=timezone.now()
    )
    client.force_login(dual)

    body = problem(decide(client, objection.pk, "dismiss", {"reason": "x"}), 403)

    assert "own filing" in body["detail"]
