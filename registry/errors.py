"""The one domain error family. A single exception handler maps these to RFC 9457
problem+json on the API; pages turn them into messages or field errors."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    type_slug = "invalid"
    title = "Invalid request"

    def __init__(
        self,
        detail: str,
        *,
        errors: dict[str, list[str]] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or {}
        self.extra = extra or {}


class ValidationFailed(DomainError):
    status = 400
    type_slug = "validation-error"
    title = "Validation failed"


class NotFound(DomainError):
    status = 404
    type_slug = "not-found"
    title = "Not found"


class PermissionDenied(DomainError):
    status = 403
    type_slug = "forbidden"
    title = "Not allowed"


class IllegalTransition(DomainError):
    """The object is not in a state that allows the action (409)."""

    status = 409
    type_slug = "illegal-transition"
    title = "Action not allowed in the current state"

    def __init__(self, *, action: str, current: str, allowed: list[str]) -> None:
        super().__init__(
            f"'{action}' is not allowed while the application is '{current}'.",
            extra={"current_state": current, "allowed_actions": allowed},
        )


class Conflict(DomainError):
    status = 409
    type_slug = "conflict"
    title = "Conflict"
