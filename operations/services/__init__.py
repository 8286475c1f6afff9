"""Writes for authorised operation, one module per sub-workflow."""

from operations.services.agreements import (
    agreement_create,
    agreement_record_exit_step,
    agreement_transition,
    agreements_expire_due,
    consent_record,
    product_records_to_cancel,
)
from operations.services.applications import (
    application_agency_review,
    application_holder_review,
    application_submit,
    application_withdraw,
)
from operations.services.licences import licence_transition, licences_expire_due
from operations.services.parties import (
    may_see_party,
    party_commitment_record,
    party_document_add,
    party_register,
    party_verify,
)
from operations.services.schemes import (
    scheme_approve,
    scheme_create,
    scheme_publish_selection,
    scheme_withdraw,
)

__all__ = [
    "may_see_party",
    "agreement_create",
    "agreement_record_exit_step",
    "agreement_transition",
    "agreements_expire_due",
    "product_records_to_cancel",
    "application_agency_review",
    "application_holder_review",
    "application_submit",
    "application_withdraw",
    "consent_record",
    "licence_transition",
    "licences_expire_due",
    "party_commitment_record",
    "party_document_add",
    "party_register",
    "party_verify",
    "scheme_approve",
    "scheme_create",
    "scheme_publish_selection",
    "scheme_withdraw",
]
