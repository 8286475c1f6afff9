"""Who oversees what on the portal's channels (access applications, requests, feedback,
moderation): a holder's staff answer for their organisations' datasets; a platform
administrator oversees the holders of the platform's province (the national administrator:
every holder, and the items addressed to no holder)."""

from __future__ import annotations

from django.db.models import Q

from registry.models import NATIONAL_REGION_CODE, Platform
from registry.selectors import User, scope_of


def admin_province_codes(user: User) -> frozenset[str] | None:
    """Province codes the user administers; None means every province (national admin).
    Empty for anyone who is not a platform administrator."""
    scope = scope_of(user)
    if scope.national_admin:
        return None
    if not scope.admin_platform_ids:
        return frozenset()
    codes = Platform.objects.filter(pk__in=scope.admin_platform_ids).values_list(
        "region__province_code", flat=True
    )
    return frozenset(codes)


def is_platform_admin(user: User) -> bool:
    return bool(scope_of(user).admin_platform_ids)


def holder_in_admin_scope(holder_field: str, provinces: frozenset[str] | None) -> Q:
    """A filter on an organisation foreign key (`holder_field`) for an administrator's
    provinces; None: everything."""
    if provinces is None:
        return Q()
    national = NATIONAL_REGION_CODE in provinces
    q = Q(**{f"{holder_field}__region__province_code__in": provinces})
    if national:
        q |= Q(**{f"{holder_field}__is_national_level": True})
    return q


def oversight_filter(holder_field: str, user: User) -> Q | None:
    """Rows addressed to a holder the user is staff of or administers. None: nothing."""
    if not user.is_authenticated:
        return None
    scope = scope_of(user)
    provinces = admin_province_codes(user)
    if provinces is None:
        return Q()
    parts = []
    if scope.holder_org_ids:
        parts.append(Q(**{f"{holder_field}_id__in": scope.holder_org_ids}))
    if provinces:
        parts.append(holder_in_admin_scope(holder_field, provinces))
    if not parts:
        return None
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return q
