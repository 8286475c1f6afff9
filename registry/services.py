"""Writes for the registry. Every workflow transition is one function that locks the
application row, checks the source state, saves with `update_fields`, appends an event and
defers side effects to `transaction.on_commit`.

Contracts common to every transition:
- `now` is an aware datetime passed in by the caller (views use `timezone.now()`, tasks pass
  theirs), so deadlines are testable;
- an action not allowed in the current state raises IllegalTransition (409) naming the current
  state and the allowed actions;
- reviewers act only on applications filed on their platform, never on their own filing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Value

from registry import signals
from registry.codes import get_code_rule
from registry.errors import (
    Conflict,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from registry.models import (
    METADATA_FIELDS,
    NATIONAL_REGION_CODE,
    AgentMandate,
    Attachment,
    AttachmentKind,
    Industry,
    ObjectionStatus,
    ObjectType,
    OpenCategory,
    Organisation,
    Platform,
    PlatformLevel,
    RecordStatus,
    Region,
    Registration,
    RegistrationEvent,
    RegistrationStatus,
    RegistrationType,
    Resource,
    ResourceVersion,
    SecurityGrade,
    UpdateFrequency,
)
from registry.models import (
    Objection as ObjectionModel,
)
from registry.search import document_tokens
from registry.selectors import can_file_for, can_review, is_own_filing, scope_of
from registry.workdays import deadline_after, local_date

S = RegistrationStatus

# The state machine: which actions each state allows. Used for checks and for the UI.
ALLOWED_ACTIONS: dict[str, list[str]] = {
    S.DRAFT: ["update", "attach", "submit", "withdraw"],
    S.SUBMITTED: ["accept", "require_supplement", "not_accept", "withdraw"],
    S.SUPPLEMENT_REQUIRED: ["update", "attach", "submit", "withdraw"],
    S.UNDER_REVIEW: ["return", "reject", "approve_review", "withdraw"],
    S.RETURNED: ["update", "attach", "submit", "withdraw"],
    S.IN_NOTICE: ["object", "uphold_objection", "dismiss_objection", "complete"],
    S.NOT_ACCEPTED: [],
    S.REJECTED: [],
    S.APPROVED: [],
    S.WITHDRAWN: [],
}
FILER_ACTIONS = {"update", "attach", "submit", "withdraw"}

DATA_ITEM_TYPES = [
    "string",
    "text",
    "integer",
    "decimal",
    "boolean",
    "date",
    "datetime",
    "code",
    "geometry",
    "binary",
]
FORMATS = [
    "CSV",
    "XLSX",
    "XLS",
    "JSON",
    "XML",
    "GeoJSON",
    "SHP",
    "PDF",
    "DOCX",
    "TXT",
    "ZIP",
    "RDF",
    "API",
    "DATABASE",
    "OTHER",
]
MAX_DATA_ITEMS = 1000
PHONE_RE = re.compile(r"^\+?[0-9][0-9\- ]{5,24}$")
ATTACHMENT_TYPES = {
    "application/pdf": {".pdf"},
    "image/png": {".png"},
    "image/jpeg": {".jpg", ".jpeg"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    "application/msword": {".doc"},
    "application/vnd.ofd": {".ofd"},
    "application/zip": {".ofd"},
}


# --------------------------------------------------------------------------- helpers


def _lock(pk: int) -> Registration:
    """Lock one application row (and nothing else) for a transition."""
    try:
        return (
            Registration.objects.select_for_update(of=("self",))
            .select_related("resource", "platform")
            .get(pk=pk)
        )
    except Registration.DoesNotExist:
        raise NotFound("No such registration.") from None


def _check_state(reg: Registration, action: str) -> None:
    if action not in ALLOWED_ACTIONS[reg.status]:
        raise IllegalTransition(
            action=action, current=reg.status, allowed=ALLOWED_ACTIONS[reg.status]
        )


def _event(
    reg: Registration,
    *,
    action: str,
    from_status: str,
    actor,
    now: dt.datetime,
    reason: str = "",
    data: dict | None = None,
) -> RegistrationEvent:
    return RegistrationEvent.objects.create(
        registration=reg,
        action=action,
        from_status=from_status,
        to_status=reg.status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        reason=reason,
        data=data or {},
        at=now,
    )


def _move(
    reg: Registration,
    *,
    action: str,
    to: str,
    actor,
    now: dt.datetime,
    reason: str = "",
    data: dict | None = None,
    fields: dict[str, Any] | None = None,
) -> Registration:
    from_status = reg.status
    reg.status = to
    updates = ["status", "updated_at"]
    for name, value in (fields or {}).items():
        setattr(reg, name, value)
        updates.append(name)
    reg.save(update_fields=updates)
    _event(
        reg, action=action, from_status=from_status, actor=actor, now=now, reason=reason, data=data
    )
    return reg


def _require_reviewer(actor, reg: Registration) -> None:
    if not can_review(user=actor, registration=reg):
        if scope_of(actor).is_reviewer and is_own_filing(user=actor, registration=reg):
            raise PermissionDenied("Reviewers never decide on their own filing.")
        raise NotFound("No such registration.")


def _require_filer(actor, reg: Registration) -> None:
    scope = scope_of(actor)
    if not (
        reg.resource.holder_id in scope.holder_org_ids
        or (reg.agent_organisation_id and reg.agent_organisation_id in scope.agent_org_ids)
    ):
        raise NotFound("No such registration.")


def _reason(reason: str, field: str = "reason") -> str:
    text = clean_text(reason)
    if not text:
        raise ValidationFailed("A reason is required.", errors={field: ["This field is required."]})
    if len(text) > 2000:
        raise ValidationFailed(
            "The reason is too long.", errors={field: ["At most 2000 characters."]}
        )
    return text


def clean_text(value: Any) -> str:
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value)).replace("\x00", "").strip()


def platform_for(holder: Organisation) -> Platform:
    """属地原则: the holder's province platform if it is live, else the national platform."""
    national = Platform.objects.get(level=PlatformLevel.NATIONAL)
    if holder.is_national_level or holder.region.province_code == NATIONAL_REGION_CODE:
        return national
    provincial = Platform.objects.filter(region_id=holder.region.province_code).first()
    if provincial is None or not provincial.is_live:
        return national
    return provincial


# --------------------------------------------------------------------------- validation


def check_metadata(data: dict[str, Any], *, object_type: str) -> dict[str, Any]:
    """Validate and normalise metadata. Returns the cleaned dict or raises ValidationFailed
    listing every problem at once (一次性告知)."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    unknown = sorted(set(data) - set(METADATA_FIELDS))
    for name in unknown:
        err(name, "Unknown field.")

    for name, limit in (
        ("name", 200),
        ("summary", 4000),
        ("contact_name", 100),
        ("contact_phone", 40),
    ):
        value = clean_text(data.get(name))
        if not value:
            err(name, "This field is required.")
        elif len(value) > limit:
            err(name, f"At most {limit} characters.")
        out[name] = value
    for name, limit in (
        ("domain", 100),
        ("storage_location", 200),
        ("storage_method", 100),
        ("source_systems", 300),
        ("consent_note", 500),
        ("contact_email", 254),
    ):
        value = clean_text(data.get(name))
        if len(value) > limit:
            err(name, f"At most {limit} characters.")
        out[name] = value
    if out.get("contact_phone") and not PHONE_RE.match(out["contact_phone"]):
        err("contact_phone", "Not a valid phone number.")
    if out.get("contact_email") and not re.match(
        r"^[^@\s]+@[^@\s]+\.[^@\s]+$", out["contact_email"]
    ):
        err("contact_email", "Not a valid e-mail address.")

    for name, choices in (
        ("industry", Industry),
        ("update_frequency", UpdateFrequency),
        ("security_grade", SecurityGrade),
        ("open_category", OpenCategory),
    ):
        value = clean_text(data.get(name))
        if value not in choices.values:
            err(name, f"Must be one of: {', '.join(choices.values)}.")
        out[name] = value

    for name in (
        "contains_personal_info",
        "contains_trade_secret",
        "consent_recorded",
        "in_operation_scope",
    ):
        value = data.get(name, False)
        if not isinstance(value, bool):
            err(name, "Must be true or false.")
            value = False
        out[name] = value

    sub = data.get("general_sublevel")
    if sub in (None, ""):
        out["general_sublevel"] = None
    elif isinstance(sub, bool) or not isinstance(sub, int) or not 1 <= sub <= 4:
        err("general_sublevel", "Must be an integer from 1 to 4.")
    elif out.get("security_grade") != SecurityGrade.GENERAL:
        err("general_sublevel", "Only general data carries a sub-level.")
    else:
        out["general_sublevel"] = sub

    for name in ("record_count", "byte_size"):
        value = data.get(name)
        if value in (None, ""):
            out[name] = None
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
            err(name, "Must be a non-negative integer.")
        elif value > 9_223_372_036_854_775_807:
            err(name, "Too large.")
        else:
            out[name] = value

    for name in ("period_start", "period_end"):
        value = data.get(name)
        if value in (None, ""):
            out[name] = None
        elif isinstance(value, dt.date):
            out[name] = value
        else:
            try:
                out[name] = dt.date.fromisoformat(str(value))
            except ValueError:
                err(name, "Must be a date (YYYY-MM-DD).")
                out[name] = None
    if (
        out.get("period_start")
        and out.get("period_end")
        and out["period_start"] > out["period_end"]
    ):
        err("period_end", "The end of the period is before its start.")

    out["data_items"] = _check_data_items(data.get("data_items", []), err)
    out["formats"] = _check_list_of(data.get("formats", []), "formats", FORMATS, err)
    out["coverage_regions"] = _check_regions(data.get("coverage_regions", []), err)

    _check_rules(out, object_type, err)
    if errors:
        raise ValidationFailed("The registration data is not valid.", errors=errors)
    return out


def _check_rules(out: dict[str, Any], object_type: str, err) -> None:
    grade, category = out.get("security_grade"), out.get("open_category")
    if (
        grade in (SecurityGrade.CORE, SecurityGrade.IMPORTANT)
        and category == OpenCategory.UNCONDITIONAL
    ):
        err("open_category", "Core and important data can never be opened unconditionally.")
    if category == OpenCategory.NOT_OPEN and out.get("in_operation_scope"):
        err("in_operation_scope", "Data that is not open cannot be authorised for operation.")
    if object_type == ObjectType.OPEN_DATA_RESOURCE and category == OpenCategory.NOT_OPEN:
        err("open_category", "An open data resource must be unconditional or conditional.")
    sensitive = out.get("contains_personal_info") or out.get("contains_trade_secret")
    if sensitive and category in (OpenCategory.UNCONDITIONAL, OpenCategory.CONDITIONAL):
        if not out.get("consent_recorded"):
            err(
                "consent_recorded",
                "Personal information or trade secrets need recorded consent before opening.",
            )
        if not out.get("consent_note"):
            err("consent_note", "Describe the consent obtained (who, when, scope).")


def _check_data_items(items: Any, err) -> list[dict[str, str]]:
    if not isinstance(items, list):
        err("data_items", "Must be a list of {name, type, description}.")
        return []
    if len(items) > MAX_DATA_ITEMS:
        err("data_items", f"At most {MAX_DATA_ITEMS} data items.")
        return []
    cleaned, seen = [], set()
    for i, item in enumerate(items):
        key = f"data_items[{i}]"
        if not isinstance(item, dict):
            err(key, "Must be an object with name, type and description.")
            continue
        extra = set(item) - {"name", "type", "description"}
        if extra:
            err(key, f"Unknown keys: {', '.join(sorted(extra))}.")
        name = clean_text(item.get("name"))
        kind = clean_text(item.get("type"))
        desc = clean_text(item.get("description"))
        if not name:
            err(f"{key}.name", "This field is required.")
        elif len(name) > 100:
            err(f"{key}.name", "At most 100 characters.")
        elif name.casefold() in seen:
            err(f"{key}.name", f"Duplicate data item name '{name}'.")
        seen.add(name.casefold())
        if kind not in DATA_ITEM_TYPES:
            err(f"{key}.type", f"Must be one of: {', '.join(DATA_ITEM_TYPES)}.")
        if len(desc) > 500:
            err(f"{key}.description", "At most 500 characters.")
        cleaned.append({"name": name, "type": kind, "description": desc})
    return cleaned


def _check_list_of(values: Any, field: str, allowed: list[str], err) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        err(field, "Must be a list of strings.")
        return []
    cleaned = []
    for value in values:
        norm = clean_text(value)
        match = next((a for a in allowed if a.lower() == norm.lower()), None)
        if match is None:
            err(field, f"Unknown value '{norm[:40]}'. Allowed: {', '.join(allowed)}.")
        elif match not in cleaned:
            cleaned.append(match)
    return cleaned


def _check_regions(values: Any, err) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        err("coverage_regions", "Must be a list of region codes.")
        return []
    codes = [clean_text(v) for v in values]
    if len(codes) > 500:
        err("coverage_regions", "At most 500 regions.")
        return []
    known = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        err("coverage_regions", f"Unknown region codes: {', '.join(unknown[:10])}.")
    return list(dict.fromkeys(codes))


def _missing_for_submit(reg: Registration) -> dict[str, list[str]]:
    """Everything still missing before an application can be submitted."""
    missing: dict[str, list[str]] = {}
    kinds = set(reg.attachments.values_list("kind", flat=True))
    if reg.registration_type != RegistrationType.DEREGISTRATION:
        if not reg.data_items:
            missing["data_items"] = ["At least one data item is required."]
        if not reg.coverage_regions:
            missing["coverage_regions"] = ["At least one coverage region is required."]
        if not reg.formats:
            missing["formats"] = ["At least one format is required."]
        if (
            reg.registration_type == RegistrationType.INITIAL
            and AttachmentKind.DESCRIPTION not in kinds
        ):
            missing["attachments"] = ["The description document (说明文档) is required."]
        sensitive = reg.contains_personal_info or reg.contains_trade_secret
        if (
            sensitive
            and reg.open_category != OpenCategory.NOT_OPEN
            and AttachmentKind.CONSENT not in kinds
        ):
            missing.setdefault("attachments", []).append("Evidence of consent is required.")
    elif not reg.reason:
        missing["reason"] = ["A deregistration must state its reason."]
    if AttachmentKind.COMMITMENT not in kinds:
        missing.setdefault("attachments", []).append(
            "The signed commitment letter (登记承诺书) is required."
        )
    if reg.agent_organisation_id and AttachmentKind.MANDATE not in kinds:
        missing.setdefault("attachments", []).append("The agent mandate (委托授权书) is required.")
    return missing


# --------------------------------------------------------------------------- filing


@transaction.atomic
def registration_create_initial(
    *,
    actor,
    holder: Organisation,
    object_type: str,
    data: dict[str, Any],
    reason: str = "",
    now: dt.datetime,
) -> Registration:
    """A first registration (draft) for a new resource of `holder`."""
    if object_type not in ObjectType.values:
        raise ValidationFailed(
            "Unknown object type.",
            errors={"object_type": [f"Must be one of: {', '.join(ObjectType.values)}."]},
        )
    permit = can_file_for(user=actor, holder=holder, today=local_date(now))
    if not permit:
        raise NotFound("No such organisation.")
    cleaned = check_metadata(data, object_type=object_type)
    resource = Resource.objects.create(
        object_type=object_type, holder=holder, platform=platform_for(holder)
    )
    mandate = permit if isinstance(permit, AgentMandate) else None
    reg = Registration.objects.create(
        resource=resource,
        registration_type=RegistrationType.INITIAL,
        platform=resource.platform,
        applicant=actor,
        agent_organisation=mandate.agent if mandate else None,
        mandate=mandate,
        reason=clean_text(reason),
        **cleaned,
    )
    _event(reg, action="create", from_status="", actor=actor, now=now)
    return reg


@transaction.atomic
def registration_create_followup(
    *,
    actor,
    resource: Resource,
    registration_type: str,
    data: dict[str, Any] | None,
    reason: str,
    now: dt.datetime,
) -> Registration:
    """A change, correction or deregistration of a coded record. The draft starts from the
    current version's metadata, with `data` applied on top (ignored for deregistration)."""
    if registration_type not in (
        RegistrationType.CHANGE,
        RegistrationType.CORRECTION,
        RegistrationType.DEREGISTRATION,
    ):
        raise ValidationFailed(
            "Unknown registration type.",
            errors={"registration_type": ["Must be change, correction or deregistration."]},
        )
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    permit = can_file_for(user=actor, holder=resource.holder, today=local_date(now))
    if not permit:
        raise NotFound("No such record.")
    if resource.status not in (RecordStatus.ACTIVE, RecordStatus.EXPIRING, RecordStatus.EXPIRED):
        raise Conflict(
            f"A record in state '{resource.status}' cannot be {registration_type}d.",
            extra={"current_state": resource.status},
        )
    if (
        resource.status == RecordStatus.EXPIRED
        and registration_type != RegistrationType.DEREGISTRATION
    ):
        raise Conflict(
            "An expired record can only be deregistered.", extra={"current_state": resource.status}
        )
    version = resource.current_version
    base = {name: getattr(version, name) for name in METADATA_FIELDS}
    if registration_type != RegistrationType.DEREGISTRATION and data:
        base.update(data)
    cleaned = check_metadata(base, object_type=resource.object_type)
    mandate = permit if isinstance(permit, AgentMandate) else None
    try:
        with transaction.atomic():
            reg = Registration.objects.create(
                resource=resource,
                registration_type=registration_type,
                platform=resource.platform,
                applicant=actor,
                agent_organisation=mandate.agent if mandate else None,
                mandate=mandate,
                reason=clean_text(reason),
                **cleaned,
            )
    except IntegrityError:
        raise Conflict("This record already has an application in progress.") from None
    _event(reg, action="create", from_status="", actor=actor, now=now)
    return reg


@transaction.atomic
def registration_update(
    *,
    actor,
    registration: Registration,
    data: dict[str, Any],
    reason: str | None = None,
    now: dt.datetime,
) -> Registration:
    reg = _lock(registration.pk)
    _require_filer(actor, reg)
    _check_state(reg, "update")
    if reg.registration_type == RegistrationType.DEREGISTRATION:
        if data:
            raise ValidationFailed(
                "A deregistration carries no metadata changes.",
                errors={k: ["Not editable on a deregistration."] for k in data},
            )
    else:
        merged = {name: getattr(reg, name) for name in METADATA_FIELDS} | data
        cleaned = check_metadata(merged, object_type=reg.resource.object_type)
        for name, value in cleaned.items():
            setattr(reg, name, value)
    if reason is not None:
        reg.reason = clean_text(reason)[:2000]
    reg.save()
    _event(
        reg,
        action="update",
        from_status=reg.status,
        actor=actor,
        now=now,
        data={"fields": sorted(data)},
    )
    return reg


def _sniff_attachment(upload: UploadedFile) -> tuple[str, str]:
    """Content type from the bytes, which must agree with the file name's extension."""
    import os

    import puremagic

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
    _require_filer(actor, reg)
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
    import uuid

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


@transaction.atomic
def registration_submit(*, actor, registration: Registration, now: dt.datetime) -> Registration:
    """Draft or supplemented → submitted (the acceptance clock (re)starts); returned →
    under review again."""
    reg = _lock(registration.pk)
    _require_filer(actor, reg)
    _check_state(reg, "submit")
    missing = _missing_for_submit(reg)
    if missing:
        raise ValidationFailed("The application is incomplete.", errors=missing)
    if reg.status == S.RETURNED:
        return _move(
            reg,
            action="resubmit",
            to=S.UNDER_REVIEW,
            actor=actor,
            now=now,
            fields={
                "review_deadline": deadline_after(now, settings.REGISTRY_REVIEW_WORKING_DAYS),
                "overdue_flagged_at": None,
            },
        )
    return _move(
        reg,
        action="submit",
        to=S.SUBMITTED,
        actor=actor,
        now=now,
        fields={
            "submitted_at": now,
            "acceptance_deadline": deadline_after(now, settings.REGISTRY_ACCEPTANCE_WORKING_DAYS),
            "supplement_items": reg.supplement_items,
            "overdue_flagged_at": None,
        },
    )


@transaction.atomic
def registration_withdraw(
    *, actor, registration: Registration, reason: str = "", now: dt.datetime
) -> Registration:
    reg = _lock(registration.pk)
    _require_filer(actor, reg)
    _check_state(reg, "withdraw")
    # An initial application that ends without a code leaves an uncoded resource: kept for
    # the history, never shown on the register (which lists coded records only).
    return _move(
        reg,
        action="withdraw",
        to=S.WITHDRAWN,
        actor=actor,
        now=now,
        reason=clean_text(reason),
        fields={"decided_at": now},
    )


# --------------------------------------------------------------------------- acceptance


@transaction.atomic
def registration_accept(*, actor, registration: Registration, now: dt.datetime) -> Registration:
    reg = _lock(registration.pk)
    _require_reviewer(actor, reg)
    _check_state(reg, "accept")
    return _move(
        reg,
        action="accept",
        to=S.UNDER_REVIEW,
        actor=actor,
        now=now,
        fields={
            "accepted_at": now,
            "review_deadline": deadline_after(now, settings.REGISTRY_REVIEW_WORKING_DAYS),
            "overdue_flagged_at": None,
        },
    )


@transaction.atomic
def registration_require_supplement(
    *, actor, registration: Registration, items: list[dict[str, str]], now: dt.datetime
) -> Registration:
    """一次性告知: one notice listing everything missing. Each item names a field (or
    'attachments') and what is wrong."""
    reg = _lock(registration.pk)
    _require_reviewer(actor, reg)
    _check_state(reg, "require_supplement")
    cleaned = _check_supplement_items(items)
    return _move(
        reg,
        action="require_supplement",
        to=S.SUPPLEMENT_REQUIRED,
        actor=actor,
        now=now,
        data={"items": cleaned},
        fields={"supplement_items": cleaned, "acceptance_deadline": None},
    )


def _check_supplement_items(items: Any) -> list[dict[str, str]]:
    if not isinstance(items, list) or not items:
        raise ValidationFailed(
            "List every missing item at once.",
            errors={"items": ["At least one item is required."]},
        )
    if len(items) > 100:
        raise ValidationFailed("Too many items.", errors={"items": ["At most 100 items."]})
    cleaned = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise ValidationFailed("Invalid item.", errors={f"items[{i}]": ["Must be an object."]})
        field = clean_text(item.get("field"))[:60] or "general"
        message = clean_text(item.get("message"))
        if not message:
            raise ValidationFailed(
                "Each item needs a message.", errors={f"items[{i}].message": ["Required."]}
            )
        cleaned.append({"field": field, "message": message[:1000]})
    return cleaned


@transaction.atomic
def registration_not_accept(
    *, actor, registration: Registration, reason: str, now: dt.datetime
) -> Registration:
    text = _reason(reason)
    reg = _lock(registration.pk)
    _require_reviewer(actor, reg)
    _check_state(reg, "not_accept")
    return _move(
        reg,
        action="not_accept",
        to=S.NOT_ACCEPTED,
        actor=actor,
        now=now,
        reason=text,
        fields={"decided_at": now, "decision_reason": text},
    )


# --------------------------------------------------------------------------- formal review


@transaction.atomic
def registration_return(
    *, actor, registration: Registration, reason: str, now: dt.datetime
) -> Registration:
    text = _reason(reason)
    reg = _lock(registration.pk)
    _require_reviewer(actor, reg)
    _check_state(reg, "return")
    return _move(
        reg,
        action="return",
        to=S.RETURNED,
        actor=actor,
        now=now,
        reason=text,
        fields={"decision_reason": text, "review_deadline": None},
    )


@transaction.atomic
def registration_reject(
    *, actor, registration: Registration, reason: str, now: dt.datetime
) -> Registration:
    text = _reason(reason)
    reg = _lock(registration.pk)
    _require_reviewer(actor, reg)
    _check_state(reg, "reject")
    return _move(
        reg,
        action="reject",
        to=S.REJECTED,
        actor=actor,
        now=now,
        reason=text,
        fields={"decided_at": now, "decision_reason": text},
    )


@transaction.atomic
def registration_approve_review(
    *, actor, registration: Registration, now: dt.datetime
) -> Registration:
    """Formal review passed: into public notice, or (types without notice) coded at once."""
    reg = _lock(registration.pk)
    _require_reviewer(actor, reg)
    _check_state(reg, "approve_review")
    if reg.registration_type not in settings.REGISTRY_NOTICE_TYPES:
        _move(
            reg,
            action="approve_review",
            to=S.IN_NOTICE,
            actor=actor,
            now=now,
            fields={"notice_start": None, "notice_end": None},
        )
        return _complete_locked(reg, actor=actor, now=now)
    return _move(
        reg,
        action="start_notice",
        to=S.IN_NOTICE,
        actor=actor,
        now=now,
        fields={
            "notice_start": now,
            "notice_end": deadline_after(now, settings.REGISTRY_NOTICE_WORKING_DAYS),
            "review_deadline": None,
        },
    )


# --------------------------------------------------------------------------- public notice


@transaction.atomic
def objection_file(
    *, actor, registration: Registration, reason: str, contact: str = "", now: dt.datetime
) -> ObjectionModel:
    """Anyone logged in may object while the notice runs."""
    if not actor.is_authenticated:
        raise PermissionDenied("Log in to file an objection.")
    text = _reason(reason)
    reg = _lock(registration.pk)
    if reg.status != S.IN_NOTICE or reg.notice_end is None:
        raise NotFound("No such notice.")
    if now > reg.notice_end:
        raise Conflict(
            "The public notice period has ended.", extra={"notice_end": reg.notice_end.isoformat()}
        )
    contact_text = clean_text(contact)
    if len(contact_text) > 200:
        raise ValidationFailed("Contact too long.", errors={"contact": ["At most 200 characters."]})
    objection = ObjectionModel.objects.create(
        registration=reg, objector=actor, reason=text, contact=contact_text, created_at=now
    )
    _event(
        reg,
        action="object",
        from_status=reg.status,
        actor=actor,
        now=now,
        data={"objection": objection.pk},
    )
    return objection


def _lock_objection(pk: int) -> ObjectionModel:
    try:
        return ObjectionModel.objects.select_for_update().get(pk=pk)
    except ObjectionModel.DoesNotExist:
        raise NotFound("No such objection.") from None


@transaction.atomic
def objection_uphold(
    *, actor, objection: ObjectionModel, reason: str, outcome: str, now: dt.datetime
) -> ObjectionModel:
    """An upheld objection ends the notice: the application is returned for correction or
    rejected (`outcome`)."""
    text = _reason(reason)
    if outcome not in (S.RETURNED, S.REJECTED):
        raise ValidationFailed(
            "Unknown outcome.", errors={"outcome": ["Must be returned or rejected."]}
        )
    reg = _lock(objection.registration_id)
    obj = _lock_objection(objection.pk)
    _require_reviewer(actor, reg)
    _check_objection(obj, reg, "uphold_objection")
    obj.status, obj.decided_by, obj.decided_at, obj.decision_reason = (
        ObjectionStatus.UPHELD,
        actor,
        now,
        text,
    )
    obj.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    fields: dict[str, Any] = {"decision_reason": text, "notice_end": reg.notice_end}
    if outcome == S.REJECTED:
        fields["decided_at"] = now
    _move(
        reg,
        action="uphold_objection",
        to=outcome,
        actor=actor,
        now=now,
        reason=text,
        data={"objection": obj.pk},
        fields=fields,
    )
    # Other objections on the same notice are moot once one is upheld.
    reg.objections.filter(status=ObjectionStatus.PENDING).update(
        status=ObjectionStatus.DISMISSED,
        decided_by=actor,
        decided_at=now,
        decision_reason="Notice ended by another upheld objection.",
    )
    return obj


@transaction.atomic
def objection_dismiss(
    *, actor, objection: ObjectionModel, reason: str, now: dt.datetime
) -> ObjectionModel:
    text = _reason(reason)
    reg = _lock(objection.registration_id)
    obj = _lock_objection(objection.pk)
    _require_reviewer(actor, reg)
    _check_objection(obj, reg, "dismiss_objection")
    obj.status, obj.decided_by, obj.decided_at, obj.decision_reason = (
        ObjectionStatus.DISMISSED,
        actor,
        now,
        text,
    )
    obj.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    _event(
        reg,
        action="dismiss_objection",
        from_status=reg.status,
        actor=actor,
        now=now,
        reason=text,
        data={"objection": obj.pk},
    )
    return obj


def _check_objection(obj: ObjectionModel, reg: Registration, action: str) -> None:
    _check_state(reg, action)
    if obj.status != ObjectionStatus.PENDING:
        raise IllegalTransition(action=action, current=f"objection {obj.status}", allowed=[])


# --------------------------------------------------------------------------- coding


@transaction.atomic
def registration_complete(
    *, registration: Registration, now: dt.datetime, actor=None
) -> Registration:
    """The notice ended with no objection pending: issue the code (initial) or apply the
    change/correction/deregistration to the record."""
    reg = _lock(registration.pk)
    if actor is not None:
        _require_reviewer(actor, reg)
    _check_state(reg, "complete")
    if reg.notice_end is not None and now <= reg.notice_end:
        raise Conflict(
            "The public notice has not ended yet.",
            extra={"current_state": reg.status, "notice_end": reg.notice_end.isoformat()},
        )
    if reg.objections.filter(status=ObjectionStatus.PENDING).exists():
        raise Conflict(
            "An objection is still pending a decision.", extra={"current_state": reg.status}
        )
    return _complete_locked(reg, actor=actor, now=now)


def _complete_locked(reg: Registration, *, actor, now: dt.datetime) -> Registration:
    resource = (
        Resource.objects.select_for_update()
        .select_related("platform__region")
        .get(pk=reg.resource_id)
    )
    updates = ["status", "current_version", "updated_at"]
    if reg.registration_type == RegistrationType.DEREGISTRATION:
        resource.status = RecordStatus.DEREGISTERED
        resource.deregistered_at = now
        updates.append("deregistered_at")
        event = "deregistered"
    else:
        number = (
            resource.versions.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        version = ResourceVersion.objects.create(
            resource=resource,
            number=number,
            registration=reg,
            **{name: getattr(reg, name) for name in METADATA_FIELDS},
        )
        resource.current_version = version
        if reg.registration_type == RegistrationType.INITIAL:
            resource.code = get_code_rule()(resource, now)
            resource.registered_at = now
            updates += ["code", "registered_at"]
        if reg.registration_type in (RegistrationType.INITIAL, RegistrationType.CHANGE):
            resource.valid_until = _valid_until(now)
            updates.append("valid_until")
        resource.status = RecordStatus.ACTIVE
        event = {"initial": "coded", "change": "changed", "correction": "corrected"}[
            reg.registration_type
        ]
    resource.save(update_fields=updates)
    _refresh_search(resource)
    _move(
        reg,
        action="complete",
        to=S.APPROVED,
        actor=actor,
        now=now,
        data={"code": resource.code},
        fields={"decided_at": now},
    )
    signals.record_changed.send(
        sender=Resource, resource=resource, event=event, registration=reg, now=now
    )
    return reg


def _valid_until(now: dt.datetime) -> dt.date:
    start = local_date(now)
    years = settings.REGISTRY_VALIDITY_YEARS
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def _refresh_search(resource: Resource) -> None:
    version = resource.current_version
    if version is None:
        return
    tokens = document_tokens(
        version.name,
        version.summary,
        resource.holder.name,
        version.domain,
        " ".join(item["name"] for item in version.data_items),
        resource.code or "",
    )
    Resource.objects.filter(pk=resource.pk).update(
        search_vector=SearchVector(Value(tokens), config="simple")
    )


# --------------------------------------------------------------------------- scheduled work


def close_ended_notices(*, now: dt.datetime, batch: int = 200) -> int:
    """Complete every notice that has ended with no objection pending. Each one in its own
    transaction; one that fails does not block the others."""
    done = 0
    ids = list(
        Registration.objects.filter(status=S.IN_NOTICE, notice_end__lt=now)
        .exclude(objections__status=ObjectionStatus.PENDING)
        .order_by("notice_end", "pk")
        .values_list("pk", flat=True)[:batch]
    )
    for pk in ids:
        try:
            registration_complete(registration=Registration(pk=pk), now=now)
            done += 1
        except (Conflict, IllegalTransition):
            continue  # someone else acted first, or an objection arrived
    return done


def flag_overdue(*, now: dt.datetime) -> int:
    """Flag applications past their acceptance or review deadline (once per deadline)."""
    from registry.selectors import overdue_filter

    flagged = 0
    for reg in Registration.objects.filter(overdue_filter(now), overdue_flagged_at__isnull=True):
        with transaction.atomic():
            # Compare-and-swap: only one sweeper flags a given application.
            changed = Registration.objects.filter(
                pk=reg.pk, status=reg.status, overdue_flagged_at__isnull=True
            ).update(overdue_flagged_at=now)
            if changed:
                _event(
                    reg,
                    action="flag_overdue",
                    from_status=reg.status,
                    actor=None,
                    now=now,
                    data={"deadline": reg.current_deadline.isoformat()},
                )
                flagged += 1
    return flagged


def update_record_validity(*, now: dt.datetime) -> dict[str, int]:
    today = local_date(now)
    warn = today + dt.timedelta(days=settings.REGISTRY_EXPIRING_WARNING_DAYS)
    expiring = Resource.objects.filter(
        status=RecordStatus.ACTIVE, valid_until__lte=warn, valid_until__gte=today
    ).update(status=RecordStatus.EXPIRING)
    expired_ids = list(
        Resource.objects.filter(
            status__in=[RecordStatus.ACTIVE, RecordStatus.EXPIRING], valid_until__lt=today
        ).values_list("pk", flat=True)
    )
    for pk in expired_ids:
        with transaction.atomic():
            changed = Resource.objects.filter(
                pk=pk, status__in=[RecordStatus.ACTIVE, RecordStatus.EXPIRING]
            ).update(status=RecordStatus.EXPIRED)
            if changed:
                resource = Resource.objects.get(pk=pk)
                signals.record_changed.send(
                    sender=Resource, resource=resource, event="expired", registration=None, now=now
                )
    return {"expiring": expiring, "expired": len(expired_ids)}


# --------------------------------------------------------------------------- organisations


@transaction.atomic
def organisation_create(
    *,
    name: str,
    credit_code: str,
    org_type: str,
    region_code: str,
    is_national_level: bool = False,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
) -> Organisation:
    from registry.models import OrganisationType
    from registry.validators import credit_code_problem, normalise_credit_code

    errors: dict[str, list[str]] = {}
    clean_name = clean_text(name)
    if not clean_name:
        errors["name"] = ["This field is required."]
    elif len(clean_name) > 200:
        errors["name"] = ["At most 200 characters."]
    code = normalise_credit_code(credit_code)
    problem = credit_code_problem(code)
    if problem:
        errors["credit_code"] = [problem]
    if org_type not in OrganisationType.values:
        errors["org_type"] = [f"Must be one of: {', '.join(OrganisationType.values)}."]
    region = Region.objects.filter(code=clean_text(region_code)).first()
    if region is None:
        errors["region_code"] = ["Unknown region code."]
    if errors:
        raise ValidationFailed("The organisation is not valid.", errors=errors)
    try:
        with transaction.atomic():
            return Organisation.objects.create(
                name=clean_name,
                credit_code=code,
                org_type=org_type,
                region=region,
                is_national_level=is_national_level,
                contact_name=clean_text(contact_name),
                contact_phone=clean_text(contact_phone),
                contact_email=clean_text(contact_email),
            )
    except IntegrityError:
        raise ValidationFailed(
            "An organisation with this credit code exists.",
            errors={"credit_code": ["Already registered."]},
        ) from None
