"""Running queries under a licence: entitlements enforced inside the SQL, state checked under
a row lock, quota taken with the access-log row. See docs/operations-interfaces.md."""

from operations.licensing.access import (
    LicencedResult,
    LicenceQuotaExceeded,
    LicenceRefused,
    licence_table,
    licensed_export,
    licensed_query,
)
from operations.licensing.entitlements import restriction_for

__all__ = [
    "LicenceQuotaExceeded",
    "LicenceRefused",
    "LicencedResult",
    "licence_table",
    "licensed_export",
    "licensed_query",
    "restriction_for",
]
