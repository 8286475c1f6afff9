"""Organisations (登记主体) with a validated unified social credit code."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from registry.errors import ValidationFailed
from registry.models import Organisation, OrganisationType, Region
from registry.services.common import clean_text
from registry.services.validation import EMAIL_RE, PHONE_RE, clean_code
from registry.validators import credit_code_problem, normalise_credit_code


@transaction.atomic
def organisation_create(
    *,
    name: str,
    credit_code: str,
    org_type: str,
    region_code: str,
    is_national_level: bool = False,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
) -> Organisation:
    """Create an organisation. The credit code is stored normalised (half-width, upper case),
    so the unique index refuses duplicates written in another case or width, without races."""
    errors: dict[str, list[str]] = {}
    clean_name = clean_text(name)
    if not clean_name:
        errors["name"] = ["This field is required."]
    elif len(clean_name) > 200:
        errors["name"] = ["At most 200 characters."]
    code = normalise_credit_code(credit_code if isinstance(credit_code, str) else "")
    problem = credit_code_problem(code)
    if problem:
        errors["credit_code"] = [problem]
    if org_type not in OrganisationType.values:
        errors["org_type"] = [f"Must be one of: {', '.join(OrganisationType.values)}."]
    region = Region.objects.filter(code=clean_code(region_code)).first()
    if region is None:
        errors["region_code"] = ["Unknown region code."]
    contact = {
        "contact_name": clean_text(contact_name),
        "contact_phone": clean_code(contact_phone),
        "contact_email": clean_code(contact_email),
    }
    errors |= _contact_problems(contact)
    if errors:
        raise ValidationFailed("The organisation is not valid.", errors=errors)
    try:
        with transaction.atomic():
            return Organisation.objects.create(
                name=clean_name,
                credit_code=code,
                org_type=org_type,
                region=region,
                is_national_level=bool(is_national_level),
                **contact,
            )
    except IntegrityError:
        raise ValidationFailed(
            "An organisation with this credit code exists.",
            errors={"credit_code": ["Already registered."]},
        ) from None


def _contact_problems(contact: dict[str, str]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field, limit in (("contact_name", 100), ("contact_phone", 40), ("contact_email", 254)):
        if len(contact[field]) > limit:
            errors[field] = [f"At most {limit} characters."]
    for field, pattern, message in (
        ("contact_phone", PHONE_RE, "Not a valid phone number."),
        ("contact_email", EMAIL_RE, "Not a valid e-mail address."),
    ):
        value = contact[field]
        if value and field not in errors and not pattern.match(value):
            errors[field] = [message]
    return errors
