"""The provincial node's outbox and delivery cursor; single-deployment mode untouched."""

from __future__ import annotations

import pytest
from django.db import transaction

from registry.federation.delivery import _record_results, changes_since, outbox_backfill
from registry.federation.models import FederatedRecord, OutboxEvent, OutboxState
from registry.federation.outbox import outbox_append
from tests.conftest import at
from tests.portal.publishing_helpers import follow_up

NOW = at(2026, 4, 1)


def test_single_deployment_mode_writes_no_outbox_and_no_federation_state(world):
    world.coded()
    assert not OutboxEvent.objects.exists()
    assert not FederatedRecord.objects.exists()


def test_the_national_node_writes_no_outbox(world, national):
    # A Guangdong registrant files nationally while the province has no live platform.
    from registry.models import Platform

    Platform.objects.filter(code="44").update(is_live=False)
    world.reviewer = world.national_reviewer
    world.coded()
    assert not OutboxEvent.objects.exists()


def test_coding_a_record_writes_its_notice_and_coded_events_in_sequence(world, provincial):
    reg = world.coded()
    rows = list(OutboxEvent.objects.order_by("sequence"))
    assert [(r.sequence, r.event) for r in rows] == [(1, "notice"), (2, "notice"), (3, "coded")]
    coded = rows[2].payload
    assert coded["record"] == {"origin_node": "44", "origin_id": reg.resource_id, "version": 1}
    assert coded["province"] == "440000"
    reg.resource.refresh_from_db()
    assert coded["snapshot"]["code"] == reg.resource.code
    assert coded["snapshot"]["metadata"]["name"] == reg.name
    assert rows[0].payload["notice"]["is_open"] is True
    assert rows[1].payload["notice"]["is_open"] is False


def test_a_change_raises_the_record_version(world, provincial):
    record = world.coded().resource
    follow_up(world, record, "change", data={"name": "新名称"})
    coded, changed = OutboxEvent.objects.exclude(event="notice").order_by("sequence")
    assert (coded.version, changed.version) == (1, 2)
    assert changed.event == "changed"
    assert changed.payload["snapshot"]["metadata"]["name"] == "新名称"


def test_a_rolled_back_change_leaves_no_row_and_no_hole_in_the_sequence(world, provincial):
    record = world.coded().resource
    last = OutboxState.objects.get().last_sequence
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_append(resource=record, event="changed", now=NOW)
        raise RuntimeError("the change failed")
    assert OutboxState.objects.get().last_sequence == last
    outbox_append(resource=record, event="changed", now=NOW)
    sequences = list(OutboxEvent.objects.values_list("sequence", flat=True).order_by("sequence"))
    assert sequences == list(range(1, last + 2))


def test_records_kept_by_another_node_are_never_reported_back(world, provincial):
    record = world.coded().resource
    FederatedRecord.objects.filter(resource=record).update(steward_node="national")
    before = OutboxEvent.objects.count()
    assert outbox_append(resource=record, event="changed", now=NOW) is None
    assert OutboxEvent.objects.count() == before


def test_answers_move_the_cursor_store_the_code_and_a_gap_moves_it_back(world, provincial):
    record = world.coded().resource
    results = [
        {"sequence": 1, "status": "applied"},
        {"sequence": 2, "status": "applied"},
        {"sequence": 3, "status": "applied", "national_code": "44000012026999999"},
    ]
    assert _record_results(results, now=NOW) == 3
    fed = FederatedRecord.objects.get(resource=record)
    assert fed.national_code == "44000012026999999" and fed.confirmed_at == NOW
    assert set(OutboxEvent.objects.values_list("status", flat=True)) == {"delivered"}
    assert _record_results([{"sequence": 4, "status": "gap", "expected": 2}], now=NOW) == -2
    state = OutboxState.objects.get()
    assert state.acked_sequence == 1 and "expects sequence 2" in state.last_error


def test_an_answer_out_of_order_does_not_move_the_cursor(world, provincial):
    world.coded()
    assert _record_results([{"sequence": 2, "status": "applied"}], now=NOW) == 0
    assert OutboxState.objects.get().acked_sequence == 0


def test_the_pull_page_is_bounded_and_starts_after_the_cursor(world, provincial, settings):
    world.coded()
    world.coded(name="第二份")
    settings.FEDERATION_PULL_PAGE_SIZE = 2
    page = changes_since(after=1, limit=1000)
    assert [e["sequence"] for e in page["events"]] == [2, 3]
    assert page["last_sequence"] == 6


def test_backfill_queues_records_coded_before_federation(world, settings):
    world.coded()
    assert not OutboxEvent.objects.exists()
    settings.FEDERATION_ROLE = "provincial"
    settings.FEDERATION_PROVINCE = "440000"
    assert outbox_backfill(now=NOW) == 1
    assert outbox_backfill(now=NOW) == 0
    assert OutboxEvent.objects.get().event == "coded"


def test_a_pull_page_stays_under_the_body_limit_but_always_carries_one_event(
    world, provincial, settings
):
    world.coded()
    settings.FEDERATION_MAX_BODY_BYTES = 1024
    page = changes_since(after=0, limit=100)
    assert len(page["events"]) == 1  # each event is bigger than the budget alone


def test_corrections_deregistrations_and_expiry_are_reported_too(world, provincial):
    import datetime as dt

    from registry import services

    first = world.coded().resource
    follow_up(world, first, "correction", data={"name": "更正后的名称"})
    follow_up(world, first, "deregistration")
    second = world.coded(name="会过期的数据").resource
    second.refresh_from_db()
    later = dt.datetime.combine(second.valid_until, dt.time(12), tzinfo=dt.UTC) + dt.timedelta(
        days=2
    )
    services.update_record_validity(now=later)
    events = list(OutboxEvent.objects.exclude(event="notice").values_list("event", "version"))
    assert events == [
        ("coded", 1),
        ("corrected", 2),
        ("deregistered", 3),
        ("coded", 1),
        ("expired", 2),
    ]
    assert OutboxEvent.objects.get(event="expired").payload["snapshot"]["status"] == "expired"
