"""Two real nodes at once: a national and a Guangdong node, separate gunicorn processes and
databases, linked by the signed protocol. Delivery runs the provincial node's real code in a
process of that node. Every scenario ends with identical counts and digests on both sides
(`federation_reconcile`) and nothing duplicated.

The nodes and their databases are made once per session (migrating two databases is the
expensive part); scenarios build on each other's records, so each one asserts its own deltas.
"""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from registry.federation import keys
from tests.registry.federation.nodes import Federation, drop_federation, make_federation

pytestmark = pytest.mark.twonodes

SCRIPT = "from tests.registry.federation.node_script import "


@pytest.fixture(scope="session")
def fed(tmp_path_factory) -> Federation:
    base = settings.DATABASE_URL
    federation = make_federation(base, tmp_path_factory.mktemp("federation"))
    try:
        federation.national.start()
        federation.province.start()
        yield federation
    finally:
        drop_federation(base, federation)


def code_in_province(
    fed: Federation,
    count: int,
    *,
    region: str = "440100",
    prefix: str = "数据",
    past_the_guard: bool = False,
):
    out = fed.province.shell(
        f"{SCRIPT}code_records; code_records({count}, region={region!r}, prefix={prefix!r}, "
        f"past_the_guard={past_the_guard!r})"
    )
    return out["codes"]


def national_codes(fed: Federation) -> set[str]:
    return {
        row[0]
        for row in fed.national.query(
            "SELECT r.code FROM registry_resource r JOIN registry_federatedrecord f "
            "ON f.resource_id = r.id WHERE f.steward_node = '44'"
        )
    }


def wait_until(check, *, timeout: float = 60, every: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(every)
    raise AssertionError("condition not reached in time")


def test_a_record_coded_in_the_province_appears_at_national_with_the_confirmed_code(fed):
    codes = code_in_province(fed, 2)
    pending = "SELECT event, count(*) FROM registry_outboxevent WHERE status='pending' GROUP BY 1"
    # Each record: its notice started and ended, then it was coded.
    assert dict(fed.province.query(pending)) == {"notice": 4, "coded": 2}

    out = fed.deliver().stdout
    assert "acknowledged 6" in out
    assert fed.province.query(pending) == []
    assert set(codes) <= national_codes(fed)
    confirmed = dict(
        fed.province.query(
            "SELECT r.code, f.national_code FROM registry_resource r "
            "JOIN registry_federatedrecord f ON f.resource_id = r.id"
        )
    )
    assert all(confirmed[c] == c for c in codes)
    origin, platform = fed.national.query(
        "SELECT r.origin_node, p.code FROM registry_resource r JOIN registry_platform p "
        "ON p.id = r.platform_id WHERE r.code = %s",
        (codes[0],),
    )[0]
    assert (origin, platform) == ("44", "44")
    page = urllib.request.urlopen(
        f"{fed.national.url}/registry/records/?province=440000", timeout=10
    )
    html = page.read().decode()
    assert codes[0] in html and "44" in html
    fed.assert_converged()


def test_replays_return_the_first_results_and_apply_nothing_twice(fed):
    code_in_province(fed, 1, prefix="重放")
    fed.deliver()
    before = fed.national.scalar("SELECT count(*) FROM registry_resource")
    versions_before = fed.national.scalar("SELECT count(*) FROM registry_resourceversion")
    # The acknowledgements were "lost": the province sends everything again.
    fed.province.execute("UPDATE registry_outboxstate SET acked_sequence = 0")
    fed.deliver()
    assert fed.national.scalar("SELECT count(*) FROM registry_resource") == before
    assert fed.national.scalar("SELECT count(*) FROM registry_resourceversion") == versions_before
    # And a byte-identical signed request sent twice gets the same answer twice.
    answers = fed.province.shell(
        "import json\n"
        "from registry.federation.client import signed_request\n"
        "from registry.federation.keys import national_public_key\n"
        "from registry.federation.models import OutboxEvent\n"
        "from registry.federation.conf import node\n"
        "row = OutboxEvent.objects.order_by('sequence').first()\n"
        "url = node().national_url + '/registry/federation/api/events/'\n"
        "a = [signed_request('POST', url, payload={'events': [row.payload]}, peer_key=national_public_key()).data['results'][0] for _ in range(2)]\n"
        "print(json.dumps(a))"
    )
    assert answers[0] == answers[1]
    assert answers[0]["replayed"] is True and answers[0]["status"] == "applied"
    assert fed.national.scalar("SELECT count(*) FROM registry_resource") == before
    fed.assert_converged()


def test_an_older_version_than_the_stored_one_is_refused_as_stale(fed):
    (code,) = code_in_province(fed, 1, prefix="版本")
    fed.province.shell(f"{SCRIPT}change_record; change_record({code!r}, name='变更一次')")
    fed.deliver()
    name_at_national = fed.national.scalar(
        "SELECT v.name FROM registry_resource r JOIN registry_resourceversion v "
        "ON v.id = r.current_version_id WHERE r.code = %s",
        (code,),
    )
    assert name_at_national == "变更一次"
    # A node restored from an old backup re-emits version 1 under a new sequence.
    fed.province.shell(
        "import json\n"
        "from django.db import transaction\n"
        "from registry.federation.models import OutboxEvent\n"
        "from registry.federation.outbox import _lock_state\n"
        f"old = OutboxEvent.objects.filter(resource__code={code!r}).order_by('sequence').first()\n"
        "with transaction.atomic():\n"
        "    state = _lock_state(); state.last_sequence += 1; state.save()\n"
        "    payload = dict(old.payload, sequence=state.last_sequence)\n"
        "    OutboxEvent.objects.create(sequence=state.last_sequence, resource=old.resource, event=old.event,"
        " version=old.version, payload=payload, created_at=old.created_at)\n"
        "print(json.dumps({'sequence': state.last_sequence}))"
    )
    fed.deliver()
    last = fed.province.query(
        "SELECT status, result FROM registry_outboxevent ORDER BY sequence DESC LIMIT 1"
    )[0]
    assert last[0] == "delivered" and last[1]["status"] == "stale"
    assert (
        fed.national.scalar(
            "SELECT v.name FROM registry_resource r JOIN registry_resourceversion v "
            "ON v.id = r.current_version_id WHERE r.code = %s",
            (code,),
        )
        == "变更一次"
    )
    fed.assert_converged()


def test_a_record_of_another_province_is_refused_and_logged(fed):
    refused_before = fed.national.scalar("SELECT refused_count FROM registry_federationnode")
    # A Zhejiang registrant's record coded on the Guangdong node. The node refuses such a
    # filing itself (test_filing_territory.py); this one got past that check (an older
    # release, an import, or worse), and the national node must still refuse it.
    (code,) = code_in_province(fed, 1, region="330100", prefix="越界", past_the_guard=True)
    fed.deliver()
    row = fed.province.query(
        "SELECT o.status, o.result FROM registry_outboxevent o JOIN registry_resource r "
        "ON r.id = o.resource_id WHERE r.code = %s AND o.event = 'coded'",
        (code,),
    )[0]
    assert row[0] == "refused" and "province" in row[1]["detail"]
    assert (
        fed.national.scalar("SELECT count(*) FROM registry_resource WHERE code = %s", (code,)) == 0
    )
    assert (
        fed.national.scalar("SELECT refused_count FROM registry_federationnode")
        == refused_before + 3  # its notice started and ended, and it was coded
    )
    assert "330000" in fed.national.scalar("SELECT last_error FROM registry_federationnode")
    # Later events still flow.
    code_in_province(fed, 1, prefix="越界之后")
    assert "acknowledged 3" in fed.deliver().stdout
    fed.assert_converged()


def _post(url: str, body: bytes, headers: dict) -> int:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        return urllib.request.urlopen(request, timeout=10).status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_bad_signatures_tampered_bodies_and_old_timestamps_are_refused(fed):
    url = f"{fed.national.url}/registry/federation/api/events/"
    target = "/registry/federation/api/events/"
    last = fed.national.scalar("SELECT last_sequence FROM registry_federationnode")
    event = {"sequence": last + 1, "event": "coded", "record": {}, "province": "440000"}
    body = json.dumps({"events": [event]}).encode()
    stranger_key = keys.load_private(keys.generate_keypair()[0])
    province_key = keys.load_private((fed.workdir / "province.key").read_text())

    def signed(key, *, payload=body, sent=body, node="44", now=None):
        headers = keys.sign(key=key, method="POST", target=target, node=node, body=payload, now=now)
        return _post(url, sent, headers | {"Content-Type": "application/json"})

    assert signed(stranger_key) == 401
    assert signed(province_key, sent=body.replace(b"440000", b"330000")) == 401
    assert signed(province_key, now=time.time() - 3600) == 401
    assert signed(province_key, node="45") == 401
    assert _post(url, body, {"Content-Type": "application/json"}) == 401
    assert fed.national.scalar("SELECT last_sequence FROM registry_federationnode") == last
    assert "signature" in fed.national.scalar("SELECT last_error FROM registry_federationnode")
    fed.assert_converged()


def test_a_provincial_node_stopped_mid_batch_resumes_with_no_gap_and_no_duplicate(fed):
    start = fed.national.scalar("SELECT last_sequence FROM registry_federationnode")
    code_in_province(fed, 6, prefix="中断")
    delivery = fed.province.popen_manage("federation_deliver", "--batch-size=1")
    try:
        wait_until(
            lambda: (
                fed.national.scalar("SELECT last_sequence FROM registry_federationnode")
                >= start + 3
            )
        )
    finally:
        delivery.send_signal(signal.SIGKILL)  # the node dies mid-batch
        delivery.communicate(timeout=30)
    # It really died mid-batch: part of the events are still unacknowledged.
    assert (
        fed.province.scalar("SELECT count(*) FROM registry_outboxevent WHERE status='pending'") > 0
    )
    fed.province.restart()
    acked = fed.province.scalar("SELECT acked_sequence FROM registry_outboxstate")
    national_last = fed.national.scalar("SELECT last_sequence FROM registry_federationnode")
    assert acked <= national_last
    fed.deliver()
    assert (
        fed.province.scalar("SELECT count(*) FROM registry_outboxevent WHERE status = 'pending'")
        == 0
    )
    fed.assert_converged()


def test_the_national_node_restarted_during_catch_up_loses_and_repeats_nothing(fed):
    start = fed.national.scalar("SELECT last_sequence FROM registry_federationnode")
    code_in_province(fed, 6, prefix="追赶")
    delivery = fed.province.popen_manage("federation_deliver", "--batch-size=1")
    try:
        wait_until(
            lambda: (
                fed.national.scalar("SELECT last_sequence FROM registry_federationnode")
                >= start + 3
            )
        )
        fed.national.stop()
        delivery.communicate(timeout=60)
    finally:
        if delivery.poll() is None:
            delivery.kill()
            delivery.communicate(timeout=30)
        if fed.national.process is None:
            fed.national.start()
    # With the national node down the delivery failed; the cursor says where to resume.
    assert (
        fed.province.scalar("SELECT count(*) FROM registry_outboxevent WHERE status='pending'") > 0
    )
    fed.deliver()
    assert (
        fed.province.scalar("SELECT count(*) FROM registry_outboxevent WHERE status='pending'") == 0
    )
    fed.assert_converged()


def test_the_national_node_pulls_what_a_silent_province_did_not_push(fed):
    codes = code_in_province(fed, 3, prefix="拉取")
    out = fed.national.manage("federation_pull", "44").stdout
    assert "applied 9" in out  # three records, each with its notice's start and end
    assert set(codes) <= national_codes(fed)
    # When the province's pushes resume they are replays: nothing applied twice.
    fed.deliver()
    assert (
        fed.province.scalar("SELECT count(*) FROM registry_outboxevent WHERE status='pending'") == 0
    )
    fed.assert_converged()


def test_records_filed_nationally_are_handed_over_when_the_province_goes_live(fed):
    fed.national.execute("UPDATE registry_platform SET is_live = false WHERE code = '44'")
    (code,) = fed.national.shell(
        f"{SCRIPT}code_records; code_records(1, region='440300', prefix='国家代收')"
    )["codes"]
    assert code.startswith("000000")
    out = fed.national.manage("federation_handover", "44").stdout
    assert "handed over 1" in out
    assert fed.national.scalar("SELECT is_live FROM registry_platform WHERE code = '44'") is True
    origin = fed.province.scalar(
        "SELECT origin_node FROM registry_resource WHERE code = %s", (code,)
    )
    assert origin == "national"
    # The province now keeps it: its change is reported upward, and not back by the national node.
    fed.province.shell(f"{SCRIPT}change_record; change_record({code!r}, name='移交后变更')")
    fed.deliver()
    assert (
        fed.national.scalar(
            "SELECT v.name FROM registry_resource r JOIN registry_resourceversion v "
            "ON v.id = r.current_version_id WHERE r.code = %s",
            (code,),
        )
        == "移交后变更"
    )
    assert fed.national.scalar("SELECT count(*) FROM registry_outboxevent") == 0
    fed.assert_converged()


def test_a_real_celery_worker_delivers_the_outbox_and_notices_reach_the_national_page(fed):
    codes = code_in_province(fed, 2, prefix="任务")
    fed.province.shell(f"{SCRIPT}open_notice; open_notice('公示中的数据')")
    worker = fed.province.start_worker()
    try:
        fed.province.shell(
            "from registry.federation.tasks import deliver_outbox\n"
            "deliver_outbox.delay()\n"
            "print('{}')"
        )
        pending = "SELECT count(*) FROM registry_outboxevent WHERE status = 'pending'"
        wait_until(lambda: fed.province.scalar(pending) == 0, timeout=120, every=0.5)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    assert set(codes) <= national_codes(fed)
    page = urllib.request.urlopen(f"{fed.national.url}/registry/notices/", timeout=10)
    html = page.read().decode()
    assert "公示中的数据0" in html
    assert f"{fed.province.url}/registry/notices/" in html
    fed.assert_converged()
