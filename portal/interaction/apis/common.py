"""Pieces the interaction API modules share: strict input (read-only and unknown names are a
400 naming them), the tag, dataset lookup by slug."""

from __future__ import annotations

from portal.access.apis import datasets_by_slug
from registry.apis.common import StrictInputSerializer as RegistryStrict
from registry.errors import ValidationFailed

TAGS = ["portal: interaction"]
READ_ONLY = frozenset(
    {
        "status",
        "reply",
        "replied_at",
        "replied_by",
        "reply_deadline",
        "support_count",
        "created_at",
        "author",
        "requester",
        "submitter",
        "moderation_reason",
        "moderated_by",
        "moderated_at",
        "hidden_reason",
        "id",
        "overdue",
        "user",
    }
)


class StrictInput(RegistryStrict):
    read_only_names = READ_ONLY


def dataset_by_slug(slug: str | None):
    if not slug:
        return None
    try:
        return datasets_by_slug([slug])[0]
    except ValidationFailed:
        raise ValidationFailed(
            "Unknown dataset.", errors={"dataset": [f"Unknown dataset: {slug}"]}
        ) from None
