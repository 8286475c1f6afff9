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
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import models
from django.db.models import QuerySet
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


def _emails(assignments: QuerySet[RoleAssignment]) -> list[str]:
    """The e-mail addresses of the active users holding these role assignments."""
    users = get_user_model().objects.filter(pk__in=assignments.values("user_id"), is_active=True)
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def staff_emails(platform: Platform) -> list[str]:
    """The platform's active reviewers and administrators."""
    return _emails(
        RoleAssignment.objects.filter(
            platform=platform, role__in=[Role.REVIEWER, Role.PLATFORM_ADMIN]
        )
    )


def holder_emails(holder: Organisation) -> list[str]:
    """The registrant's active staff."""
    return _emails(RoleAssignment.objects.filter(organisation=holder, role=Role.HOLDER_STAFF))


def _group(rows: list, key: Callable[[Any], Any]) -> dict[Any, list]:
    groups: dict[Any, list] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return groups


def _send_digests(
    groups: dict[Any, list],
    *,
    recipients: Callable[[Any], list[str]],
    template: str,
    context: Callable[[Any, list], dict],
) -> None:
    """One message per recipient of each group, listing the group's rows: rendered once per
    group from `registry/email/{template}.txt` and `…_subject.txt` in the site's language,
    then all handed to the mail server together (which raises if it refuses them)."""
    messages = []
    for group, rows in groups.items():
        addresses = recipients(group)
        if not addresses:
            logger.warning(
                "%s: %d rows for %s, and nobody with an e-mail address to tell",
                template,
                len(rows),
                group,
            )
            continue
        with translation.override(settings.LANGUAGE_CODE):
            values = {**context(group, rows), "platform_name": settings.PLATFORM_NAME}
            subject = render_to_string(f"registry/email/{template}_subject.txt", values)
            text = render_to_string(f"registry/email/{template}.txt", values)
        subject = " ".join(subject.split())
        messages += [
            EmailMessage(subject, text, settings.DEFAULT_FROM_EMAIL, [to]) for to in addresses
        ]
    if messages:
        with get_connection(fail_silently=False) as connection:
            connection.send_messages(messages)


def _link(name: str, *args: Any) -> str:
    return settings.PORTAL_BASE_URL + reverse(name, args=args)


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
    _send_digests(
        _group(pending, lambda reg: reg.platform),
        recipients=staff_emails,
        template="overdue",
        context=lambda platform, regs: {
            "platform": platform,
            "rows": [(reg, _link("registry:queue-detail", reg.pk)) for reg in regs],
        },
    )
    return Registration.objects.filter(
        pk__in=[r.pk for r in pending],
        overdue_flagged_at__isnull=False,
        overdue_notified_at__isnull=True,
    ).update(overdue_notified_at=now)


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
    _send_digests(
        _group(pending, lambda record: record.holder),
        recipients=holder_emails,
        template="expiring",
        context=lambda holder, held: {
            "holder": holder,
            "rows": [
                (
                    record,
                    _link("registry:record-detail", record.code),
                    _link("registry:followup-create", record.code),
                )
                for record in held
            ],
        },
    )
    done = 0
    for record in pending:  # each for the validity end it was told about
        done += Resource.objects.filter(
            pk=record.pk, valid_until=record.valid_until, status=RecordStatus.EXPIRING
        ).update(expiry_notified_for=record.valid_until)
    return done
