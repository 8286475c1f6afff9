"""Read-only admin views: decisions are made through the pages and the API (services), so the
admin never bypasses the state machine or the event trail."""

from django.contrib import admin

from portal.access.models import AccessApplication, ApplicationEvent, Grant, UsageReport


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AccessApplication)
class AccessApplicationAdmin(ReadOnlyAdmin):
    list_display = ["number", "holder", "applicant", "status", "submitted_at", "review_deadline"]
    list_filter = ["status"]
    search_fields = ["number", "applicant__username", "holder__name"]


@admin.register(Grant)
class GrantAdmin(ReadOnlyAdmin):
    list_display = ["application", "user", "status", "starts_at", "expires_at", "next_report_due"]
    list_filter = ["status"]


admin.site.register(ApplicationEvent, ReadOnlyAdmin)
admin.site.register(UsageReport, ReadOnlyAdmin)
