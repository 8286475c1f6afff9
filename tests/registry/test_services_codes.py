"""Codes (统一赋码): format, uniqueness, never reused, pluggable rule, and concurrency."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from django.db import connections

from registry import services
from registry.errors import IllegalTransition
from registry.models import CodeSequence, ObjectType, RecordStatus, Registration, Resource
from tests.conftest import World, at, pdf

CODE_RE = re.compile(r"^(?P<region>\d{6})(?P<type>[123])(?P<year>\d{4})(?P<seq>\d{6})$")


def _code(reg: Registration) -> str:
    return Resource.objects.get(pk=reg.resource_id).code


def test_a_code_is_region_type_digit_year_and_a_six_digit_sequence(world):
    code = _code(world.coded(now=at(2026, 3, 2)))

    parts = CODE_RE.match(code)
    assert parts is not None, code
    assert parts["region"] == "440000"  # the Guangdong platform's region
    assert parts["type"] == "1"  # public data resource
    assert parts["year"] == "2026"
    assert parts["seq"] == "000001"


@pytest.mark.parametrize(
    ("object_type", "digit"),
    [(ObjectType.DATA_PRODUCT, "2"), (ObjectType.OPEN_DATA_RESOURCE, "3")],
)
def test_the_type_digit_follows_the_object_type(world, object_type, digit):
    code = _code(world.coded(object_type=object_type))

    assert CODE_RE.match(code)["type"] == digit


def test_a_national_platform_code_starts_with_the_nationwide_region(world):
    reg = world.submitted(user=world.central_holder, holder=world.central_org)
    nat, now = world.national_reviewer, at(2026, 3, 2)
    services.registration_accept(actor=nat, registration=reg, now=now)
    reg = services.registration_approve_review(actor=nat, registration=reg, now=now)
    services.registration_complete(actor=nat, registration=reg, now=at(2026, 4, 1))

    code = _code(reg)

    assert code.startswith("00000012026")


def test_the_year_is_the_shanghai_year_of_issue(world):
    # 2026-12-31 17:00 UTC is already 2027-01-01 in Shanghai. The notice is completed then.
    reg = world.in_notice(now=at(2026, 12, 1))
    moment = dt.datetime(2027, 1, 1, 1, 0, tzinfo=dt.UTC)
    assert moment > reg.notice_end
    services.registration_complete(registration=reg, now=moment)

    assert CODE_RE.match(_code(reg))["year"] == "2027"


def test_sequences_increase_per_prefix_and_deregistered_codes_are_not_reused(world):
    first = world.coded()
    second = world.coded(name="广州市停车场数据")
    resource = Resource.objects.get(pk=first.resource_id)
    dereg = services.registration_create_followup(
        actor=world.holder,
        resource=resource,
        registration_type="deregistration",
        data=None,
        reason="数据已停止采集",
        now=at(2026, 4, 1),
    )
    services.attachment_add(
        actor=world.holder, registration=dereg, kind="commitment", upload=pdf(), now=at(2026, 4, 1)
    )
    services.registration_submit(actor=world.holder, registration=dereg, now=at(2026, 4, 1))
    services.registration_accept(actor=world.reviewer, registration=dereg, now=at(2026, 4, 1))
    dereg = services.registration_approve_review(
        actor=world.reviewer, registration=dereg, now=at(2026, 4, 1)
    )
    services.registration_complete(
        registration=dereg, now=dereg.notice_end + dt.timedelta(seconds=1)
    )
    third = world.coded(name="广州市共享单车数据")

    resource.refresh_from_db()
    assert resource.status == RecordStatus.DEREGISTERED
    assert resource.code == _code(first)  # the deregistered record keeps its code
    seqs = [CODE_RE.match(_code(r))["seq"] for r in (first, second, third)]
    assert seqs == ["000001", "000002", "000003"]
    assert CodeSequence.objects.get(prefix="44000012026").last_value == 3


def custom_rule(resource: Resource, now: dt.datetime) -> str:
    """A stand-in for a province's own code rule (referenced by dotted path below)."""
    return f"GD-{resource.object_type}-{resource.pk}"


def test_a_custom_code_rule_setting_is_honoured(world, settings):
    settings.REGISTRY_CODE_RULE = "tests.registry.test_services_codes.custom_rule"

    reg = world.coded()

    assert _code(reg) == f"GD-resource-{reg.resource_id}"
    assert not CodeSequence.objects.exists()


# --------------------------------------------------------------------------- concurrency


def _run_in_threads(targets) -> list:
    """Run each callable in its own thread at once; return what each returned or raised."""
    barrier = threading.Barrier(len(targets))
    results: list = [None] * len(targets)

    def runner(i, target):
        try:
            barrier.wait(timeout=30)
            results[i] = target()
        except Exception as exc:  # collected and asserted on by the test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_notices_completed_at_once_get_distinct_codes(reference_data_restored, transactional_db):
    world = World()
    regs = [world.in_notice(name=f"并发数据{i}") for i in range(6)]
    after = max(r.notice_end for r in regs) + dt.timedelta(seconds=1)

    results = _run_in_threads(
        [
            lambda pk=reg.pk: services.registration_complete(
                registration=Registration(pk=pk), now=after
            )
            for reg in regs
        ]
    )

    assert all(isinstance(r, Registration) for r in results), results
    codes = [_code(reg) for reg in regs]
    assert len(set(codes)) == 6
    assert sorted(CODE_RE.match(c)["seq"] for c in codes) == [f"{i:06d}" for i in range(1, 7)]


def test_two_reviewers_accepting_at_once_exactly_one_wins(
    reference_data_restored, transactional_db
):
    world = World()
    reg = world.submitted()
    now = at(2026, 3, 3)

    results = _run_in_threads(
        [
            lambda user=user: services.registration_accept(
                actor=user, registration=Registration(pk=reg.pk), now=now
            )
            for user in (world.reviewer, world.reviewer2)
        ]
    )

    wins = [r for r in results if isinstance(r, Registration)]
    losses = [r for r in results if isinstance(r, IllegalTransition)]
    assert len(wins) == 1 and len(losses) == 1, results
    assert losses[0].extra["current_state"] == "under_review"
    assert reg.events.filter(action="accept").count() == 1


def test_two_organisations_with_the_same_code_at_once_exactly_one_is_created(
    reference_data_restored, transactional_db
):
    from registry.validators import make_credit_code

    code = make_credit_code("11440100MB9999999")

    results = _run_in_threads(
        [
            lambda n=n: services.organisation_create(
                name=f"并发单位{n}", credit_code=code, org_type="organ", region_code="440100"
            )
            for n in range(2)
        ]
    )

    created = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(created) == 1 and len(refused) == 1, results
    assert refused[0].errors == {"credit_code": ["Already registered."]}
