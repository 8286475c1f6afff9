"""Parties: registration in an operations role, identity verification, documents and
security commitments. Verification records are appended, never edited."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction

from operations.models import (
    DocumentKind,
    IdentityVerification,
    Party,
    PartyKind,
    PartyMember,
    QualificationDocument,
    SecurityCommitment,
    VerificationMethod,
    VerificationResult,
)
from operations.services.common import is_platform_admin, text
from registry.errors import Conflict, PermissionDenied, ValidationFailed
from registry.models import Organisation
from registry.services.attachments import _sniff_attachment
from registry.validators import normalise_credit_code


def _may_vet(actor, party: Party) -> bool:
    """Platform administrators vet anyone; an agency's staff vet operators."""
    if is_platform_admin(actor):
        return True
    return (
        party.kind == PartyKind.OPERATOR
        and PartyMember.objects.filter(user=actor, party__kind=PartyKind.AGENCY).exists()
    )


def may_see_party(actor, party: Party) -> bool:
    """A party's qualification file is read by its own staff and by those who vet it."""
    if actor is None or not actor.is_authenticated:
        return False
    return _may_vet(actor, party) or party.members.filter(user=actor).exists()


def party_register(
    *,
    actor,
    credit_code: str,
    kind: str,
    legal_representative: str,
    authorised_contact: str,
    contact_phone: str,
    contact_email: str = "",
    now: dt.datetime,
) -> Party:
    """An existing organisation (by credit code) in an operations role."""
    if kind not in PartyKind.values:
        raise ValidationFailed(
            "Unknown party kind.", errors={"kind": ["Must be one of: agency, operator."]}
        )
    if not is_platform_admin(actor) and not (
        kind == PartyKind.OPERATOR
        and PartyMember.objects.filter(user=actor, party__kind=PartyKind.AGENCY).exists()
    ):
        raise PermissionDenied("Only platform administrators and agency staff register parties.")
    organisation = Organisation.objects.filter(
        credit_code=normalise_credit_code(credit_code or "")
    ).first()
    if organisation is None:
        raise ValidationFailed(
            "No organisation with this credit code.",
            errors={"credit_code": ["No organisation with this credit code."]},
        )
    try:
        with transaction.atomic():
            return Party.objects.create(
                organisation=organisation,
                kind=kind,
                legal_representative=text(
                    legal_representative, "legal_representative", max_length=100
                ),
                authorised_contact=text(authorised_contact, "authorised_contact", max_length=100),
                contact_phone=text(contact_phone, "contact_phone", max_length=40),
                contact_email=text(contact_email, "contact_email", max_length=254, required=False),
                created_at=now,
            )
    except IntegrityError:
        raise Conflict("This organisation already has this role.") from None


@transaction.atomic
def party_verify(
    *, actor, party: Party, method: str, result: str, note: str = "", now: dt.datetime
) -> IdentityVerification:
    """Record one identity check. A passed check marks the party verified; a failed one
    withdraws the mark until a later check passes."""
    if not _may_vet(actor, party):
        raise PermissionDenied("You may not verify this party.")
    if method not in VerificationMethod.values:
        raise ValidationFailed(
            "Unknown method.",
            errors={"method": ["Must be one of: " + ", ".join(VerificationMethod.values)]},
        )
    if result not in VerificationResult.values:
        raise ValidationFailed(
            "Unknown result.", errors={"result": ["Must be one of: passed, failed."]}
        )
    party = Party.objects.select_for_update().get(pk=party.pk)
    record = IdentityVerification.objects.create(
        party=party,
        method=method,
        result=result,
        note=text(note, "note", max_length=500, required=False),
        verified_at=now,
        verified_by=actor,
    )
    party.identity_verified_at = now if result == VerificationResult.PASSED else None
    party.save(update_fields=["identity_verified_at"])
    return record


def party_document_add(
    *, actor, party: Party, kind: str, title: str, upload=None, valid_until=None, now: dt.datetime
) -> QualificationDocument:
    if not (_may_vet(actor, party) or party.members.filter(user=actor).exists()):
        raise PermissionDenied("You may not add documents for this party.")
    if kind not in DocumentKind.values:
        raise ValidationFailed(
            "Unknown kind.", errors={"kind": ["Must be one of: " + ", ".join(DocumentKind.values)]}
        )
    document = QualificationDocument(
        party=party,
        kind=kind,
        title=text(title, "title", max_length=200),
        valid_until=valid_until,
        uploaded_by=actor,
        uploaded_at=now,
    )
    if upload is not None:
        limit = settings.REGISTRY_ATTACHMENT_MAX_BYTES
        if not upload.size or upload.size > limit:
            raise ValidationFailed(
                "Empty or too large.",
                errors={"file": [f"Not empty, at most {limit // (1024 * 1024)} MiB."]},
            )
        _, original = _sniff_attachment(upload)  # type from the bytes, matching the extension
        ext = original.rsplit(".", 1)[-1].lower()
        document.file.save(f"{uuid.uuid4().hex}.{ext}", upload, save=False)
    document.save()
    return document


def party_commitment_record(
    *, actor, party: Party, commitment: str, signed_by: str, signed_on: dt.date, now: dt.datetime
) -> SecurityCommitment:
    if not (_may_vet(actor, party) or party.members.filter(user=actor).exists()):
        raise PermissionDenied("You may not record commitments for this party.")
    return SecurityCommitment.objects.create(
        party=party,
        text=text(commitment, "text", max_length=4000),
        signed_by=text(signed_by, "signed_by", max_length=100),
        signed_on=signed_on,
        recorded_by=actor,
        recorded_at=now,
    )
