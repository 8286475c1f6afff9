"""E-mail to staff. After each sweep that flags applications past their acceptance or review
deadline (`services.flag_overdue`), the reviewers and administrators of each platform get one
message listing that platform's newly overdue applications.

Delivery is at least once: an application is marked notified (`overdue_notified_at`) only
after its messages were handed to the mail server, so a failure is retried on the next sweep.
The mark is reset with the flag when the application moves on (a new deadline, a new flag)."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from registry.models import Platform, Registration, Role, RoleAssignment

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
