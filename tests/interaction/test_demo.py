"""The interaction demo loader on a small catalogue: every application state, requests, error
reports, showcases and ratings, made through the services; a second run does nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from portal.access.models import AccessApplication, ApplicationStatus, Grant, GrantStatus
from portal.interaction import demo
from portal.interaction.models import (
    Comment,
    DataRequest,
    Feedback,
    FeedbackKind,
    Rating,
    RequestStatus,
    Showcase,
    ShowcaseStatus,
)
from tests.conftest import make_user
from tests.portal.factories import make_dataset


@pytest.fixture
def catalogue(world):
    make_user("national_admin", platform_admin=world.national)
    for n in range(7):
        make_dataset(world, title=f"有条件数据{n}", open_category="conditional")
    for n in range(8):
        make_dataset(world, title=f"开放数据{n}")


def test_the_demo_needs_the_portal_demo_first(db):
    with pytest.raises(CommandError, match="load_portal_demo"):
        call_command("load_interaction_demo", stdout=StringIO())


def test_the_demo_has_applications_in_every_state_and_every_channel(catalogue):
    out = StringIO()
    call_command("load_interaction_demo", stdout=out)
    assert "Interaction demo loaded" in out.getvalue()
    states = set(AccessApplication.objects.values_list("status", flat=True))
    assert states == set(ApplicationStatus.values)
    assert AccessApplication.objects.filter(extended_at__isnull=False).exists()
    assert AccessApplication.objects.filter(overdue_flagged_at__isnull=False).exists()
    grants = set(Grant.objects.values_list("status", flat=True))
    assert grants == {GrantStatus.ACTIVE, GrantStatus.EXPIRED, GrantStatus.REVOKED}
    now = timezone.now()
    assert any(g.report_overdue_at(now) for g in Grant.objects.all())
    assert set(DataRequest.objects.values_list("status", flat=True)) == set(RequestStatus.values)
    assert set(Feedback.objects.values_list("kind", flat=True)) == set(FeedbackKind.values)
    assert Feedback.objects.filter(replied_at__isnull=True, reply_deadline__lt=now).exists()
    assert set(Showcase.objects.values_list("status", flat=True)) == set(ShowcaseStatus.values)
    assert Rating.objects.count() >= 16 and Comment.objects.filter(status="hidden").exists()


def test_a_second_run_does_nothing(catalogue):
    call_command("load_interaction_demo", stdout=StringIO())
    counts = (
        AccessApplication.objects.count(),
        DataRequest.objects.count(),
        Rating.objects.count(),
    )
    out = StringIO()
    call_command("load_interaction_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert counts == (
        AccessApplication.objects.count(),
        DataRequest.objects.count(),
        Rating.objects.count(),
    )
    assert demo.is_loaded()


def test_the_demo_refuses_production_settings(monkeypatch, db):
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "config.settings.production")
    with pytest.raises(CommandError, match="production"):
        call_command("load_interaction_demo", stdout=StringIO())
