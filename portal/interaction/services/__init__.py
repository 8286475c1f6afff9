"""Writes of the interaction channels, one module per sub-workflow."""

from portal.interaction.services.feedback import feedback_create, feedback_reply, reply_days
from portal.interaction.services.requests import (
    REQUEST_ACTIONS,
    request_answer,
    request_create,
    request_support,
)
from portal.interaction.services.reviews import (
    comment_create,
    comment_dismiss_reports,
    comment_hide,
    comment_report_abuse,
    comment_restore,
    rating_set,
)
from portal.interaction.services.showcases import (
    may_moderate_showcase,
    showcase_moderate,
    showcase_submit,
)

__all__ = [
    "REQUEST_ACTIONS",
    "comment_create",
    "comment_dismiss_reports",
    "comment_hide",
    "comment_report_abuse",
    "comment_restore",
    "feedback_create",
    "feedback_reply",
    "may_moderate_showcase",
    "rating_set",
    "reply_days",
    "request_answer",
    "request_create",
    "request_support",
    "showcase_moderate",
    "showcase_submit",
]
