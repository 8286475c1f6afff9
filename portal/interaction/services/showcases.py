"""Showcases (应用成果): a user submits what they built with links to the datasets used; a
platform administrator approves (shown on those datasets' pages) or rejects with a reason."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction

from portal.interaction.models import Showcase, ShowcaseKind, ShowcaseStatus
from portal.interaction.services.common import event, lock, require_login
from portal.models import Dataset, DatasetStatus
from portal.oversight import admin_province_codes
from portal.text import clean_reason, clean_required
from registry.errors import IllegalTransition, NotFound, ValidationFailed

MAX_DATASETS = 20


def _clean_url(value: Any, errors: dict[str, list[str]]) -> str:
    url = clean_required(value, "url", 500, errors)
    if "url" in errors:
        return url
    parts = urlsplit(url)
    # Only web links: a javascript: or data: URL in an href would run in visitors' browsers.
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        errors["url"] = ["Must be an http:// or https:// address."]
    return url


@transaction.atomic
def showcase_submit(
    *, actor, data: dict[str, Any], datasets: list[Dataset], now: dt.datetime
) -> Showcase:
    require_login(actor)
    errors: dict[str, list[str]] = {}
    title = clean_required(data.get("title"), "title", 200, errors)
    description = clean_required(data.get("description"), "description", 4000, errors)
    url = _clean_url(data.get("url"), errors)
    kind = data.get("kind")
    if kind not in ShowcaseKind.values:
        errors["kind"] = [f"Must be one of: {', '.join(ShowcaseKind.values)}."]
    datasets = list({d.pk: d for d in datasets}.values())
    if not datasets:
        errors["datasets"] = ["Name at least one dataset used."]
    elif len(datasets) > MAX_DATASETS or any(d.status != DatasetStatus.PUBLISHED for d in datasets):
        errors["datasets"] = [f"Up to {MAX_DATASETS} published datasets."]
    if errors:
        raise ValidationFailed("The showcase is not complete.", errors=errors)
    showcase = Showcase.objects.create(
        submitter=actor, title=title, description=description, url=url, kind=kind, created_at=now
    )
    showcase.datasets.set(datasets)
    event("showcase", showcase, action="submit", actor=actor, now=now)
    return showcase


def may_moderate_showcase(actor, showcase: Showcase) -> bool:
    if actor is None or not actor.is_authenticated:
        return False
    provinces = admin_province_codes(actor)
    if provinces is None:
        return True
    return bool(provinces) and showcase.datasets.filter(province_code__in=provinces).exists()


@transaction.atomic
def showcase_moderate(
    *, actor, showcase: Showcase, approve: bool, reason: str, now: dt.datetime
) -> Showcase:
    locked = lock(Showcase, showcase.pk, what="showcase")
    if not may_moderate_showcase(actor, locked):
        raise NotFound("No such showcase.")
    action = "approve" if approve else "reject"
    if locked.status != ShowcaseStatus.PENDING:
        raise IllegalTransition(action=action, current=locked.status, allowed=[])
    text = clean_reason(reason) if not approve else (reason or "").strip()[:2000]
    locked.status = ShowcaseStatus.APPROVED if approve else ShowcaseStatus.REJECTED
    locked.moderation_reason, locked.moderated_by, locked.moderated_at = text, actor, now
    locked.save(update_fields=["status", "moderation_reason", "moderated_by", "moderated_at"])
    event("showcase", locked, action=action, actor=actor, now=now, reason=text)
    return locked
