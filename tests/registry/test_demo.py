"""The demo data: loaded once for the module (inside a transaction rolled back at the end, so
other modules never see it), then checked for coverage, validity and idempotency."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Max
from django.test.utils import override_settings
from django.utils import timezone

from registry import services
from registry.demo.organisations import DEMO_PASSWORD, HOLDER_TYPES
from registry.models import (
    AgentMandate,
    AttachmentKind,
    Objection,
    ObjectionStatus,
    Organisation,
    Platform,
    RecordStatus,
    Registration,
    RegistrationStatus,
    RegistrationType,
    Resource,
    Role,
    RoleAssignment,
)
from registry.selectors import overdue_filter
from registry.validators import credit_code_problem

pytestmark = pytest.mark.smoke

REVIEW_ACTIONS = {
    "accept",
    "require_supplement",
    "not_accept",
    "return",
    "reject",
    "start_notice",
    "approve_review",
    "uphold_objection",
    "dismiss_objection",
}


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db):
    return demo_output


def test_loading_prints_a_one_line_summary_of_counts_by_state(demo):
    lines = [line for line in demo.splitlines() if line.strip()]

    assert len(lines) == 1
    assert "Demo data loaded" in lines[0]
    assert "approved" in lines[0] and "in_notice" in lines[0]


def test_every_registration_state_occurs(demo):
    present = set(Registration.objects.values_list("status", flat=True))

    assert present == set(RegistrationStatus.values)


def test_most_registrations_are_approved(demo):
    counts = dict(Registration.objects.values_list("status").annotate(n=Count("id")))

    assert counts[RegistrationStatus.APPROVED] > sum(counts.values()) / 2


def test_every_organisation_has_a_valid_credit_code(demo):
    codes = list(Organisation.objects.values_list("credit_code", flat=True))

    assert codes
    assert [c for c in codes if credit_code_problem(c) is not None] == []


def test_there_are_eighty_registrations_and_thirty_holders_across_seven_provinces(demo):
    holders = Organisation.objects.filter(org_type__in=HOLDER_TYPES)
    provinces = set(
        holders.filter(is_national_level=False).values_list("region__province_code", flat=True)
    )

    assert Registration.objects.count() >= 80
    assert holders.count() >= 30
    assert len(provinces) >= 7
    assert holders.filter(is_national_level=True).count() >= 3


def test_registrations_span_industries_and_object_types(demo):
    industries = set(Registration.objects.values_list("industry", flat=True))
    types = set(Resource.objects.values_list("object_type", flat=True))

    assert len(industries) >= 10
    assert types == {"resource", "product", "open_resource"}


def test_ninety_coded_open_records_are_there_for_the_portal_demo_to_publish(demo):
    publishable = Resource.objects.filter(
        status__in=[RecordStatus.ACTIVE, RecordStatus.EXPIRING],
        current_version__open_category__in=["unconditional", "conditional"],
    )

    assert publishable.count() >= 85
    assert publishable.filter(current_version__open_category="conditional").count() >= 12
    assert publishable.values("holder").distinct().count() >= 30


def test_changes_and_corrections_created_later_versions(demo):
    latest = Resource.objects.annotate(n=Max("versions__number"))

    assert latest.filter(n=2).exists()
    assert latest.filter(n=3).exists()
    followups = set(
        Registration.objects.filter(status=RegistrationStatus.APPROVED).values_list(
            "registration_type", flat=True
        )
    )
    assert {RegistrationType.CHANGE, RegistrationType.CORRECTION} <= followups


def test_a_deregistered_an_expiring_and_an_expired_record_exist(demo):
    today = timezone.localdate()
    statuses = set(Resource.objects.values_list("status", flat=True))

    assert {RecordStatus.DEREGISTERED, RecordStatus.EXPIRING, RecordStatus.EXPIRED} <= statuses
    assert all(r.valid_until < today for r in Resource.objects.filter(status=RecordStatus.EXPIRED))


def test_deadlines_look_natural_some_overdue_some_not(demo):
    now = timezone.now()
    overdue = Registration.objects.filter(overdue_filter(now))

    for status in (RegistrationStatus.SUBMITTED, RegistrationStatus.UNDER_REVIEW):
        of_status = Registration.objects.filter(status=status)
        assert overdue.filter(status=status).exists()
        assert of_status.exclude(pk__in=overdue.values("pk")).exists()
    assert not Registration.objects.filter(submitted_at__gt=now).exists()


def test_notices_include_a_pending_and_a_dismissed_objection_and_one_already_ended(demo):
    now = timezone.now()
    in_notice = Registration.objects.filter(status=RegistrationStatus.IN_NOTICE)

    assert in_notice.filter(notice_end__gt=now).count() >= 3
    assert in_notice.filter(objections__status=ObjectionStatus.PENDING).exists()
    assert in_notice.filter(objections__status=ObjectionStatus.DISMISSED).exists()
    assert in_notice.filter(notice_end__lt=now).count() == 1
    assert Objection.objects.filter(status=ObjectionStatus.UPHELD).exists()


def test_the_scheduled_job_codes_the_notice_that_has_ended(demo):
    ended = Registration.objects.get(
        status=RegistrationStatus.IN_NOTICE, notice_end__lt=timezone.now()
    )

    closed = services.close_ended_notices(now=timezone.now())

    ended.refresh_from_db()
    assert closed == 1
    assert ended.status == RegistrationStatus.APPROVED
    assert ended.resource.code


def test_supplement_notices_list_two_or_three_items(demo):
    notices = Registration.objects.filter(status=RegistrationStatus.SUPPLEMENT_REQUIRED)

    assert notices.exists()
    assert all(2 <= len(r.supplement_items) <= 3 for r in notices)


def test_tibet_and_qinghai_registrants_file_on_the_national_platform(demo):
    national = Platform.objects.get(code="national")

    assert set(
        Platform.objects.filter(code__in=["54", "63"]).values_list("is_live", flat=True)
    ) == {False}
    for province in ("540000", "630000"):
        regs = Registration.objects.filter(resource__holder__region__province_code=province)
        assert regs.exists()
        assert set(regs.values_list("platform", flat=True)) == {national.pk}


def test_reviewers_never_acted_on_their_own_organisations_filings(demo):
    holder_staff = set(
        RoleAssignment.objects.filter(role=Role.HOLDER_STAFF).values_list("user", "organisation")
    )
    reviewers = set(
        RoleAssignment.objects.filter(role=Role.REVIEWER).values_list("user", flat=True)
    )
    events = Registration.objects.filter(events__action__in=REVIEW_ACTIONS).values_list(
        "events__actor", "resource__holder", "events__action"
    )

    assert events
    for actor, holder, _action in events:
        assert actor in reviewers
        assert (actor, holder) not in holder_staff


def test_the_agent_files_under_a_valid_mandate_with_the_mandate_attached(demo):
    today = timezone.localdate()
    filed = Registration.objects.filter(agent_organisation__isnull=False)

    assert filed.exists()
    for reg in filed:
        assert reg.mandate.valid_from <= today <= reg.mandate.valid_until
        assert reg.attachments.filter(kind=AttachmentKind.MANDATE).exists()
    assert AgentMandate.objects.filter(revoked_at__isnull=True).count() == 1


def test_demo_accounts_share_the_printed_password_and_admin_is_a_superuser(demo):
    admin = get_user_model().objects.get(username="admin")

    assert admin.is_superuser and admin.check_password(DEMO_PASSWORD)
    assert RoleAssignment.objects.filter(
        user=admin, role=Role.PLATFORM_ADMIN, platform__code="national"
    ).exists()


def test_event_times_never_lie_in_the_future_and_follow_each_other(demo):
    now = timezone.now()
    for reg in Registration.objects.prefetch_related("events"):
        times = [e.at for e in reg.events.all()]
        assert times == sorted(times)
        assert times[-1] < now + dt.timedelta(seconds=1)


def test_loading_again_creates_nothing(demo):
    models = (Organisation, Registration, Resource, get_user_model(), Objection, AgentMandate)
    before = [model.objects.count() for model in models]
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert [model.objects.count() for model in models] == before
    assert "already loaded" in out.getvalue()


def test_demo_logins_prints_the_featured_accounts_and_the_password(demo):
    out = StringIO()

    call_command("demo_logins", stdout=out)

    text = out.getvalue()
    for expected in ("admin", "gd_reviewer", "zj_reviewer", "citizen", DEMO_PASSWORD):
        assert expected in text
    for url in ("/registry/notices/", "/registry/records/", "/registry/staff/", "/api/docs/"):
        assert url in text


def test_load_demo_refuses_production_settings(monkeypatch, db):
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "config.settings.production")

    with pytest.raises(CommandError, match="production"):
        call_command("load_demo", stdout=StringIO())
