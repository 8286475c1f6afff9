"""Run inside a node's process (`manage.py shell -c`) by the two-node tests: drive real
registrations through the real services, so the outbox is written exactly as in production.
Prints one JSON line for the test to read."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from registry import services
from registry.models import Organisation, Platform, Role, RoleAssignment
from registry.validators import make_credit_code
from tests.conftest import metadata, pdf


def _org(region: str) -> Organisation:
    code = make_credit_code(f"11{region}MB{int(region):07d}"[:17])
    org = Organisation.objects.filter(credit_code=code).first()
    return org or services.organisation_create(
        name=f"测试单位{region}", credit_code=code, org_type="organ", region_code=region
    )


def _user(username: str, **roles):
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        for role, target in roles.items():
            if role in (Role.HOLDER_STAFF, Role.AGENT):
                RoleAssignment.objects.create(user=user, role=role, organisation=target)
            else:
                RoleAssignment.objects.create(user=user, role=role, platform=target)
    return user


def open_notice(name: str, *, region: str = "440100") -> None:
    """An initial registration left in public notice (公示)."""
    code_records(1, region=region, prefix=name, complete=False)


def code_records(
    count: int,
    *,
    region: str = "440100",
    prefix: str = "数据",
    complete: bool = True,
    past_the_guard: bool = False,
) -> None:
    """`count` initial registrations of a holder in `region`, taken to coded records.
    `past_the_guard`: filed without the node's own territory check (a record of another
    province that an older release, or an import, left on a provincial node)."""
    if past_the_guard:
        from unittest import mock

        with mock.patch("registry.services.filing.ensure_registrant_here"):
            code_records(count, region=region, prefix=prefix, complete=complete)
        return
    holder_org = _org(region)
    platform = services.platform_for(holder_org)
    holder = _user(f"holder{region}", holder_staff=holder_org)
    reviewer = _user(f"reviewer{platform.code}", reviewer=platform)
    codes = []
    now = timezone.now() - dt.timedelta(days=40)
    for n in range(count):
        reg = services.registration_create_initial(
            actor=holder,
            holder=holder_org,
            object_type="resource",
            data=metadata(name=f"{prefix}{n}", coverage_regions=[region]),
            now=now,
        )
        for kind in ("description", "commitment"):
            services.attachment_add(
                actor=holder, registration=reg, kind=kind, upload=pdf(), now=now
            )
        services.registration_submit(actor=holder, registration=reg, now=now)
        services.registration_accept(actor=reviewer, registration=reg, now=now)
        if not complete:
            services.registration_approve_review(
                actor=reviewer, registration=reg, now=timezone.now()
            )
            continue
        reg = services.registration_approve_review(actor=reviewer, registration=reg, now=now)
        reg = services.registration_complete(
            registration=reg, now=reg.notice_end + dt.timedelta(seconds=1)
        )
        reg.resource.refresh_from_db()
        codes.append(reg.resource.code)
    print(json.dumps({"codes": codes}))


def change_record(code: str, *, kind: str = "change", name: str = "变更后的名称") -> None:
    from registry.models import Resource

    resource = Resource.objects.get(code=code)
    holder = RoleAssignment.objects.filter(
        role=Role.HOLDER_STAFF, organisation=resource.holder
    ).first()
    if holder is None:
        holder_user = _user(f"holder{resource.holder.region_id}", holder_staff=resource.holder)
    else:
        holder_user = holder.user
    platform = resource.platform
    reviewer = _user(f"reviewer{platform.code}", reviewer=platform)
    now = timezone.now() - dt.timedelta(days=20)
    data = {"name": name} if kind != "deregistration" else None
    reg = services.registration_create_followup(
        actor=holder_user,
        resource=resource,
        registration_type=kind,
        data=data,
        reason="调整",
        now=now,
    )
    services.attachment_add(
        actor=holder_user, registration=reg, kind="commitment", upload=pdf(), now=now
    )
    services.registration_submit(actor=holder_user, registration=reg, now=now)
    services.registration_accept(actor=reviewer, registration=reg, now=now)
    reg = services.registration_approve_review(actor=reviewer, registration=reg, now=now)
    if reg.status == "in_notice":
        services.registration_complete(
            registration=reg, now=reg.notice_end + dt.timedelta(seconds=1)
        )
    print(json.dumps({"status": Resource.objects.get(pk=resource.pk).status}))


def national_admin(username: str = "natadmin") -> None:
    with transaction.atomic():
        _user(username, platform_admin=Platform.objects.get(level="national"))
    print(json.dumps({"admin": username}))
