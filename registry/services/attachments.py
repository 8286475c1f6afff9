"""Supporting documents: type sniffed from the bytes, size checked, stored under a
generated name."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid

import puremagic
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from registry.errors import ValidationFailed
from registry.models import (
    Attachment,
    AttachmentKind,
    Registration,
)
from registry.services.common import (
    _check_state,
    _event,
    _lock,
    _require_filer,
)

ATTACHMENT_TYPES = {
    "application/pdf": {".pdf"},
    "image/png": {".png"},
    "image/jpeg": {".jpg", ".jpeg"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    "application/msword": {".doc"},
    "application/vnd.ofd": {".ofd"},
    "application/zip": {".ofd"},
}


def _sniff_attachment(upload: UploadedFile) -> tuple[str, str]:
    """Content type from the bytes, which must agree with the file name's extension."""
    name = os.path.basename(upload.name or "").strip()
    ext = os.path.splitext(name)[1].lower()
    head = upload.read(8192)
    upload.seek(0)
    try:
        guesses = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        guesses = []
    mimes = {g.mime_type for g in guesses if g.mime_type}
    if head.startswith(b"%PDF-"):
        mimes.add("application/pdf")
    if head.startswith(b"PK\x03\x04"):
        mimes.add("application/zip")
        if ext == ".docx":
            mimes.add("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    for mime, exts in ATTACHMENT_TYPES.items():
        if mime in mimes and ext in exts:
            return mime, name
    raise ValidationFailed(
        "The file's content does not match an allowed document type.",
        errors={"file": ["Allowed: PDF, OFD, DOC/DOCX, PNG, JPEG, with a matching extension."]},
    )


@transaction.atomic
def attachment_add(
    *, actor, registration: Registration, kind: str, upload: UploadedFile, now: dt.datetime
) -> Attachment:
    reg = _lock(registration.pk)
    _require_filer(actor, reg, now=now)
    _check_state(reg, "attach")
    if kind not in AttachmentKind.values:
        raise ValidationFailed(
            "Unknown attachment kind.",
            errors={"kind": [f"Must be one of: {', '.join(AttachmentKind.values)}."]},
        )
    limit = settings.REGISTRY_ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationFailed(
            "The file is too large.", errors={"file": [f"At most {limit // (1024 * 1024)} MiB."]}
        )
    if upload.size == 0:
        raise ValidationFailed("The file is empty.", errors={"file": ["The file is empty."]})
    content_type, original = _sniff_attachment(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    ext = original.rsplit(".", 1)[-1].lower()
    upload.name = f"{uuid.uuid4().hex}.{ext}"
    attachment = Attachment.objects.create(
        registration=reg,
        kind=kind,
        file=upload,
        original_name=original[:255],
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    _event(
        reg,
        action="attach",
        from_status=reg.status,
        actor=actor,
        now=now,
        data={"kind": kind, "sha256": attachment.sha256, "name": attachment.original_name},
    )
    return attachment
