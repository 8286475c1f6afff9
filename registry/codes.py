"""Registration codes (统一赋码). The national format is not published, so the rule is
pluggable (settings.REGISTRY_CODE_RULE): a callable taking the resource and the issue moment
and returning a code. The default is region code + object type digit + year + 6-digit
sequence, e.g. `440000` `1` `2026` `000123` → `44000012026000123`.

Sequences are taken with one atomic UPSERT … RETURNING, so concurrent issuers never get the
same number and a number is never reused (deregistered codes stay with their record).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

from registry.models import OBJECT_TYPE_DIGIT, Resource
from registry.workdays import local_date


def next_sequence(prefix: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO registry_codesequence (prefix, last_value) VALUES (%s, 1)
            ON CONFLICT (prefix) DO UPDATE
                SET last_value = registry_codesequence.last_value + 1
            RETURNING last_value
            """,
            [prefix],
        )
        return int(cursor.fetchone()[0])


def default_code_rule(resource: Resource, now: dt.datetime) -> str:
    region = resource.platform.region.code
    prefix = f"{region}{OBJECT_TYPE_DIGIT[resource.object_type]}{local_date(now).year}"
    return f"{prefix}{next_sequence(prefix):06d}"


def get_code_rule() -> Callable[[Resource, dt.datetime], str]:
    return import_string(settings.REGISTRY_CODE_RULE)


# --------------------------------------------------------------------------- federation
# The national node assigns or confirms the nationwide code of a record reported by a
# provincial node (settings.REGISTRY_NATIONAL_CODE_RULE, a callable taking the national copy of
# the resource, the code the province proposed and the moment, returning the national code).

_CODE_RE = re.compile(r"^(\d{6})([123])(\d{4})(\d{6})$")


def default_national_code_rule(resource: Resource, proposed: str | None, now: dt.datetime) -> str:
    """Confirm the province's code when it has the default shape, the record's province and
    object type, and no other record holds it; otherwise assign a new one from the national
    sequence of the same prefix (which is kept ahead of every confirmed code)."""
    match = _CODE_RE.match(proposed or "")
    region = resource.platform.region.code
    shaped = bool(match) and match[1] == region
    if (
        shaped
        and match[2] == OBJECT_TYPE_DIGIT[resource.object_type]
        and not Resource.objects.filter(code=proposed).exclude(pk=resource.pk).exists()
    ):
        _raise_sequence(f"{match[1]}{match[2]}{match[3]}", int(match[4]))
        return proposed
    while True:
        code = default_code_rule(resource, now)
        if not Resource.objects.filter(code=code).exclude(pk=resource.pk).exists():
            return code


def _raise_sequence(prefix: str, value: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO registry_codesequence (prefix, last_value) VALUES (%s, %s)
            ON CONFLICT (prefix) DO UPDATE
                SET last_value = GREATEST(registry_codesequence.last_value, EXCLUDED.last_value)
            """,
            [prefix, value],
        )


def get_national_code_rule() -> Callable[[Resource, str | None, dt.datetime], str]:
    return import_string(settings.REGISTRY_NATIONAL_CODE_RULE)
