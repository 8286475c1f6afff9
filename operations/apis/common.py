"""Shared pieces of the operations API: strict input (status, scope, owner and money fields
are a 400 when sent), the party a user acts for, API-key authentication for licensed queries."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from operations import selectors
from operations.models import Party
from portal.developer.access import authenticate_request
from registry.apis.common import StrictInputSerializer, problems  # noqa: F401
from registry.errors import NotFound

TAGS = ["operations"]

READ_ONLY = frozenset(
    {
        "id",
        "status",
        "number",
        "agency",
        "operator",
        "created_by",
        "created_at",
        "approved_at",
        "published_at",
        "status_changed_at",
        "submitted_by",
        "submitted_at",
        "decided_at",
        "granted_by",
        "granted_at",
        "allowed_columns",
        "mode",
        "min_group_size",
        "row_predicate",
        "valid_from",
        "valid_until",
        "daily_quota",
        "total_quota",
        "identity_verified_at",
        "scope",
        "selection",
        "licences",
        "reviews",
        "data_disposed_at",
        "products_handed_over_at",
        "registrations_cancelled_at",
    }
)


class Strict(StrictInputSerializer):
    read_only_names = READ_ONLY


def acting_party(user, kind: str, party_id: int | None = None) -> Party:
    """The party of `kind` the user acts for: the one named, or their only one."""
    parties = selectors.parties_of(user, kind)
    if party_id is not None:
        parties = parties.filter(pk=party_id)
    found = list(parties[:2])
    if len(found) != 1:
        raise NotFound(
            f"No {kind} you act for" + (" with this id." if party_id else " (name one).")
        )
    return found[0]


class ApiKeyAuthentication(BaseAuthentication):
    """`Authorization: Api-Key …` / `X-API-Key` (the developer console's keys) for machine
    calls under a licence; the key's user must be the operator's staff."""

    def authenticate(self, request):
        key = authenticate_request(request)
        return None if key is None else (key.user, key)

    def authenticate_header(self, request) -> str:
        return 'Api-Key realm="operations"'


def _validated(cls, data) -> dict:
    serializer = cls(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


Strict.validated = classmethod(_validated)  # type: ignore[attr-defined]


class OperationsApi(APIView):
    """Everything but the public endpoints needs a logged-in user (or an API key)."""

    permission_classes = [IsAuthenticated]


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "operations.apis.common.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "X-API-Key"}
