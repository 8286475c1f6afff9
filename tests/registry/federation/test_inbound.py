"""The national node's receiver: apply, replay, stale, gap, conflict, namespace, codes."""

from __future__ import annotations

import logging

import pytest

from registry.errors import Conflict
from registry.federation.inbound import receive_batch
from registry.federation.models import FederatedRecord, InboundEvent
from registry.models import Platform, Resource, ResourceVersion
from tests.conftest import at
from tests.registry.federation.conftest import make_event

NOW = at(2026, 4, 1)


def receive(national, *events):
    return receive_batch(node=national.node, events=list(events), now=NOW)


def test_an_event_is_applied_and_the_provincial_code_confirmed(national):
    (result,) = receive(national, make_event(1))
    assert result == {
        "status": "applied",
        "national_code": "44000012026000001",
        "confirmed": True,
        "sequence": 1,
    }
    resource = Resource.objects.get(code="44000012026000001")
    assert resource.origin_node == "44"
    assert resource.platform.code == "44"
    assert resource.current_version.name == "广州市公共交通线路站点数据"
    assert resource.federation.synced_at == NOW
    national.node.refresh_from_db()
    assert national.node.last_sequence == 1 and national.node.last_success_at == NOW


def test_a_replay_returns_the_first_result_and_applies_nothing(national):
    first = receive(national, make_event(1))[0]
    again = receive(national, make_event(1))[0]
    assert again == {**first, "replayed": True}
    assert Resource.objects.filter(origin_node="44").count() == 1
    assert ResourceVersion.objects.filter(resource__origin_node="44").count() == 1
    assert InboundEvent.objects.count() == 1


def test_a_sequence_reused_with_another_body_is_a_conflict(national, caplog):
    receive(national, make_event(1))
    with caplog.at_level(logging.WARNING):
        (result,) = receive(national, make_event(1, name="另一份数据"))
    assert result["status"] == "conflict"
    assert "reused sequence" in caplog.text
    assert Resource.objects.get(origin_node="44").current_version.name != "另一份数据"


def test_a_gap_is_reported_with_the_expected_sequence_and_stops_the_batch(national):
    results = receive(national, make_event(1), make_event(3, origin_id=2), make_event(4))
    assert [r["status"] for r in results] == ["applied", "gap"]
    assert results[1]["expected"] == 2
    assert InboundEvent.objects.count() == 1


def test_a_newer_version_updates_the_record_and_an_older_one_is_stale(national):
    receive(national, make_event(1))
    (changed,) = receive(national, make_event(2, version=2, name="变更后的名称"))
    assert changed["status"] == "applied"
    (stale,) = receive(national, make_event(3, version=1, name="旧名称"))
    assert stale["status"] == "stale" and stale["current_version"] == 2
    resource = Resource.objects.get(origin_node="44")
    assert resource.current_version.name == "变更后的名称"
    assert resource.versions.count() == 2
    assert resource.code == "44000012026000001"  # the code stays with the record


def test_a_record_of_another_province_is_refused_logged_and_the_queue_moves_on(national, caplog):
    with caplog.at_level(logging.WARNING):
        results = receive(national, make_event(1, province="330000"), make_event(2, origin_id=2))
    assert [r["status"] for r in results] == ["refused", "applied"]
    assert "refused event 1" in caplog.text
    national.node.refresh_from_db()
    assert national.node.refused_count == 1 and "330000" in national.node.last_error
    assert Resource.objects.filter(origin_node="44").count() == 1


def test_a_node_cannot_report_records_of_another_origin(national):
    (result,) = receive(national, make_event(1, origin_node="45"))
    assert result["status"] == "refused"
    assert not Resource.objects.filter(origin_node="45").exists()


@pytest.mark.parametrize(
    "breakage",
    [
        {"object_type": "spaceship"},
        {"status": "pending"},
        {"metadata": {"name": "x", "is_admin": True}},
        {"holder": {"credit_code": "BAD", "org_type": "organ", "region": "440100"}},
        {"version_number": 0},
    ],
)
def test_a_malformed_snapshot_is_refused_and_nothing_is_half_written(national, breakage):
    event = make_event(1)
    event["snapshot"].update(breakage)
    (result,) = receive(national, event)
    assert result["status"] == "refused"
    assert not Resource.objects.filter(origin_node="44").exists()
    assert not FederatedRecord.objects.exists()


def test_an_event_without_a_sequence_is_invalid_and_consumes_nothing(national):
    (result,) = receive(national, {"event": "coded"})
    assert result["status"] == "invalid"
    assert InboundEvent.objects.count() == 0


def test_a_code_held_by_another_record_is_replaced_by_a_national_one(national, world):
    # A record filed on the national node while Guangdong had no live platform.
    Platform.objects.filter(code="44").update(is_live=False)
    world.reviewer = world.national_reviewer
    local = world.coded().resource
    local.refresh_from_db()
    (result,) = receive(national, make_event(1, code=local.code))
    assert result["status"] == "applied" and result["confirmed"] is False
    assert result["national_code"] != local.code
    assert result["national_code"].startswith("4400001")


def test_a_badly_shaped_code_is_replaced_by_a_national_one(national):
    (result,) = receive(national, make_event(1, code="GD-0001"))
    assert result["confirmed"] is False
    assert Resource.objects.get(origin_node="44").code == result["national_code"]


def test_a_mirrored_record_cannot_be_followed_up_on_the_national_node(national, world):
    from registry import services

    receive(national, make_event(1))
    resource = Resource.objects.get(origin_node="44")
    holder = world.holder
    from registry.models import Role, RoleAssignment

    RoleAssignment.objects.create(user=holder, role=Role.HOLDER_STAFF, organisation=resource.holder)
    with pytest.raises(Conflict, match="kept by node 44"):
        services.registration_create_followup(
            actor=holder,
            resource=resource,
            registration_type="change",
            data={},
            reason="x",
            now=NOW,
        )


def test_a_province_notice_is_listed_until_it_ends(national, client):
    notice = {
        "registration_id": 7,
        "registration_type": "initial",
        "registrant_name": "广州市交通运输局",
        "data_name": "<script>公交数据</script>",
        "summary": "摘要",
        "notice_start": "2026-03-20T02:00:00+00:00",
        "notice_end": "2026-04-03T10:00:00+00:00",
        "is_open": True,
    }
    base = {"event": "notice", "province": "440000", "occurred_at": "2026-03-20T02:00:00+00:00"}
    rec = {"origin_node": "44", "origin_id": 3}
    receive(national, {**base, "sequence": 1, "record": {**rec, "version": 10}, "notice": notice})
    page = client.get("/registry/notices/").content.decode()
    assert "&lt;script&gt;公交数据" in page and "<script>公交" not in page
    assert "http://127.0.0.1:9/registry/notices/7/" in page
    (stale,) = receive(
        national, {**base, "sequence": 2, "record": {**rec, "version": 9}, "notice": notice}
    )
    assert stale["status"] == "stale"
    closed = {**notice, "is_open": False}
    receive(national, {**base, "sequence": 3, "record": {**rec, "version": 11}, "notice": closed})
    assert "公交数据" not in client.get("/registry/notices/").content.decode()
