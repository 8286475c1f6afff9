"""Registration codes (统一赋码). The national format is not published, so the rule is
pluggable (settings.REGISTRY_CODE_RULE): a callable taking the resource and the issue moment
and returning a code. The default is region code + object type digit + year + 6-digit
sequence, e.g. `440000` `1` `2026` `000123` → `44000012026000123`.

Sequences are taken with one atomic UPSERT … RETURNING, so concurrent issuers never get the
same number and a number is never reused (deregistered codes stay with their record).
"""

from __future__ import annotations

import datetime as dt
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
