"""Parties of authorised operation: implementing agencies (实施机构) and operators (运营机构).

A party is a `registry.Organisation` (its credit code is the legal identity) in one operations
role. Identity verification, qualification documents and security commitments are records
appended by the people who checked them; they are never edited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.models import Organisation


class PartyKind(models.TextChoices):
    AGENCY = "agency", _("实施机构")
    OPERATOR = "operator", _("运营机构")


class Party(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="operations_parties"
    )
    kind = models.CharField(max_length=10, choices=PartyKind.choices)
    legal_representative = models.CharField(_("法定代表人"), max_length=100)
    authorised_contact = models.CharField(_("授权联系人"), max_length=100)
    contact_phone = models.CharField(_("联系电话"), max_length=40)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    # Set by `party_verify` from the latest passed verification; None = not verified.
    identity_verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["kind", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="operations_party_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name} ({self.get_kind_display()})"

    @property
    def is_verified(self) -> bool:
        return self.identity_verified_at is not None


class PartyMember(models.Model):
    """A user who acts for a party (agency staff, operator staff)."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="operations_memberships"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["party", "user"], name="operations_member_once")
        ]


class VerificationMethod(models.TextChoices):
    CREDIT_CODE = "credit_code", _("统一社会信用代码核验")
    BUSINESS_LICENCE = "business_licence", _("营业执照核验")
    LEGAL_REPRESENTATIVE = "legal_representative", _("法定代表人实名核验")
    ON_SITE = "on_site", _("现场核验")


class VerificationResult(models.TextChoices):
    PASSED = "passed", _("通过")
    FAILED = "failed", _("未通过")


class IdentityVerification(models.Model):
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="verifications")
    method = models.CharField(max_length=24, choices=VerificationMethod.choices)
    result = models.CharField(max_length=8, choices=VerificationResult.choices)
    note = models.CharField(max_length=500, blank=True)
    verified_at = models.DateTimeField()
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-verified_at", "-id"]


class DocumentKind(models.TextChoices):
    BUSINESS_LICENCE = "business_licence", _("营业执照")
    SECURITY_CERTIFICATION = "security_certification", _("网络安全等级保护证明")
    QUALIFICATION = "qualification", _("资质证书")
    OTHER = "other", _("其他材料")


class QualificationDocument(models.Model):
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=24, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="operations/documents/%Y/", blank=True)
    valid_until = models.DateField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["-uploaded_at", "-id"]


class SecurityCommitment(models.Model):
    """A signed data-security commitment (数据安全承诺书)."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="commitments")
    text = models.TextField(max_length=4000)
    signed_by = models.CharField(max_length=100)
    signed_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-signed_on", "-id"]
