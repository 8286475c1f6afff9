"""Django admin: parties and memberships are editable (onboarding); schemes, agreements,
applications, licences and the access log are read-only here (transitions go through the
services, which lock rows and record who did what)."""

from django.contrib import admin

from operations import models


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MemberInline(admin.TabularInline):
    model = models.PartyMember
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(models.Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ("organisation", "kind", "legal_representative", "identity_verified_at")
    list_filter = ("kind",)
    search_fields = ("organisation__name", "organisation__credit_code")
    readonly_fields = ("identity_verified_at",)
    inlines = [MemberInline]


@admin.register(models.IdentityVerification)
class IdentityVerificationAdmin(ReadOnly):
    list_display = ("party", "method", "result", "verified_at", "verified_by")


@admin.register(models.Scheme)
class SchemeAdmin(ReadOnly):
    list_display = ("title", "agency", "status", "created_at")
    list_filter = ("status",)


@admin.register(models.Agreement)
class AgreementAdmin(ReadOnly):
    list_display = ("number", "title", "agency", "operator", "start_date", "end_date", "status")
    list_filter = ("status",)
    search_fields = ("number", "title")


@admin.register(models.AccessApplication)
class AccessApplicationAdmin(ReadOnly):
    list_display = ("number", "operator", "agreement", "purpose_class", "status")
    list_filter = ("status", "purpose_class")


@admin.register(models.Licence)
class LicenceAdmin(ReadOnly):
    list_display = ("number", "operator", "resource", "mode", "status", "valid_until")
    list_filter = ("status", "mode")
    search_fields = ("number",)


@admin.register(models.AccessLog)
class AccessLogAdmin(ReadOnly):
    list_display = (
        "at",
        "licence",
        "user",
        "channel",
        "outcome",
        "rows_returned",
        "groups_returned",
    )
    list_filter = ("outcome", "channel")


@admin.register(models.QualificationDocument)
class QualificationDocumentAdmin(ReadOnly):
    list_display = ("party", "kind", "title", "valid_until", "uploaded_at")


@admin.register(models.SecurityCommitment)
class SecurityCommitmentAdmin(ReadOnly):
    list_display = ("party", "signed_by", "signed_on", "recorded_at")
