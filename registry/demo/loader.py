"""The whole demo load: one transaction, idempotent, deterministic."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, Max, Min, OuterRef, Subquery
from django.db.models.fields.json import KT

from registry import services
from registry.demo import organisations as demo_orgs
from registry.demo.catalogue import CATALOGUE
from registry.demo.flows import Demo
from registry.demo.recipes import run
from registry.demo.timeline import Timeline
from registry.models import (
    Attachment,
    Organisation,
    Platform,
    RecordStatus,
    Region,
    RegionLevel,
    Registration,
    RegistrationEvent,
    RegistrationStatus,
    Resource,
    ResourceVersion,
    Role,
)

SEED = 20250301  # 公共数据资源登记管理暂行办法 in force 2025-03-01
# Any value: it only serialises concurrent loads (pg_advisory_xact_lock takes a bigint).
ADVISORY_LOCK_KEY = 0x44454D4F  # "DEMO"


class DemoConflict(Exception):
    """The database holds accounts the demo would create, but not the demo itself."""


def is_loaded() -> bool:
    return Organisation.objects.filter(credit_code=demo_orgs.marker_credit_code()).exists()


def load(*, now: dt.datetime) -> bool:
    """Load the demo unless it is there already. Returns False when there was nothing to do."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        if is_loaded():
            return False
        usernames = [a.username for a in demo_orgs.all_accounts()]
        taken = sorted(
            get_user_model()
            .objects.filter(username__in=usernames)
            .values_list("username", flat=True)
        )
        if taken:
            raise DemoConflict(
                f"Accounts {', '.join(taken)} already exist but the demo data does not: "
                "load the demo into a fresh database."
            )
        demo = _prepare(now)
        for spec in CATALOGUE:
            run(demo, spec)
        align_timestamps([org.pk for org in demo.orgs.values()])
        # The nightly job's work for records whose validity runs out (expiring / expired).
        services.update_record_validity(now=now)
    return True


def _prepare(now: dt.datetime) -> Demo:
    demo_orgs.mark_platforms_not_live()
    orgs = demo_orgs.build_organisations()
    users = demo_orgs.build_accounts(orgs)
    timeline = Timeline(now, random.Random(SEED))
    demo_orgs.build_mandate(orgs, today=timeline.today)
    platforms = {p.code: p.pk for p in Platform.objects.all()}
    reviewers = {
        platforms[account.target]: users[account.username]
        for account in demo_orgs.PLATFORM_ACCOUNTS
        if account.role == Role.REVIEWER
    }
    provinces = dict(Region.objects.filter(level=RegionLevel.PROVINCE).values_list("code", "name"))
    return Demo(
        timeline=timeline,
        orgs=orgs,
        users=users,
        reviewers=reviewers,
        citizen=users["citizen"],
        province_names=provinces,
    )


def align_timestamps(org_ids: list[int]) -> None:
    """auto_now(_add) fields hold the load's wall clock; lists sort by them, so give them the
    demo's own time line instead: the first and last event of each application, its
    decision for the version it created, and the attach event for each attachment."""
    regs = Registration.objects.filter(resource__holder_id__in=org_ids)
    events = RegistrationEvent.objects.filter(registration=OuterRef("pk")).order_by()
    regs.update(
        created_at=Subquery(events.values("registration").annotate(t=Min("at")).values("t")),
        updated_at=Subquery(events.values("registration").annotate(t=Max("at")).values("t")),
    )
    own = Registration.objects.filter(resource=OuterRef("pk")).order_by()
    Resource.objects.filter(holder_id__in=org_ids).update(
        created_at=Subquery(own.values("resource").annotate(t=Min("created_at")).values("t")),
        updated_at=Subquery(own.values("resource").annotate(t=Max("updated_at")).values("t")),
    )
    ResourceVersion.objects.filter(resource__holder_id__in=org_ids).update(
        created_at=Subquery(
            Registration.objects.filter(pk=OuterRef("registration_id")).values("decided_at")
        )
    )
    attached = (
        RegistrationEvent.objects.annotate(sha256=KT("data__sha256"), kind=KT("data__kind"))
        .filter(
            registration=OuterRef("registration_id"),
            action="attach",
            sha256=OuterRef("sha256"),
            kind=OuterRef("kind"),
        )
        .order_by("at")
    )
    Attachment.objects.filter(registration__in=regs).update(
        uploaded_at=Subquery(attached.values("at")[:1])
    )


def summary() -> str:
    """One line: registrations by workflow state and records by status."""
    by_state = dict(Registration.objects.order_by().values_list("status").annotate(n=Count("id")))
    by_record = dict(
        Resource.objects.filter(code__isnull=False)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    states = ", ".join(f"{s.value} {by_state.get(s.value, 0)}" for s in RegistrationStatus)
    records = ", ".join(
        f"{s.value} {by_record.get(s.value, 0)}" for s in RecordStatus if s != RecordStatus.PENDING
    )
    return (
        f"{Organisation.objects.count()} organisations, "
        f"{get_user_model().objects.count()} users, "
        f"{sum(by_state.values())} registrations ({states}); "
        f"{sum(by_record.values())} coded records ({records})"
    )
