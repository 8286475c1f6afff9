"""Publishing a registered resource as a portal dataset, editing it, withdrawing and
republishing it, and keeping it in step with its registry record.

What the client may write is exactly EDITABLE_FIELDS; everything else (status, holder, region,
open category, slug, counters, dates) comes from the registry record or from the platform, and
naming it is a ValidationFailed that lists the offending keys. Descriptions are Markdown stored
as written (sanitised when rendered). Every service locks the rows it changes, saves with
`update_fields`, appends a DatasetEvent and reindexes the dataset for search.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from portal.models import Dataset, DatasetStatus, Licence, Theme
from portal.search_index import dataset_reindex
from portal.services.common import (
    check_action,
    lock_dataset,
    record_event,
    require_holder_staff,
)
from portal.timeliness import due_for
from registry.errors import Conflict, NotFound, ValidationFailed
from registry.models import (
    NATIONAL_REGION_CODE,
    Industry,
    OpenCategory,
    Organisation,
    RecordStatus,
    Resource,
    ResourceVersion,
    UpdateFrequency,
)
from registry.services import EMAIL_RE, PHONE_RE
from registry.services.common import clean_reason, clean_text

EDITABLE_FIELDS = (
    "title",
    "description",
    "theme",
    "industry",
    "tags",
    "licence",
    "update_frequency",
    "contact_name",
    "contact_phone",
    "contact_email",
)
# Fields a representation shows but a client never writes: named as read-only in the error.
READ_ONLY_FIELDS = frozenset(
    {f.name for f in Dataset._meta.get_fields()} - set(EDITABLE_FIELDS) | {"pk", "counts"}
)
# Dataset fields filled from the record's current version, and kept in step with it while the
# holder has not changed them (see dataset_sync_record).
RECORD_DEFAULTS = {
    "title": "name",
    "description": "summary",
    "industry": "industry",
    "update_frequency": "update_frequency",
    "contact_name": "contact_name",
    "contact_phone": "contact_phone",
    "contact_email": "contact_email",
}
PUBLISHABLE_STATUSES = (RecordStatus.ACTIVE, RecordStatus.EXPIRING)
OPEN_CATEGORIES = (OpenCategory.UNCONDITIONAL, OpenCategory.CONDITIONAL)
MAX_TAGS = 20
MAX_TAG_CHARS = 40
TAG_SEPARATORS = (",", "、", ";")
REQUIRED_FIELDS = ("title", "description", "industry", "update_frequency", "contact_name")
_LIMITS = {"title": 200, "description": 20000, "contact_name": 100, "contact_phone": 40}


# --------------------------------------------------------------------------- validation


def check_dataset_data(data: Mapping[str, Any], *, partial: bool) -> dict[str, Any]:
    """Validate what a client sent; returns model values (Theme/Licence objects, tag list).
    Every problem is reported at once, keyed by field."""
    if not isinstance(data, Mapping):
        raise ValidationFailed(
            "Expected an object.", errors={"non_field_errors": ["Expected an object."]}
        )
    errors: dict[str, list[str]] = {}
    for key in data:
        if key not in EDITABLE_FIELDS:
            errors[str(key)] = [
                "This field is read-only." if key in READ_ONLY_FIELDS else "Unknown field."
            ]
    out: dict[str, Any] = {}
    for name in EDITABLE_FIELDS:
        if name not in data:
            if not partial and name in REQUIRED_FIELDS:
                errors[name] = ["This field is required."]
            continue
        try:
            out[name] = _CLEANERS[name](data[name])
        except ValidationFailed as exc:
            errors[name] = exc.errors.get(name) or [exc.detail]
    if errors:
        names = ", ".join(sorted(errors))
        raise ValidationFailed(f"Invalid dataset fields: {names}.", errors=errors)
    return out


def _fail(name: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={name: [message]})


def _string(name: str, value: Any, *, required: bool, raw: bool = False) -> str:
    if value is not None and not isinstance(value, str):
        raise _fail(name, "Must be a string.")
    text = (value or "").replace("\x00", "").strip() if raw else clean_text(value)
    if required and not text:
        raise _fail(name, "This field is required.")
    limit = _LIMITS.get(name)
    if limit and len(text) > limit:
        raise _fail(name, f"At most {limit} characters.")
    return text


def _choice(name: str, value: Any, choices: list[str]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise _fail(name, f"Unknown value '{str(value)[:40]}'. Allowed: {', '.join(choices)}.")
    return value


def _theme(value: Any) -> Theme | None:
    if value in (None, ""):
        return None
    theme = Theme.objects.filter(code=value).first() if isinstance(value, str) else None
    if theme is None:
        raise _fail("theme", f"Unknown value '{str(value)[:40]}'. Allowed: a theme code.")
    return theme


def _licence(value: Any) -> Licence:
    licence = Licence.objects.filter(code=value).first() if isinstance(value, str) else None
    if licence is None:
        raise _fail("licence", f"Unknown value '{str(value)[:40]}'. Allowed: a licence code.")
    return licence


def normalise_tags(value: Any) -> list[str]:
    """A list, or one string separated by commas, 、 or semicolons (full-width forms too, by
    NFKC). Each tag NFKC-normalised and trimmed; empty ones dropped; duplicates (ignoring case)
    dropped keeping the first; at most MAX_TAGS of at most MAX_TAG_CHARS characters."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value)
        for sep in TAG_SEPARATORS[1:]:
            text = text.replace(sep, TAG_SEPARATORS[0])
        items: list[Any] = text.split(TAG_SEPARATORS[0])
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        raise _fail("tags", "Must be a list of strings or a comma-separated string.")
    tags: list[str] = []
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, str):
            raise _fail("tags", "Must be a list of strings or a comma-separated string.")
        tag = " ".join(unicodedata.normalize("NFKC", item).replace("\x00", "").split())
        if not tag or tag.casefold() in seen:
            continue
        if len(tag) > MAX_TAG_CHARS:
            raise _fail("tags", f"Each tag has at most {MAX_TAG_CHARS} characters.")
        seen.add(tag.casefold())
        tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise _fail("tags", f"At most {MAX_TAGS} tags.")
    return tags


def _phone(value: Any) -> str:
    text = _string("contact_phone", value, required=False)
    if text and not PHONE_RE.match(text):
        raise _fail("contact_phone", "Not a valid phone number.")
    return text


def _email(value: Any) -> str:
    text = _string("contact_email", value, required=False)
    if text and (len(text) > 254 or not EMAIL_RE.match(text)):
        raise _fail("contact_email", "Not a valid e-mail address.")
    return text


_CLEANERS = {
    "title": lambda v: _string("title", v, required=True),
    "description": lambda v: _string("description", v, required=True, raw=True),
    "theme": _theme,
    "industry": lambda v: _choice("industry", v, Industry.values),
    "tags": normalise_tags,
    "licence": _licence,
    "update_frequency": lambda v: _choice("update_frequency", v, UpdateFrequency.values),
    "contact_name": lambda v: _string("contact_name", v, required=True),
    "contact_phone": _phone,
    "contact_email": _email,
}


# --------------------------------------------------------------------------- the record


def record_defaults(version: ResourceVersion) -> dict[str, Any]:
    """What a new dataset starts from: the record's current metadata, the theme whose name is
    the record's domain (领域), and the platform's default licence."""
    defaults = {field: getattr(version, source) for field, source in RECORD_DEFAULTS.items()}
    theme = Theme.objects.filter(name=version.domain).first() if version.domain else None
    defaults["theme"] = theme.code if theme else None
    licence = Licence.objects.filter(is_default=True).first()
    defaults["licence"] = licence.code if licence else None
    return defaults


def check_publishable(resource: Resource) -> ResourceVersion:
    """A coded, active (or expiring) record whose current version is open: else Conflict with
    the record's state."""
    state = {"current_state": resource.status, "record_code": resource.code}
    if not resource.code or resource.current_version_id is None:
        raise Conflict("The record has no registration code yet.", extra=state)
    if resource.status not in PUBLISHABLE_STATUSES:
        raise Conflict("Only active registry records can be published.", extra=state)
    version = resource.current_version
    if version.open_category not in OPEN_CATEGORIES:
        raise Conflict(
            "The record's open category is 'not_open': it cannot be published.",
            extra={**state, "open_category": version.open_category},
        )
    return version


def province_code_of(holder: Organisation) -> str:
    if holder.is_national_level or holder.region.code == NATIONAL_REGION_CODE:
        return NATIONAL_REGION_CODE
    return holder.region.province_code


def _slug_for(resource: Resource) -> str:
    base = slugify((resource.code or "").lower())[:50] or f"dataset-{resource.pk}"
    slug, n = base, 1
    while Dataset.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _lock_resource(pk: int) -> Resource:
    return (
        Resource.objects.select_for_update(of=("self",))
        .select_related("current_version", "holder__region")
        .get(pk=pk)
    )


# --------------------------------------------------------------------------- services


@transaction.atomic
def dataset_publish(*, actor, resource: Resource, data: dict, now: dt.datetime) -> Dataset:
    """Publish a registered resource. Locks the resource row (so the record cannot change
    between the check and the insert); one dataset per resource (Conflict otherwise, also when
    two requests race: the OneToOne unique index decides)."""
    require_holder_staff(actor, resource.holder_id, what="record")
    locked = _lock_resource(resource.pk)
    version = check_publishable(locked)
    if Dataset.objects.filter(resource_id=locked.pk).exists():
        raise Conflict("This record is already published.", extra={"record_code": locked.code})
    values = check_dataset_data({**record_defaults(version), **(data or {})}, partial=False)
    if "licence" not in values:
        raise ValidationFailed("No licence.", errors={"licence": ["This field is required."]})
    holder = locked.holder
    dataset = Dataset(
        resource=locked,
        slug=_slug_for(locked),
        holder=holder,
        region=holder.region,
        province_code=province_code_of(holder),
        open_category=version.open_category,
        status=DatasetStatus.PUBLISHED,
        published_at=now,
        metadata_updated_at=now,
        published_by=actor,
        **values,
    )
    dataset.update_due_at = due_for(dataset)
    try:
        with transaction.atomic():
            dataset.save(force_insert=True)
    except IntegrityError:
        raise Conflict(
            "This record is already published.", extra={"record_code": locked.code}
        ) from None
    record_event(dataset, action="publish", actor=actor, now=now, data={"record_code": locked.code})
    dataset_reindex(dataset)
    return dataset


@transaction.atomic
def dataset_update(*, actor, dataset: Dataset, data: dict, now: dt.datetime) -> Dataset:
    """Change editable metadata (partial: only the keys sent)."""
    require_holder_staff(actor, dataset.holder_id)
    locked = lock_dataset(dataset.pk)
    check_action(locked, "update")
    values = check_dataset_data(data or {}, partial=True)
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, values[name])
    fields = [*changed, "metadata_updated_at"]
    locked.metadata_updated_at = now
    if "update_frequency" in changed:
        locked.update_due_at = due_for(locked)
        fields.append("update_due_at")
    locked.save(update_fields=fields)
    record_event(locked, action="update", actor=actor, now=now, data={"fields": changed})
    dataset_reindex(locked)
    return locked


@transaction.atomic
def dataset_withdraw(*, actor, dataset: Dataset, reason: str, now: dt.datetime) -> Dataset:
    """Take a dataset off the public catalogue; its files answer 404 until republished."""
    require_holder_staff(actor, dataset.holder_id)
    locked = lock_dataset(dataset.pk)
    check_action(locked, "withdraw")
    text = clean_reason(reason)
    _withdraw_locked(locked, actor=actor, reason=text, now=now)
    return locked


def _withdraw_locked(dataset: Dataset, *, actor, reason: str, now: dt.datetime, data=None) -> None:
    dataset.status = DatasetStatus.WITHDRAWN
    dataset.withdrawn_at = now
    dataset.withdrawal_reason = reason
    dataset.save(update_fields=["status", "withdrawn_at", "withdrawal_reason"])
    record_event(dataset, action="withdraw", actor=actor, now=now, reason=reason, data=data)


@transaction.atomic
def dataset_republish(*, actor, dataset: Dataset, now: dt.datetime) -> Dataset:
    """Publish a withdrawn dataset again, if its record still may be: the open category is
    taken afresh from the record."""
    require_holder_staff(actor, dataset.holder_id)
    # Resource before dataset: the order the registry's record_changed receivers lock in.
    resource = _lock_resource(dataset.resource_id)
    locked = lock_dataset(dataset.pk)
    check_action(locked, "republish")
    version = check_publishable(resource)
    locked.status = DatasetStatus.PUBLISHED
    locked.open_category = version.open_category
    locked.withdrawn_at = None
    locked.withdrawal_reason = ""
    locked.metadata_updated_at = now
    locked.save(
        update_fields=[
            "status",
            "open_category",
            "withdrawn_at",
            "withdrawal_reason",
            "metadata_updated_at",
        ]
    )
    record_event(locked, action="republish", actor=actor, now=now)
    dataset_reindex(locked)
    return locked


# --------------------------------------------------------------------------- registry events

REGISTRY_WITHDRAWAL_REASONS = {
    "deregistered": "The registry record was deregistered.",
    "expired": "The registry record expired.",
    "not_open": "The registry record is no longer open (不予开放).",
}


def dataset_sync_record(*, resource: Resource, event: str, now: dt.datetime) -> Dataset | None:
    """React to `registry.signals.record_changed` (inside the registry's transaction).
    changed/corrected: the open category follows the record, as do the defaults the holder has
    not overridden (a field still equal to the previous version's value); a record that became
    not open withdraws the dataset. deregistered/expired: withdraw."""
    row = Dataset.objects.filter(resource_id=resource.pk).values_list("pk", flat=True).first()
    if row is None:
        return None
    dataset = lock_dataset(row)
    if event in ("deregistered", "expired"):
        _withdraw_by_registry(dataset, cause=event, now=now)
    elif event in ("changed", "corrected"):
        _follow_record(dataset, resource=resource, event=event, now=now)
    return dataset


def _withdraw_by_registry(dataset: Dataset, *, cause: str, now: dt.datetime) -> None:
    reason = REGISTRY_WITHDRAWAL_REASONS[cause]
    if dataset.status == DatasetStatus.WITHDRAWN:
        record_event(dataset, action="sync", actor=None, now=now, reason=reason)
        return
    _withdraw_locked(dataset, actor=None, reason=reason, now=now, data={"cause": cause})


def _follow_record(dataset: Dataset, *, resource: Resource, event: str, now: dt.datetime) -> None:
    new = ResourceVersion.objects.get(pk=resource.current_version_id)
    old = ResourceVersion.objects.filter(resource_id=resource.pk, number=new.number - 1).first()
    changed: list[str] = []
    if old is not None:
        for field, source in RECORD_DEFAULTS.items():
            was, now_value = getattr(old, source), getattr(new, source)
            if was != now_value and getattr(dataset, field) == was:
                setattr(dataset, field, now_value)
                changed.append(field)
    if new.open_category in OPEN_CATEGORIES and dataset.open_category != new.open_category:
        dataset.open_category = new.open_category
        changed.append("open_category")
    if "update_frequency" in changed:
        dataset.update_due_at = due_for(dataset)
        changed.append("update_due_at")
    if changed:
        dataset.metadata_updated_at = now
        dataset.save(update_fields=[*changed, "metadata_updated_at"])
        record_event(
            dataset, action="sync", actor=None, now=now, data={"event": event, "fields": changed}
        )
        dataset_reindex(dataset)
    if new.open_category not in OPEN_CATEGORIES:
        _withdraw_by_registry(dataset, cause="not_open", now=now)


def resource_for_publishing(*, actor, code: str) -> Resource:
    """The record with this code, if the actor is holder staff of its holder (else NotFound)."""
    resource = (
        Resource.objects.filter(code=code).select_related("current_version", "holder").first()
        if isinstance(code, str) and code
        else None
    )
    if resource is None:
        raise NotFound("No such record.")
    require_holder_staff(actor, resource.holder_id, what="record")
    return resource
