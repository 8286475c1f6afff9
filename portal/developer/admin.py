"""Django admin: plans (reference data) are editable; keys are read-only here except their
plan, and a plan change is recorded as a key event. Keys are created, rotated and revoked by
their owners in the developer console."""

from django.contrib import admin
from django.utils import timezone

from portal.developer.models import ApiKey, ApiKeyEvent, ApiPlan


@admin.register(ApiPlan)
class ApiPlanAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "rate_per_minute",
        "quota_per_day",
        "account_rate_per_minute",
        "account_quota_per_day",
    )


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "prefix",
        "user",
        "plan",
        "scope",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    )
    list_filter = ("plan", "scope")
    search_fields = ("prefix", "name", "user__username")
    fields = (
        "user",
        "name",
        "prefix",
        "plan",
        "scope",
        "created_at",
        "expires_at",
        "revoked_at",
        "revoke_reason",
        "last_used_at",
        "rotated_from",
    )
    readonly_fields = tuple(f for f in fields if f != "plan")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change and "plan" in form.changed_data:
            ApiKeyEvent.objects.create(
                key=obj,
                action="plan_changed",
                actor=request.user,
                data={"plan": obj.plan.code},
                at=timezone.now(),
            )
