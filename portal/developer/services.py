"""Writes on developer keys: create, rotate, revoke, rename, rescope, change the expiry.

Every service is atomic, locks the key row (creation locks the user row, so the per-user key
limit holds under concurrency), records an `ApiKeyEvent`, and raises registry.errors types.
The plaintext key is returned by `key_create` and `key_rotate` only, and never stored.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction

from portal.developer import keys
from portal.developer.models import ApiKey, ApiKeyEvent, ApiPlan, KeyScope, RevokeReason
from portal.selectors import datasets_public
from registry.errors import Conflict, NotFound, ValidationFailed
from registry.selectors import User

NAME_MAX = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


def _clean_name(name: str, errors: dict[str, list[str]]) -> str:
    name = _SPACES.sub(" ", unicodedata.normalize("NFKC", name or "")).strip()
    if not name:
        errors["name"] = ["This field is required."]
    elif len(name) > NAME_MAX:
        errors["name"] = [f"At most {NAME_MAX} characters."]
    elif _CONTROL.search(name):
        errors["name"] = ["Control characters are not allowed."]
    return name


def _check_expiry(
    expires_at: dt.datetime | None, now: dt.datetime, errors: dict[str, list[str]]
) -> None:
    max_days = settings.DEVELOPER_KEY_MAX_LIFETIME_DAYS
    if expires_at is None:
        if max_days:
            errors["expires_at"] = [f"An expiry date is required (at most {max_days} days)."]
        return
    if expires_at <= now:
        errors["expires_at"] = ["The expiry must be in the future."]
    elif max_days and expires_at > now + dt.timedelta(days=max_days, hours=24):
        errors["expires_at"] = [f"At most {max_days} days from today."]


def _check_scope(scope: str, dataset_ids: Iterable[int], errors: dict[str, list[str]]) -> list[int]:
    ids = sorted({int(i) for i in dataset_ids})
    if scope not in KeyScope.values:
        errors["scope"] = [f"Must be one of: {', '.join(KeyScope.values)}."]
        return []
    if scope == KeyScope.ALL_OPEN:
        return []
    limit = settings.DEVELOPER_KEY_MAX_DATASETS
    if not ids:
        errors["datasets"] = ["Choose at least one dataset."]
    elif len(ids) > limit:
        errors["datasets"] = [f"At most {limit} datasets."]
    else:
        found = set(datasets_public().filter(pk__in=ids).values_list("pk", flat=True))
        missing = [i for i in ids if i not in found]
        if missing:
            errors["datasets"] = [
                f"Unknown or unpublished datasets: {', '.join(map(str, missing[:10]))}."
            ]
    return ids


def _default_plan() -> ApiPlan:
    plan = ApiPlan.objects.filter(code=settings.DEVELOPER_DEFAULT_PLAN).first()
    if plan is None:
        raise ImproperlyConfigured(
            f"DEVELOPER_DEFAULT_PLAN names plan {settings.DEVELOPER_DEFAULT_PLAN!r}, which does "
            "not exist (see the developer.ApiPlan reference data)."
        )
    return plan


def _event(key: ApiKey, action: str, actor: User, now: dt.datetime, **data: Any) -> None:
    ApiKeyEvent.objects.create(key=key, action=action, actor=actor, data=data, at=now)


def _save_new(key: ApiKey) -> None:
    """Insert, turning the live-name uniqueness race into a field error."""
    try:
        with transaction.atomic():
            key.save(force_insert=True)
    except IntegrityError as exc:
        if "developer_key_live_name_unique" not in str(exc):
            raise
        raise ValidationFailed(
            "Invalid key.", errors={"name": ["You already have a key with this name."]}
        ) from exc


def _locked(actor: User, key: ApiKey) -> ApiKey:
    """The key row, locked, if the actor owns it (platform staff may act on any key)."""
    locked = ApiKey.objects.select_for_update().filter(pk=key.pk).first()
    if locked is None or (locked.user_id != actor.pk and not actor.is_staff):
        raise NotFound("No such key.")
    if locked.revoked_at is not None:
        raise Conflict("The key is revoked.", extra={"current_state": locked.revoke_reason})
    return locked


@transaction.atomic
def key_create(
    *,
    user: User,
    name: str,
    scope: str,
    dataset_ids: Iterable[int] = (),
    expires_at: dt.datetime | None,
    now: dt.datetime,
    plan: ApiPlan | None = None,
) -> tuple[ApiKey, str]:
    """A new key for `user` and its plaintext, which is never available again. At most
    settings.DEVELOPER_MAX_KEYS_PER_USER live (unrevoked) keys per user."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    errors: dict[str, list[str]] = {}
    name = _clean_name(name, errors)
    _check_expiry(expires_at, now, errors)
    ids = _check_scope(scope, dataset_ids, errors)
    if errors:
        raise ValidationFailed("Invalid key.", errors=errors)
    limit = settings.DEVELOPER_MAX_KEYS_PER_USER
    if ApiKey.objects.filter(user=user, revoked_at__isnull=True).count() >= limit:
        raise ValidationFailed(
            "Too many keys.",
            errors={"non_field_errors": [f"At most {limit} live keys; revoke one first."]},
        )
    key, plaintext = _new_key(
        user=user, name=name, scope=scope, plan=plan or _default_plan(), now=now
    )
    key.expires_at = expires_at
    _save_new(key)
    key.datasets.set(ids)
    _event(key, "created", user, now, scope=scope, datasets=ids, plan=key.plan.code)
    return key, plaintext


def _new_key(*, user: User, name: str, scope: str, plan: ApiPlan, now: dt.datetime):
    secret = keys.new_secret()
    prefix = keys.new_prefix()
    while ApiKey.objects.filter(prefix=prefix).exists():  # 32^12: practically never loops
        prefix = keys.new_prefix()
    key = ApiKey(
        user=user,
        name=name,
        prefix=prefix,
        secret_hash=keys.hash_secret(secret),
        scope=scope,
        plan=plan,
        created_at=now,
    )
    return key, keys.format_key(prefix, secret)


@transaction.atomic
def key_rotate(*, actor: User, key: ApiKey, now: dt.datetime) -> tuple[ApiKey, str]:
    """Replace the key by a new one with the same name, scope, plan and expiry. The old key
    stops working in the same transaction; quotas carry over (same family)."""
    old = _locked(actor, key)
    if not old.is_usable_at(now):
        raise Conflict("Only an active key can be rotated.", extra={"current_state": "expired"})
    old.revoked_at = now
    old.revoke_reason = RevokeReason.ROTATED
    old.save(update_fields=["revoked_at", "revoke_reason"])
    new, plaintext = _new_key(user=old.user, name=old.name, scope=old.scope, plan=old.plan, now=now)
    new.family = old.family
    new.expires_at = old.expires_at
    new.rotated_from = old
    _save_new(new)
    new.datasets.set(old.datasets.values_list("pk", flat=True))
    _event(old, "rotated", actor, now, new_prefix=new.prefix)
    _event(new, "created", actor, now, rotated_from=old.prefix)
    return new, plaintext


@transaction.atomic
def key_revoke(*, actor: User, key: ApiKey, now: dt.datetime) -> ApiKey:
    """The key stops working at once. Irreversible."""
    locked = _locked(actor, key)
    locked.revoked_at = now
    locked.revoke_reason = RevokeReason.REVOKED
    locked.save(update_fields=["revoked_at", "revoke_reason"])
    _event(locked, "revoked", actor, now)
    return locked


@transaction.atomic
def key_rename(*, actor: User, key: ApiKey, name: str, now: dt.datetime) -> ApiKey:
    locked = _locked(actor, key)
    errors: dict[str, list[str]] = {}
    name = _clean_name(name, errors)
    if errors:
        raise ValidationFailed("Invalid key.", errors=errors)
    before = locked.name
    locked.name = name
    try:
        with transaction.atomic():
            locked.save(update_fields=["name"])
    except IntegrityError as exc:
        raise ValidationFailed(
            "Invalid key.", errors={"name": ["You already have a key with this name."]}
        ) from exc
    _event(locked, "renamed", actor, now, before=before, after=name)
    return locked


@transaction.atomic
def key_update_scope(
    *, actor: User, key: ApiKey, scope: str, dataset_ids: Iterable[int], now: dt.datetime
) -> ApiKey:
    """`all_open`: every open dataset (conditional ones still need a grant); `datasets`: only
    the chosen published datasets."""
    locked = _locked(actor, key)
    errors: dict[str, list[str]] = {}
    ids = _check_scope(scope, dataset_ids, errors)
    if errors:
        raise ValidationFailed("Invalid scope.", errors=errors)
    locked.scope = scope
    locked.save(update_fields=["scope"])
    locked.datasets.set(ids)
    _event(locked, "scope_changed", actor, now, scope=scope, datasets=ids)
    return locked


@transaction.atomic
def key_set_expiry(
    *, actor: User, key: ApiKey, expires_at: dt.datetime | None, now: dt.datetime
) -> ApiKey:
    """A new expiry (None: never, where settings allow). An expired key given a future expiry
    works again; a revoked one never does."""
    locked = _locked(actor, key)
    errors: dict[str, list[str]] = {}
    _check_expiry(expires_at, now, errors)
    if errors:
        raise ValidationFailed("Invalid expiry.", errors=errors)
    before = locked.expires_at
    locked.expires_at = expires_at
    locked.save(update_fields=["expires_at"])
    _event(
        locked,
        "expiry_changed",
        actor,
        now,
        before=before.isoformat() if before else None,
        after=expires_at.isoformat() if expires_at else None,
    )
    return locked
