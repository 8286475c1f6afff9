"""Django admin: reference data is editable; workflow state and history are read-only here
(transitions go through the services, which record who did what)."""

from django import forms
from django.contrib import admin

from registry import models


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "province_code")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(models.Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "is_live")
    list_filter = ("level", "is_live")


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "org_type", "region")
    list_filter = ("org_type",)
    search_fields = ("name", "credit_code")
    autocomplete_fields = ("region",)


@admin.register(models.RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organisation", "platform")
    list_filter = ("role",)


@admin.register(models.AgentMandate)
class AgentMandateAdmin(admin.ModelAdmin):
    list_display = ("agent", "principal", "valid_from", "valid_until", "revoked_at")


@admin.register(models.WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "is_workday", "note")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ("id", "name", "registration_type", "status", "platform", "submitted_at")
    list_filter = ("status", "registration_type", "platform")
    search_fields = ("name",)


@admin.register(models.RegistrationEvent)
class RegistrationEventAdmin(ReadOnlyAdmin):
    list_display = ("registration", "action", "from_status", "to_status", "actor", "at")


@admin.register(models.Resource)
class ResourceAdmin(ReadOnlyAdmin):
    list_display = ("code", "object_type", "holder", "status", "valid_until")
    list_filter = ("status", "object_type")
    search_fields = ("code",)


@admin.register(models.ResourceVersion)
class ResourceVersionAdmin(ReadOnlyAdmin):
    list_display = ("resource", "number", "name", "created_at")


@admin.register(models.Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("registration", "status", "created_at")


class FederationNodeForm(forms.ModelForm):
    base_url = forms.URLField(max_length=300, assume_scheme="https")

    class Meta:
        model = models.FederationNode
        fields = ("code", "name", "province", "base_url", "public_key", "is_enabled")

    def clean_public_key(self):
        from registry.federation.keys import load_public

        value = self.cleaned_data["public_key"].strip()
        try:
            load_public(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        return value

    def clean_base_url(self):
        value = self.cleaned_data["base_url"]
        if not value.startswith(("http://", "https://")):
            raise forms.ValidationError("An http(s) URL is required.")
        return value


@admin.register(models.FederationNode)
class FederationNodeAdmin(admin.ModelAdmin):
    """National node: the register of provincial nodes. Sync state is read-only here."""

    form = FederationNodeForm

    list_display = ("code", "name", "province", "is_enabled", "last_sequence", "last_success_at")
    list_filter = ("is_enabled",)
    fields = ("code", "name", "province", "base_url", "public_key", "is_enabled")

    def get_readonly_fields(self, request, obj=None):
        return ("code", "province") if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        return False  # disable a node instead: its events stay attributable
