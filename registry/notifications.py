"""E-mail to staff.

- After each sweep that flags applications past their acceptance or review deadline
  (`services.flag_overdue`), the reviewers and administrators of each platform get one message
  listing that platform's newly overdue applications.
- After the nightly validity sweep (`services.update_record_validity`), the staff of each
  registrant get one message listing its records whose validity ends soon (status
  "expiring"), with where to file the change that renews them.

Delivery is at least once: an application or record is marked notified (`overdue_notified_at`,
`expiry_notified_for`) only after its messages were handed to the mail server, so a failure is
retried on the next sweep. An application's mark is reset with its flag; a record's names the
validity end it was about, so a renewed record is told again before its next one."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from registry.federation.conf import node
from registry.federation.models import FederatedRecord
from registry.models import (
    Organisation,
    Platform,
    RecordStatus,
    Registration,
    Resource,
    Role,
    RoleAssignment,
)

logger = logging.getLogger(__name__)
BATCH = 500


def staff_emails(platform: Platform) -> list[str]:
    """The e-mail addresses of the platform's active reviewers and administrators."""
    users = RoleAssignment.objects.filter(
        platform=platform, role__in=[Role.REVIEWER, Role.PLATFORM_ADMIN]
    ).values("user_id")
    emails = (
        get_user_model()
        .objects.filter(pk__in=users, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted(set(emails))


def _link(registration: Registration) -> str:
    return settings.PORTAL_BASE_URL + reverse("registry:queue-detail", args=[registration.pk])


def _message(platform: Platform, registrations: list[Registration], to: str) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "platform": platform,
            "rows": [(reg, _link(reg)) for reg in registrations],
            "platform_name": settings.PLATFORM_NAME,
        }
        subject = render_to_string("registry/email/overdue_subject.txt", context)
        body = render_to_string("registry/email/overdue.txt", context)
    return EmailMessage(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [to])


def notify_overdue(*, now: dt.datetime) -> int:
    """E-mail the staff of each platform about its flagged applications not yet notified;
    returns how many applications were notified. A failure of the mail server raises (the
    sweep is retried) and marks nothing."""
    if not settings.REGISTRY_NOTIFY_OVERDUE:
        return 0
    pending = list(
        Registration.objects.filter(
            overdue_flagged_at__isnull=False, overdue_notified_at__isnull=True
        )
        .select_related("platform", "resource__holder")
        .order_by("platform_id", "pk")[:BATCH]
    )
    if not pending:
        return 0
    by_platform: dict[Platform, list[Registration]] = defaultdict(list)
    for registration in pending:
        by_platform[registration.platform].append(registration)
    messages = []
    for platform, registrations in by_platform.items():
        recipients = staff_emails(platform)
        if not recipients:
            logger.warning(
                "%d overdue applications on platform %s, and no reviewer or administrator "
                "with an e-mail address to tell",
                len(registrations),
                platform.code,
            )
        messages += [_message(platform, registrations, to) for to in recipients]
    if messages:
        with get_connection(fail_silently=False) as connection:
            connection.send_messages(messages)
    return Registration.objects.filter(
        pk__in=[r.pk for r in pending],
        overdue_flagged_at__isnull=False,
        overdue_notified_at__isnull=True,
    ).update(overdue_notified_at=now)


def holder_emails(holder: Organisation) -> list[str]:
    """The e-mail addresses of the registrant's active staff."""
    users = RoleAssignment.objects.filter(organisation=holder, role=Role.HOLDER_STAFF).values(
        "user_id"
    )
    emails = (
        get_user_model()
        .objects.filter(pk__in=users, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted(set(emails))


def _record_links(record: Resource) -> tuple[str, str]:
    base = settings.PORTAL_BASE_URL
    return (
        base + reverse("registry:record-detail", args=[record.code]),
        base + reverse("registry:followup-create", args=[record.code]),
    )


def _expiry_message(holder: Organisation, records: list[Resource], to: str) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "holder": holder,
            "rows": [(record, *_record_links(record)) for record in records],
            "platform_name": settings.PLATFORM_NAME,
        }
        subject = render_to_string("registry/email/expiring_subject.txt", context)
        body = render_to_string("registry/email/expiring.txt", context)
    return EmailMessage(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [to])


def notify_expiring(*, now: dt.datetime) -> int:
    """E-mail the staff of each registrant about its expiring records not yet notified for
    their current validity end; returns how many records were notified. Records another node
    keeps are told by that node. A failure of the mail server raises and marks nothing."""
    if not settings.REGISTRY_NOTIFY_EXPIRING:
        return 0
    records = Resource.objects.filter(status=RecordStatus.EXPIRING, valid_until__isnull=False)
    records = records.exclude(expiry_notified_for=models.F("valid_until"))
    config = node()
    if config.is_federated:
        elsewhere = FederatedRecord.objects.exclude(steward_node=config.node_code)
        records = records.exclude(pk__in=elsewhere.values("resource_id"))
    pending = list(
        records.select_related("holder", "current_version").order_by("holder_id", "pk")[:BATCH]
    )
    if not pending:
        return 0
    by_holder: dict[Organisation, list[Resource]] = defaultdict(list)
    for record in pending:
        by_holder[record.holder].append(record)
    messages = []
    for holder, held in by_holder.items():
        recipients = holder_emails(holder)
        if not recipients:
            logger.info(
                "%d records of %s expire soon, and no staff e-mail address to tell",
                len(held),
                holder.pk,
            )
        messages += [_expiry_message(holder, held, to) for to in recipients]
    if messages:
        with get_connection(fail_silently=False) as connection:
            connection.send_messages(messages)
    done = 0
    for record in pending:  # each for the validity end it was told about
        done += Resource.objects.filter(
            pk=record.pk, valid_until=record.valid_until, status=RecordStatus.EXPIRING
        ).update(expiry_notified_for=record.valid_until)
    return done
