"""The authorised-operation demo: loaded once for the module on top of the registry and portal
demos (rolled back at the end), then checked for coverage and idempotency."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test.utils import override_settings

from operations.models import (
    AccessLog,
    Agreement,
    AgreementStatus,
    ApplicationStatus,
    AuthorisationMode,
    Licence,
    LicenceMode,
    Party,
    PartyKind,
    Scheme,
)

pytestmark = pytest.mark.smoke


def test_the_operations_demo_asks_for_the_other_demos_first(db):
    with pytest.raises(CommandError, match="load_"):
        call_command("load_operations_demo", stdout=StringIO())
    assert not Party.objects.exists()


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("operations-demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        call_command("load_portal_demo", stdout=StringIO())
        out = StringIO()
        call_command("load_operations_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db):
    return demo_output


def test_demo_has_two_agencies_three_verified_operators_and_schemes_in_each_mode(demo):
    assert "Operations demo loaded" in demo
    assert Party.objects.filter(kind=PartyKind.AGENCY).count() == 2
    operators = Party.objects.filter(kind=PartyKind.OPERATOR)
    assert operators.count() == 3
    assert all(p.is_verified for p in operators)
    modes = {m for scheme in Scheme.objects.all() for m in scheme.modes}
    assert modes == set(AuthorisationMode.values)


def test_demo_has_agreements_in_every_state_and_licences_of_each_mode(demo):
    assert set(Agreement.objects.values_list("status", flat=True)) == set(AgreementStatus.values)
    assert set(Licence.objects.values_list("mode", flat=True)) == set(LicenceMode.values)
    assert AccessLog.objects.filter(outcome="served").count() >= 6
    statuses = set(Licence.objects.values_list("status", flat=True))
    assert {"active", "suspended", "revoked"} <= statuses
    from operations.models import AccessApplication

    pending = set(AccessApplication.objects.values_list("status", flat=True))
    assert {ApplicationStatus.HOLDER_REVIEW, ApplicationStatus.AGENCY_REVIEW} <= pending


def test_demo_loads_once(demo):
    out = StringIO()
    call_command("load_operations_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert Party.objects.filter(kind=PartyKind.AGENCY).count() == 2


def test_demo_licences_answer_queries(demo, client):
    from django.contrib.auth import get_user_model

    licence = Licence.objects.filter(
        mode="aggregates_only", status="active", agreement__status="active"
    ).first()
    user = get_user_model().objects.get(username="gz_datagroup")
    client.force_login(user)
    licence = Licence.objects.filter(
        operator__members__user=user, mode="aggregates_only", status="active"
    ).first()
    response = client.post(
        f"/api/v1/operations/licences/{licence.pk}/query/",
        {"group_by": [licence.allowed_columns[0]]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert client.get("/operations/").status_code == 200
