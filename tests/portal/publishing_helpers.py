"""Small helpers for the publishing, upload and download tests: a coded record, a dataset
published through the real services, and files uploaded through them."""

from __future__ import annotations

import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile

from portal import services
from tests.conftest import at

NOW = at(2026, 4, 1)
_seq = itertools.count(1)


def coded_record(world, *, user=None, holder=None, **overrides):
    """A coded registry record (Resource) of the world's holder unless told otherwise."""
    overrides.setdefault("name", f"广州市测试数据{next(_seq)}")
    reg = world.coded(user=user, holder=holder, **overrides)
    resource = reg.resource
    resource.refresh_from_db()
    return resource


def publish(world, *, user=None, resource=None, data=None, now=NOW, **record):
    user = user or world.holder
    resource = resource or coded_record(world, **record)
    return services.dataset_publish(actor=user, resource=resource, data=data or {}, now=now)


def upload_file(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def add_file(world, dataset, *, content=b"a,b\n1,2\n", name="data.csv", user=None, now=NOW):
    return services.distribution_create_with_file(
        actor=user or world.holder,
        dataset=dataset,
        title=name[:200],
        upload=upload_file(name, content),
        now=now,
    )


def new_version(world, distribution, *, content, name="data.csv", user=None, now=NOW):
    return services.distribution_upload(
        actor=user or world.holder,
        distribution=distribution,
        upload=upload_file(name, content),
        now=now,
    )


def xlsx_bytes(rows) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def follow_up(world, record, kind, *, data=None, reason="业务调整", now=None):
    """A change, correction or deregistration of `record`, taken through review to completion
    (which sends registry.signals.record_changed)."""
    import datetime as dt

    from registry import services as registry_services
    from tests.conftest import pdf

    now = now or at(2026, 5, 6)
    reg = registry_services.registration_create_followup(
        actor=world.holder,
        resource=record,
        registration_type=kind,
        data=data,
        reason=reason,
        now=now,
    )
    registry_services.attachment_add(
        actor=world.holder, registration=reg, kind="commitment", upload=pdf(), now=now
    )
    registry_services.registration_submit(actor=world.holder, registration=reg, now=now)
    registry_services.registration_accept(actor=world.reviewer, registration=reg, now=now)
    reg = registry_services.registration_approve_review(
        actor=world.reviewer, registration=reg, now=now
    )
    if reg.status == "in_notice":
        reg = registry_services.registration_complete(
            registration=reg, now=reg.notice_end + dt.timedelta(seconds=1)
        )
    record.refresh_from_db()
    return reg
