"""Read-only admin views: replies and moderation go through the services (with event rows)."""

from django.contrib import admin

from portal.access.admin import ReadOnlyAdmin
from portal.interaction.models import (
    AbuseReport,
    Comment,
    DataRequest,
    Feedback,
    InteractionEvent,
    Rating,
    Showcase,
)


@admin.register(DataRequest)
class DataRequestAdmin(ReadOnlyAdmin):
    list_display = ["title", "holder", "status", "support_count", "created_at", "reply_deadline"]
    list_filter = ["status"]


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "holder", "status", "created_at", "reply_deadline"]
    list_filter = ["kind", "status"]


@admin.register(Showcase)
class ShowcaseAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "status", "created_at"]
    list_filter = ["status", "kind"]


for model in (Rating, Comment, AbuseReport, InteractionEvent):
    admin.site.register(model, ReadOnlyAdmin)
