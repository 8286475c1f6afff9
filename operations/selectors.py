"""Reads, scoped to what the user may see. Outside scope is NotFound (404).

Operators see their own applications, agreements and licences; agency staff see what their
agency gave; holder staff see applications touching their resources. Schemes in draft are
visible to their agency only; approved and published schemes are public."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from operations.models import (
    AccessApplication,
    AccessLog,
    Agreement,
    AgreementStatus,
    Licence,
    Party,
    PartyKind,
    Scheme,
    SchemeStatus,
)
from registry.errors import NotFound
from registry.selectors import scope_of


def parties_of(user, kind: str | None = None) -> QuerySet[Party]:
    if not getattr(user, "is_authenticated", False):
        return Party.objects.none()
    parties = Party.objects.filter(members__user=user).select_related("organisation")
    return parties.filter(kind=kind) if kind else parties


def agency_ids(user) -> list[int]:
    return list(parties_of(user, PartyKind.AGENCY).values_list("pk", flat=True))


def operator_ids(user) -> list[int]:
    return list(parties_of(user, PartyKind.OPERATOR).values_list("pk", flat=True))


def holder_org_ids(user) -> frozenset[int]:
    return (
        scope_of(user).holder_org_ids if getattr(user, "is_authenticated", False) else frozenset()
    )


def _get(queryset: QuerySet, pk: int, what: str):
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise NotFound(f"No {what} with this id.")
    return obj


# --------------------------------------------------------------------------- schemes


def schemes_for(user) -> QuerySet[Scheme]:
    """Agency staff: their agency's schemes. Operators: schemes under which they hold an
    agreement or were selected. Nobody else sees a scheme through this (public pages use
    `published_schemes`)."""
    return (
        Scheme.objects.filter(
            Q(agency_id__in=agency_ids(user))
            | Q(agreements__operator_id__in=operator_ids(user))
            | Q(selection__selected__in=operator_ids(user))
        )
        .distinct()
        .select_related("agency__organisation")
    )


def access_scheme(*, user, scheme_id: int) -> Scheme:
    return _get(schemes_for(user), scheme_id, "scheme")


def access_agency_scheme(*, user, scheme_id: int) -> Scheme:
    return _get(Scheme.objects.filter(agency_id__in=agency_ids(user)), scheme_id, "scheme")


def published_schemes() -> QuerySet[Scheme]:
    return Scheme.objects.filter(status=SchemeStatus.RESULT_PUBLISHED).select_related(
        "agency__organisation", "selection"
    )


# --------------------------------------------------------------------------- agreements


def agreements_for(user) -> QuerySet[Agreement]:
    return Agreement.objects.filter(
        Q(agency_id__in=agency_ids(user)) | Q(operator_id__in=operator_ids(user))
    ).select_related("agency__organisation", "operator__organisation", "scheme")


def access_agreement(*, user, agreement_id: int) -> Agreement:
    return _get(agreements_for(user), agreement_id, "agreement")


def access_agency_agreement(*, user, agreement_id: int) -> Agreement:
    return _get(
        agreements_for(user).filter(agency_id__in=agency_ids(user)), agreement_id, "agreement"
    )


def agreements_in_force() -> QuerySet[Agreement]:
    """Public: agreements being performed (active or suspended), without confidential terms
    (the public page shows only the public fields)."""
    return Agreement.objects.filter(
        status__in=[AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED]
    ).select_related("agency__organisation", "operator__organisation", "scheme")


# --------------------------------------------------------------------------- applications


def applications_for(user) -> QuerySet[AccessApplication]:
    return (
        AccessApplication.objects.filter(
            Q(operator_id__in=operator_ids(user))
            | Q(agreement__agency_id__in=agency_ids(user))
            | Q(items__resource__holder_id__in=holder_org_ids(user))
        )
        .distinct()
        .select_related("operator__organisation", "agreement", "scenario")
    )


def access_application(*, user, application_id: int) -> AccessApplication:
    return _get(applications_for(user), application_id, "application")


# --------------------------------------------------------------------------- licences


def licences_for(user) -> QuerySet[Licence]:
    """Operators: their licences. Agency staff: licences under their agreements."""
    return Licence.objects.filter(
        Q(operator_id__in=operator_ids(user)) | Q(agreement__agency_id__in=agency_ids(user))
    ).select_related("resource", "agreement", "operator__organisation", "scenario")


def access_licence(*, user, licence_id: int) -> Licence:
    """A licence the user may query under: only the operator's own staff."""
    return _get(
        Licence.objects.filter(operator_id__in=operator_ids(user)).select_related(
            "resource", "agreement", "scenario"
        ),
        licence_id,
        "licence",
    )


def access_managed_licence(*, user, licence_id: int) -> Licence:
    """A licence the agency that granted it may suspend, reinstate or revoke."""
    return _get(
        Licence.objects.filter(agreement__agency_id__in=agency_ids(user)), licence_id, "licence"
    )


def access_log_for(*, user, licence: Licence) -> QuerySet[AccessLog]:
    visible = licences_for(user).filter(pk=licence.pk).exists()
    if not visible:
        raise NotFound("No licence with this id.")
    return licence.access_log.select_related("user")
