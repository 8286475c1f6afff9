"""Writes for the registry, split by sub-workflow. Every workflow transition is one function
that locks the application row, checks the source state, saves with `update_fields`, appends an
event and defers side effects to `transaction.on_commit`.

Contracts common to every transition:
- `now` is an aware datetime passed in by the caller (views use `timezone.now()`, tasks pass
  theirs), so deadlines are testable;
- an action not allowed in the current state raises IllegalTransition (409) naming the current
  state and the allowed actions;
- reviewers act only on applications filed on their platform, never on their own filing.

Callers import the package (`from registry import services; services.registration_submit`);
the submodules are an implementation detail.
"""

from registry.services.attachments import ATTACHMENT_TYPES, attachment_add
from registry.services.coding import registration_complete
from registry.services.common import (
    ALLOWED_ACTIONS,
    FILER_ACTIONS,
    clean_text,
    platform_for,
)
from registry.services.filing import (
    registration_create_followup,
    registration_create_initial,
    registration_submit,
    registration_update,
    registration_withdraw,
)
from registry.services.notice import objection_dismiss, objection_file, objection_uphold
from registry.services.organisations import organisation_create
from registry.services.review import (
    registration_accept,
    registration_approve_review,
    registration_not_accept,
    registration_reject,
    registration_require_supplement,
    registration_return,
)
from registry.services.scheduled import (
    close_ended_notices,
    flag_overdue,
    update_record_validity,
)
from registry.services.validation import (
    DATA_ITEM_TYPES,
    EMAIL_RE,
    FORMATS,
    MAX_DATA_ITEMS,
    PHONE_RE,
    check_metadata,
    clean_code,
)

__all__ = [
    "ALLOWED_ACTIONS",
    "ATTACHMENT_TYPES",
    "DATA_ITEM_TYPES",
    "EMAIL_RE",
    "FILER_ACTIONS",
    "FORMATS",
    "MAX_DATA_ITEMS",
    "PHONE_RE",
    "attachment_add",
    "check_metadata",
    "clean_code",
    "clean_text",
    "close_ended_notices",
    "flag_overdue",
    "objection_dismiss",
    "objection_file",
    "objection_uphold",
    "organisation_create",
    "platform_for",
    "registration_accept",
    "registration_approve_review",
    "registration_complete",
    "registration_create_followup",
    "registration_create_initial",
    "registration_not_accept",
    "registration_reject",
    "registration_require_supplement",
    "registration_return",
    "registration_submit",
    "registration_update",
    "registration_withdraw",
    "update_record_validity",
]
