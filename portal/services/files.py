"""Files of a dataset: distributions, and their immutable versions.

An upload is prepared *before* the database transaction, because it is slow file I/O (and
network I/O with object storage) that must not hold row locks: the original name is sanitised,
the bytes are sniffed against the extension (portal.sniffing), the SHA-256 is taken from the
upload handler (or computed in chunks), the file is stored under a generated key
`portal/files/YYYY/MM/<uuid4hex>.<ext>` and tabular files are previewed and counted from the
stored copy (portal.tabular). Only then does a short transaction lock the dataset and the
distribution, number the version, move `current_version`, and refresh the dataset's formats
and timeliness. If that transaction fails the stored file is deleted again; nothing is ever
overwritten, so old versions stay downloadable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from portal.models import Dataset, Distribution, DistributionVersion
from portal.search_index import dataset_reindex
from portal.services.common import (
    check_action,
    lock_dataset,
    record_event,
    require_holder_staff,
)
from portal.sniffing import Sniffed, refuse, sniff_file
from portal.tabular import Analysis, analyse
from portal.timeliness import due_for
from registry.errors import NotFound, ValidationFailed
from registry.services.common import clean_text

log = logging.getLogger(__name__)

NAME_MAX = 255
HASH_BLOCK = 1024 * 1024
# Unicode categories removed from file names: controls, format characters (bidirectional
# overrides such as U+202E, zero-width joiners), line and paragraph separators, surrogates.
_STRIPPED_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


@dataclass(frozen=True)
class PreparedFile:
    key: str
    original_name: str
    sniffed: Sniffed
    size: int
    sha256: str
    analysis: Analysis


def sanitise_name(name: str | None) -> str:
    """A file name safe to keep as metadata and to offer back in Content-Disposition: the last
    path component, NFC, without control/format characters, whitespace collapsed, no leading
    dots, at most NAME_MAX characters with the extension kept."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _STRIPPED_CATEGORIES)
    text = " ".join(text.split()).lstrip(". ").rstrip(" ")
    if len(text) > NAME_MAX:
        stem, ext = os.path.splitext(text)
        ext = ext[:20]
        text = stem[: NAME_MAX - len(ext)] + ext
    return text


def _digest(upload: File, size: int) -> str:
    """The handler's SHA-256 when the upload came through portal.uploads (it hashed the bytes as
    they arrived), else computed here in blocks."""
    known = getattr(upload, "sha256", None)
    if known and getattr(upload, "streamed_size", None) == size:
        return known
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks(HASH_BLOCK):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def storage_key(extension: str, now: dt.datetime) -> str:
    local = timezone.localtime(now)
    return f"portal/files/{local:%Y/%m}/{uuid.uuid4().hex}{extension}"


def prepare_file(upload: File, *, now: dt.datetime) -> PreparedFile:
    """Check, store and analyse an upload (no database writes). Raises ValidationFailed on the
    field `file`; leaves nothing stored when it does."""
    name = sanitise_name(getattr(upload, "name", ""))
    size = upload.size
    if not size:
        raise refuse("The file is empty.")
    limit = settings.PORTAL_UPLOAD_MAX_BYTES
    if size > limit:
        raise refuse(f"The file is larger than the limit of {limit} bytes.")
    upload.seek(0)
    sniffed = sniff_file(upload, name=name)
    sha256 = _digest(upload, size)
    key = default_storage.save(storage_key(sniffed.extension, now), upload)
    try:
        stored_size = default_storage.size(key)
        if stored_size != size:
            raise refuse("The file was not stored completely; please upload it again.")
        analysis = Analysis()
        if sniffed.tabular:
            with default_storage.open(key, "rb") as stored:
                analysis = analyse(stored, fmt=sniffed.format, encoding=sniffed.encoding, size=size)
    except BaseException:
        default_storage.delete(key)
        raise
    return PreparedFile(
        key=key,
        original_name=name,
        sniffed=sniffed,
        size=size,
        sha256=sha256,
        analysis=analysis,
    )


@contextmanager
def _discard_on_failure(prepared: PreparedFile) -> Iterator[PreparedFile]:
    """Delete the stored file if the transaction that should have recorded it fails."""
    try:
        yield prepared
    except BaseException:
        default_storage.delete(prepared.key)
        raise


# --------------------------------------------------------------------------- services


def _check_title(title: str, description: str) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    title = clean_text(title)
    description = clean_text(description)
    if not title:
        errors["title"] = ["This field is required."]
    elif len(title) > 200:
        errors["title"] = ["At most 200 characters."]
    if len(description) > 4000:
        errors["description"] = ["At most 4000 characters."]
    if errors:
        raise ValidationFailed("Invalid file fields.", errors=errors)
    return title, description


def _create_locked(dataset: Dataset, *, title: str, description: str, now: dt.datetime):
    position = (dataset.distributions.aggregate(m=Max("position"))["m"] or 0) + 1
    return Distribution.objects.create(
        dataset=dataset,
        title=title,
        description=description,
        format="",
        position=position,
        created_at=now,
        updated_at=now,
    )


@transaction.atomic
def distribution_create(
    *, actor, dataset: Dataset, title: str, description: str = "", now: dt.datetime
) -> Distribution:
    """A new, empty distribution (a file slot with a stable "latest" URL); upload to it next."""
    require_holder_staff(actor, dataset.holder_id)
    title, description = _check_title(title, description)
    locked = lock_dataset(dataset.pk)
    check_action(locked, "add_file")
    distribution = _create_locked(locked, title=title, description=description, now=now)
    record_event(
        locked, action="add_file", actor=actor, now=now, data={"distribution": distribution.pk}
    )
    return distribution


def distribution_upload(
    *, actor, distribution: Distribution, upload: File, now: dt.datetime
) -> DistributionVersion:
    """A new immutable version of `distribution` holding `upload`, made current. The file is
    prepared outside the transaction (see the module docstring); the database part is atomic."""
    require_holder_staff(actor, distribution.dataset.holder_id)
    prepared = prepare_file(upload, now=now)
    with _discard_on_failure(prepared), transaction.atomic():
        dataset = lock_dataset(distribution.dataset_id)
        require_holder_staff(actor, dataset.holder_id)
        check_action(dataset, "upload")
        locked = _lock_distribution(distribution.pk, dataset)
        return _add_version(dataset, locked, prepared, actor=actor, now=now)


def distribution_create_with_file(
    *, actor, dataset: Dataset, title: str, description: str = "", upload: File, now: dt.datetime
) -> DistributionVersion:
    """A new distribution and its first version, in one transaction: a refused file leaves no
    empty distribution behind."""
    require_holder_staff(actor, dataset.holder_id)
    title, description = _check_title(title, description)
    prepared = prepare_file(upload, now=now)
    with _discard_on_failure(prepared), transaction.atomic():
        locked = lock_dataset(dataset.pk)
        check_action(locked, "add_file")
        distribution = _create_locked(locked, title=title, description=description, now=now)
        record_event(
            locked, action="add_file", actor=actor, now=now, data={"distribution": distribution.pk}
        )
        return _add_version(locked, distribution, prepared, actor=actor, now=now)


def _lock_distribution(pk: int, dataset: Dataset) -> Distribution:
    distribution = Distribution.objects.select_for_update().filter(pk=pk, dataset=dataset).first()
    if distribution is None:
        raise NotFound("No such file.")
    return distribution


def _add_version(
    dataset: Dataset,
    distribution: Distribution,
    prepared: PreparedFile,
    *,
    actor,
    now: dt.datetime,
) -> DistributionVersion:
    number = (distribution.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = DistributionVersion.objects.create(
        distribution=distribution,
        number=number,
        file=prepared.key,
        original_name=prepared.original_name,
        media_type=prepared.sniffed.media_type,
        format=prepared.sniffed.format,
        encoding=prepared.sniffed.encoding,
        size=prepared.size,
        sha256=prepared.sha256,
        preview=prepared.analysis.preview,
        row_count=prepared.analysis.row_count,
        uploaded_by=actor,
        uploaded_at=now,
    )
    distribution.current_version = version
    distribution.format = version.format
    distribution.updated_at = now
    distribution.save(update_fields=["current_version", "format", "updated_at"])
    _refresh_dataset_files(dataset, now)
    record_event(
        dataset,
        action="upload",
        actor=actor,
        now=now,
        data={
            "distribution": distribution.pk,
            "version": number,
            "sha256": version.sha256,
            "size": version.size,
            "name": version.original_name,
        },
    )
    dataset_reindex(dataset)
    return version


def _refresh_dataset_files(dataset: Dataset, now: dt.datetime) -> None:
    """Formats of the current versions (the format facet) and the timeliness dates."""
    formats = (
        DistributionVersion.objects.filter(
            distribution__dataset=dataset, distribution__current_version_id=F("pk")
        )
        .values_list("format", flat=True)
        .distinct()
    )
    dataset.formats = sorted(set(formats))
    dataset.data_updated_at = now
    dataset.update_due_at = due_for(dataset)
    dataset.save(update_fields=["formats", "data_updated_at", "update_due_at"])
