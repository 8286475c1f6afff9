"""Suspension, revocation and expiry stop access at once; quotas are atomic; every access is
logged, served or refused."""

import datetime as dt
import threading

import pytest
from django.db import OperationalError, connection, connections, transaction

from operations import services
from operations.licensing import (
    LicenceQuotaExceeded,
    LicenceRefused,
    licensed_export,
    licensed_query,
)
from operations.licensing import access as licensing_access
from operations.models import AccessLog, LicenceMode, LicenceStatus
from operations.services.licences import licences_expire_due
from registry.errors import IllegalTransition
from tests.conftest import at
from tests.operations.conftest import NOW

GROUPED = {"group_by": ["区"]}


def ask(ops, licence, params=GROUPED, **kw):
    return licensed_query(
        licence=licence, user=ops.operator_user, params=params, now=kw.get("now", NOW)
    )


def test_a_suspended_licence_serves_nothing_and_a_reinstated_one_serves_again(ops):
    licence = ops.licence(LicenceMode.AGGREGATES_ONLY, k=5)
    assert ask(ops, licence).records
    services.licence_transition(
        actor=ops.agency_user, licence=licence, action="suspend", reason="安全检查", now=NOW
    )
    with pytest.raises(LicenceRefused):
        ask(ops, licence)
    services.licence_transition(actor=ops.agency_user, licence=licence, action="reinstate", now=NOW)
    assert ask(ops, licence).records
    outcomes = list(AccessLog.objects.order_by("id").values_list("outcome", "refusal"))
    assert outcomes == [("served", ""), ("refused", "licence_refused"), ("served", "")]


def test_a_revoked_licence_is_final(ops):
    licence = ops.licence(LicenceMode.IN_DOMAIN_ROWS, columns=["区"])
    services.licence_transition(
        actor=ops.agency_user, licence=licence, action="revoke", reason="违约", now=NOW
    )
    with pytest.raises(LicenceRefused):
        ask(ops, licence, {"limit": 1})
    with pytest.raises(IllegalTransition):
        services.licence_transition(
            actor=ops.agency_user, licence=licence, action="reinstate", now=NOW
        )


def test_an_expired_licence_refuses_from_the_day_after_its_validity_even_before_the_sweep(ops):
    licence = ops.licence(LicenceMode.AGGREGATES_ONLY, k=5)
    last_day = at(
        licence.valid_until.year, licence.valid_until.month, licence.valid_until.day, 23, 59
    )
    assert ask(ops, licence, now=last_day).records
    next_day = last_day + dt.timedelta(minutes=2)
    with pytest.raises(LicenceRefused):
        ask(ops, licence, now=next_day)
    assert licences_expire_due(now=next_day) == 1
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.EXPIRED


def test_suspending_the_agreement_stops_its_licences(ops):
    licence = ops.licence(LicenceMode.AGGREGATES_ONLY, k=5)
    services.agreement_transition(
        actor=ops.agency_user, agreement=licence.agreement, action="suspend", reason="整改", now=NOW
    )
    with pytest.raises(LicenceRefused) as caught:
        ask(ops, licence)
    assert caught.value.extra["agreement_status"] == "suspended"


def test_terminating_the_agreement_revokes_its_licences(ops):
    licence = ops.licence(LicenceMode.AGGREGATES_ONLY, k=5)
    services.agreement_transition(
        actor=ops.agency_user,
        agreement=licence.agreement,
        action="terminate",
        reason="违约",
        now=NOW,
    )
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.REVOKED
    assert licence.events.get().to_status == "revoked"


def test_an_export_authorised_before_revocation_finishes_and_nothing_after_is_served(ops):
    licence = ops.licence(LicenceMode.AGGREGATES_ONLY, k=5)
    chunks = licensed_export(
        licence=licence, user=ops.operator_user, params=GROUPED, fmt="csv", now=NOW
    )
    services.licence_transition(
        actor=ops.agency_user, licence=licence, action="revoke", reason="违约", now=NOW
    )
    assert "天河区" in b"".join(chunks).decode("utf-8-sig")
    with pytest.raises(LicenceRefused):
        licensed_export(licence=licence, user=ops.operator_user, params=GROUPED, fmt="csv", now=NOW)


def test_daily_and_total_quotas_are_taken_with_the_log_row(ops):
    licence = ops.licence(LicenceMode.AGGREGATES_ONLY, k=5, daily_quota=2, total_quota=3)
    ask(ops, licence)
    ask(ops, licence)
    with pytest.raises(LicenceQuotaExceeded):
        ask(ops, licence)
    tomorrow = NOW + dt.timedelta(days=1)
    ask(ops, licence, now=tomorrow)
    with pytest.raises(LicenceQuotaExceeded) as caught:
        ask(ops, licence, now=tomorrow)
    assert caught.value.extra["period"] == "total"
    assert AccessLog.objects.filter(outcome="served").count() == 3
    assert AccessLog.objects.filter(refusal="licence_quota_exceeded").count() == 2


def test_a_refused_query_takes_no_quota(ops):
    licence = ops.licence(LicenceMode.AGGREGATES_ONLY, k=5, total_quota=1)
    with pytest.raises(Exception):
        ask(ops, licence, {"fields": ["区"]})
    assert ask(ops, licence).records


def test_the_access_log_records_who_which_licence_and_the_query_shape_without_values(ops):
    licence = ops.licence(LicenceMode.AGGREGATES_ONLY, k=5)
    licensed_query(
        licence=licence,
        user=ops.operator_user,
        request_id="req-1",
        params={
            "group_by": "区",
            "aggregates": "sum:金额",
            "filters": {"身份证号": "440101199001011234"},
        },
    )
    log = AccessLog.objects.get()
    assert (log.user, log.licence, log.channel, log.request_id) == (
        ops.operator_user,
        licence,
        "api",
        "req-1",
    )
    assert log.query_shape == {
        "group_by": ["区"],
        "aggregates": ["sum:金额"],
        "conditions": ["身份证号 eq"],
    }
    assert "440101199001011234" not in str(log.query_shape)


@pytest.mark.django_db(transaction=True)
def test_a_revocation_waits_for_the_query_already_running_and_refuses_the_next(world, monkeypatch):
    from tests.operations.conftest import Ops

    ops = Ops(world)
    licence = ops.licence(LicenceMode.AGGREGATES_ONLY, k=5)
    inside, release = threading.Event(), threading.Event()
    real_run = licensing_access.execute.run
    outcome = {}

    def slow_run(table, spec):
        inside.set()
        assert release.wait(30)
        return real_run(table, spec)

    monkeypatch.setattr(licensing_access.execute, "run", slow_run)

    def running_query():
        try:
            outcome["result"] = ask(ops, licence)
        finally:
            connections.close_all()

    worker = threading.Thread(target=running_query)
    worker.start()
    assert inside.wait(30)
    # The running query holds the licence FOR SHARE: the revocation cannot take it now.
    with pytest.raises(OperationalError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '200ms'")
        services.licence_transition(
            actor=ops.agency_user, licence=licence, action="revoke", reason="违约", now=NOW
        )
    release.set()
    worker.join(30)
    assert outcome["result"].records  # the request already authorised finished
    monkeypatch.setattr(licensing_access.execute, "run", real_run)
    services.licence_transition(
        actor=ops.agency_user, licence=licence, action="revoke", reason="违约", now=NOW
    )
    with pytest.raises(LicenceRefused):
        ask(ops, licence)


@pytest.mark.django_db(transaction=True)
def test_parallel_calls_with_k_units_left_serve_exactly_k(world):
    from tests.operations.conftest import Ops

    ops = Ops(world)
    licence = ops.licence(LicenceMode.AGGREGATES_ONLY, k=5, total_quota=3)
    results = []
    barrier = threading.Barrier(6)

    def call():
        try:
            barrier.wait(30)
            ask(ops, licence)
            results.append("served")
        except LicenceQuotaExceeded:
            results.append("quota")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=call) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results.count("served") == 3
    assert AccessLog.objects.filter(outcome="served").count() == 3
    assert licence.counters.get(period="total").used == 3


@pytest.mark.django_db(transaction=True)
def test_two_agency_approvals_at_once_issue_the_licences_once(world):
    from tests.operations.conftest import Ops, make_user

    ops = Ops(world)
    agreement = ops.agreement()
    application = ops.apply(agreement, "aggregates_only", ["区"])
    services.application_holder_review(
        actor=ops.holder, application=application, decision="approved", now=NOW
    )
    second = make_user()
    from operations.models import PartyMember

    PartyMember.objects.create(party=ops.agency, user=second)
    outcomes = []
    barrier = threading.Barrier(2)

    def decide(user):
        try:
            barrier.wait(30)
            services.application_agency_review(
                actor=user, application=application, decision="approved", now=NOW
            )
            outcomes.append("won")
        except IllegalTransition:
            outcomes.append("409")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(u,)) for u in (ops.agency_user, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["409", "won"]
    from operations.models import Licence

    assert Licence.objects.count() == 1


def test_a_withdrawn_scheme_cannot_be_approved(ops, client):
    scheme = services.scheme_create(
        actor=ops.agency_user,
        agency=ops.agency,
        title="方案",
        modes=["whole"],
        registration_codes=[ops.people.code],
        scenarios=["场景"],
        now=NOW,
    )
    client.force_login(ops.agency_user)
    assert client.post(f"/api/v1/operations/schemes/{scheme.pk}/withdraw/").status_code == 200
    response = client.post(
        f"/api/v1/operations/schemes/{scheme.pk}/approve/",
        {"approver": "市政府", "document_no": "1", "approved_on": "2026-05-01"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["current_state"] == "withdrawn"
