"""Plumbing shared by the commerce pages: access decorators and DomainErrors on forms."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404

from operations.commerce.views.messages import translate
from registry.errors import DomainError, NotFound, ValidationFailed


def console_page(view: Callable):
    """Login required; a NotFound from a selector or service is a 404 page."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None

    return wrapped


def posted_text(request, name: str, *, max_length: int = 2000) -> str:
    """A free-text field of the POST (a reason, a note) through a form field's checks (length,
    NUL characters, surrounding blanks stripped), or ValidationFailed naming the field."""
    try:
        return forms.CharField(max_length=max_length, required=False).clean(
            request.POST.get(name, "")
        )
    except ValidationError as exc:
        raise ValidationFailed(exc.messages[0], errors={name: exc.messages}) from None


def posted_id(request, name: str) -> int:
    """An object's id from the POST (a hidden field): anything but a positive integer in
    PostgreSQL's range names no object, so NotFound."""
    raw = request.POST.get(name, "")
    if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) < 2**63:
        raise NotFound(f"No object with the {name} {raw[:40]!r}.")
    return int(raw)


def apply_error(request, form, exc: DomainError) -> None:
    """Field errors onto the form where the field exists; the rest as a message."""
    errors = {k: [translate(m) for m in msgs] for k, msgs in exc.errors.items()}
    placed = False
    if form is not None:
        for field, msgs in errors.items():
            if field in form.fields:
                for msg in msgs:
                    form.add_error(field, msg)
                placed = True
    leftover = {k: v for k, v in errors.items() if form is None or k not in form.fields}
    problems = exc.extra.get("problems") if isinstance(exc.extra, dict) else None
    text = translate(exc.detail)
    if leftover or problems or not placed:
        details = [m for msgs in leftover.values() for m in msgs]
        details += [translate(p) for p in problems or []]
        messages.error(request, " ".join([text, *details]))
