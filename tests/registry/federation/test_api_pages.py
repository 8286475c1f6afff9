"""Node-to-node endpoints through the test client, the sync status page, the register of
nodes, the national register's columns, and the key generation command."""

from __future__ import annotations

import json
import stat

import pytest
from django.core.management import CommandError, call_command

from registry.federation import keys
from registry.federation.models import FederationNode
from tests.conftest import make_user
from tests.registry.federation.conftest import make_event

EVENTS = "/registry/federation/api/events/"


def _post_signed(client, private, payload, *, node="44", path=EVENTS):
    body = json.dumps(payload).encode()
    headers = keys.sign(
        key=keys.load_private(private), method="POST", target=path, node=node, body=body
    )
    return client.post(path, data=body, content_type="application/json", headers=headers)


def test_a_signed_batch_is_applied_and_the_answer_is_signed_by_the_national_node(client, national):
    response = _post_signed(client, national.node_private, {"events": [make_event(1)]})
    assert response.status_code == 200
    assert response.json()["results"][0]["status"] == "applied"
    keys.verify(
        key=keys.load_public(national.public),
        method="POST",
        target="response:" + EVENTS,
        headers=response.headers,
        body=response.content,
    )


def test_an_unknown_or_disabled_node_and_a_bad_signature_get_401_problems(client, national):
    stranger = keys.generate_keypair()[0]
    assert _post_signed(client, stranger, {"events": []}).status_code == 401
    assert _post_signed(client, national.node_private, {"events": []}, node="45").status_code == 401
    FederationNode.objects.filter(pk=national.node.pk).update(is_enabled=False)
    response = _post_signed(client, national.node_private, {"events": [make_event(1)]})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    national.node.refresh_from_db()
    assert national.node.last_sequence == 0


def test_a_malformed_or_oversized_batch_is_refused(client, national, settings):
    assert _post_signed(client, national.node_private, {"events": "all"}).status_code == 400
    settings.FEDERATION_MAX_BODY_BYTES = 1024
    big = {"events": [make_event(1, summary="长" * 2000)]}
    assert _post_signed(client, national.node_private, big).status_code == 413


def test_a_single_deployment_answers_no_federation_endpoint(client, db):
    assert client.post(EVENTS, data=b"{}", content_type="application/json").status_code == 404
    assert client.get("/registry/federation/api/changes/").status_code == 404


def test_only_the_national_node_may_pull_changes_from_a_province(client, world, provincial):
    world.coded()
    path = "/registry/federation/api/changes/?after=0&limit=2"
    national_key = keys.load_private(provincial.nat_private)
    headers = keys.sign(key=national_key, method="GET", target=path, node="national", body=b"")
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    assert [e["sequence"] for e in response.json()["events"]] == [1, 2]
    forged = keys.sign(
        key=keys.load_private(keys.generate_keypair()[0]),
        method="GET",
        target=path,
        node="national",
        body=b"",
    )
    assert client.get(path, headers=forged).status_code == 401
    assert client.get(path).status_code == 401
    bad = "/registry/federation/api/changes/?after=-1"
    headers = keys.sign(key=national_key, method="GET", target=bad, node="national", body=b"")
    assert client.get(bad, headers=headers).status_code == 400


def test_a_handed_over_record_of_another_province_is_refused(client, db, provincial):
    path = "/registry/federation/api/handover/"
    event = make_event(1)
    event["snapshot"]["holder"]["region"] = "330100"
    payload = {
        "records": [
            {"origin_node": "national", "origin_id": 5, "version": 1, "snapshot": event["snapshot"]}
        ]
    }
    response = _post_signed(client, provincial.nat_private, payload, node="national", path=path)
    assert response.status_code == 400
    assert "province" in response.json()["detail"]


# --------------------------------------------------------------------------- pages

STATUS = "/registry/staff/federation/"


def test_the_status_page_is_for_national_staff_only(client, world, national):
    assert client.get(STATUS).status_code == 302
    client.force_login(world.holder)
    assert client.get(STATUS).status_code == 404
    client.force_login(world.national_reviewer)
    page = client.get(STATUS).content.decode()
    assert "广东省节点" in page and "登记省级节点" not in page


def test_a_single_deployment_has_no_status_page(client, world):
    client.force_login(world.national_reviewer)
    assert client.get(STATUS).status_code == 404


def test_a_national_administrator_registers_and_disables_a_node(client, world, national):
    admin = make_user("nat_admin", platform_admin=world.national)
    client.force_login(admin)
    public = keys.generate_keypair()[1]
    bad = client.post(
        STATUS + "nodes/",
        {
            "code": "33",
            "name": "浙江省节点",
            "province": "330000",
            "base_url": "ftp://x",
            "public_key": "xx",
        },
    )
    assert bad.status_code == 200
    assert not FederationNode.objects.filter(code="33").exists()
    good = client.post(
        STATUS + "nodes/",
        {
            "code": "33",
            "name": "浙江省节点",
            "province": "330000",
            "base_url": "https://zj.example.gov.cn",
            "public_key": public,
            "last_sequence": "999",
        },
    )
    assert good.status_code == 302
    created = FederationNode.objects.get(code="33")
    assert created.last_sequence == 0 and created.is_enabled  # nothing else is writable
    client.post(f"{STATUS}nodes/{created.pk}/disable/")
    created.refresh_from_db()
    assert not created.is_enabled
    client.force_login(world.national_reviewer)
    client.post(f"{STATUS}nodes/{created.pk}/enable/")
    created.refresh_from_db()
    assert not created.is_enabled  # reviewers cannot


def test_a_provincial_administrator_sees_the_outbox_and_cursor(client, world, provincial):
    world.coded()
    client.force_login(world.gd_admin)
    page = client.get(STATUS).content.decode()
    assert "待投递事件" in page or "Events to deliver" in page


def test_the_national_register_shows_origin_and_sync_time_and_filters_by_province(
    client, world, national
):
    from registry.federation.inbound import receive_batch
    from tests.conftest import at

    receive_batch(
        node=national.node, events=[make_event(1, name="广东上报数据")], now=at(2026, 4, 1)
    )
    page = client.get("/registry/records/?province=330000").content.decode()
    assert "广东上报数据" not in page
    page = client.get("/registry/records/?province=440000").content.decode()
    assert "广东上报数据" in page
    assert "<code>44</code>" in page and "2026-04-01 10:00" in page
    page = client.get("/registry/records/").content.decode()
    assert "广东上报数据" in page


def test_keygen_writes_a_private_file_and_prints_the_public_key(tmp_path, capsys):
    out = tmp_path / "node.key"
    call_command("federation_keygen", out=str(out))
    private = out.read_text().strip()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert keys.public_of(private) in capsys.readouterr().out
    with pytest.raises(CommandError, match="exists"):
        call_command("federation_keygen", out=str(out))
