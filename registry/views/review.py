"""The registration body's pages: the review queue sorted by deadline, the decision page with
the forms for the actions the current state allows, objection decisions, and the dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from registry import selectors, services
from registry.errors import Conflict, IllegalTransition, PermissionDenied, ValidationFailed
from registry.forms import (
    ReasonForm,
    StatusFilterForm,
    UpholdForm,
    apply_errors,
    rows_for_display,
    supplement_field_choices,
    supplement_rows_from_post,
)
from registry.models import (
    Objection,
    ObjectionStatus,
    RecordStatus,
    Registration,
    RegistrationStatus,
)
from registry.views.common import (
    ACTION_DONE,
    STATUS_BADGES,
    is_platform_staff,
    staff_page,
    transition_message,
    translate_message,
    translated_errors,
)

S = RegistrationStatus
PAGE_SIZE = 25
ACTIONABLE = [S.SUBMITTED, S.UNDER_REVIEW, S.IN_NOTICE]
REASON_ACTIONS = {
    "not_accept": services.registration_not_accept,
    "return": services.registration_return,
    "reject": services.registration_reject,
}
SIMPLE_ACTIONS = {
    "accept": services.registration_accept,
    "approve_review": services.registration_approve_review,
    "complete": services.registration_complete,
}
SUPPLEMENT_KEYS = ("field", "message")


def _queue_item(request: HttpRequest, pk: int) -> Registration:
    registration = selectors.registration_review_queue(request.user).filter(pk=pk).first()
    if registration is None:
        raise Http404
    return registration


def _mark_overdue(registrations, now) -> None:
    for reg in registrations:
        deadline = reg.current_deadline
        reg.is_overdue = (
            reg.status in (S.SUBMITTED, S.UNDER_REVIEW) and deadline is not None and deadline < now
        )


@staff_page(is_platform_staff)
def queue(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    form = StatusFilterForm(
        request.GET,
        extra_choices=[
            ("", gettext("待办（待受理、审核中、公示中）")),
            ("all", gettext("全部")),
            ("overdue", gettext("已超期")),
        ],
    )
    status = form.value()
    items = selectors.registration_review_queue(request.user)
    if status == "":
        items = items.filter(status__in=ACTIONABLE)
    elif status == "overdue":
        items = items.filter(selectors.overdue_filter(now))
    elif status != "all":
        items = items.filter(status=status)
    items = selectors.registration_order_by_deadline(items).annotate(
        pending_objections=Count("objections", filter=Q(objections__status=ObjectionStatus.PENDING))
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    _mark_overdue(page.object_list, now)
    return render(
        request, "registry/queue.html", {"form": form, "page": page, "now": now, "nav": "queue"}
    )


@staff_page(is_platform_staff)
def queue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_decision_page(request, _queue_item(request, pk))


def _render_decision_page(
    request: HttpRequest, registration: Registration, *, bound: dict | None = None
) -> HttpResponse:
    """The application with the decision forms its state allows; `bound` replaces a default
    form by the one that was posted with errors."""
    bound = bound or {}
    now = timezone.now()
    user = request.user
    can_decide = selectors.can_review(user=user, registration=registration)
    own = selectors.is_own_filing(user=user, registration=registration)
    actions = [
        a
        for a in services.ALLOWED_ACTIONS[registration.status]
        if a not in services.FILER_ACTIONS and a != "object"
    ]
    objections = list(registration.objections.select_related("objector", "decided_by"))
    for obj in objections:
        obj.uphold_form = bound.get(("uphold", obj.pk)) or UpholdForm(
            auto_id=f"id_uphold{obj.pk}_%s"
        )
        obj.dismiss_form = bound.get(("dismiss", obj.pk)) or ReasonForm(
            auto_id=f"id_dismiss{obj.pk}_%s"
        )
    pending = [o for o in objections if o.status == ObjectionStatus.PENDING]
    notice_ended = registration.notice_end is not None and registration.notice_end < now
    context = {
        "reg": registration,
        "now": now,
        "can_decide": can_decide,
        "own_filing": own and selectors.scope_of(user).is_reviewer,
        "actions": actions if can_decide else [],
        "objections": objections,
        "pending_objections": pending,
        "can_complete": "complete" in actions and notice_ended and not pending,
        "forms": {
            name: bound.get(name) or ReasonForm(auto_id=f"id_{name}_%s") for name in REASON_ACTIONS
        },
        "supplement_rows": bound.get("supplement_rows")
        or rows_for_display([], {}, "items", SUPPLEMENT_KEYS),
        "supplement_errors": bound.get("supplement_errors", []),
        "supplement_fields": supplement_field_choices(),
        "events": registration.events.select_related("actor"),
        "attachments": registration.attachments.all(),
        "nav": "queue",
    }
    return render(request, "registry/queue_detail.html", context)


@require_POST
@staff_page(is_platform_staff)
def queue_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    registration = _queue_item(request, pk)
    if (
        action not in REASON_ACTIONS
        and action not in SIMPLE_ACTIONS
        and (action != "require_supplement")
    ):
        raise Http404
    now = timezone.now()
    try:
        if action in SIMPLE_ACTIONS:
            SIMPLE_ACTIONS[action](actor=request.user, registration=registration, now=now)
        elif action in REASON_ACTIONS:
            form = ReasonForm(request.POST, auto_id=f"id_{action}_%s")
            if not form.is_valid():
                return _render_decision_page(request, registration, bound={action: form})
            try:
                REASON_ACTIONS[action](
                    actor=request.user,
                    registration=registration,
                    reason=form.cleaned_data["reason"],
                    now=now,
                )
            except ValidationFailed as exc:
                apply_errors(form, translated_errors(exc))
                return _render_decision_page(request, registration, bound={action: form})
        else:
            response = _require_supplement(request, registration, now)
            if response is not None:
                return response
    except (IllegalTransition, Conflict) as exc:
        messages.error(request, transition_message(exc, registration))
    except PermissionDenied as exc:
        messages.error(request, translate_message(exc.detail))
    else:
        messages.success(request, ACTION_DONE[action])
    return redirect("registry:queue-detail", pk=pk)


def _require_supplement(request: HttpRequest, registration: Registration, now):
    """The one-time notice (一次性告知): every missing item in one go. None on success."""
    rows = supplement_rows_from_post(request.POST)
    try:
        services.registration_require_supplement(
            actor=request.user, registration=registration, items=rows, now=now
        )
    except ValidationFailed as exc:
        errors = translated_errors(exc)
        bound = {
            "supplement_rows": rows_for_display(rows, errors, "items", SUPPLEMENT_KEYS),
            "supplement_errors": errors.get("items", []),
        }
        return _render_decision_page(request, registration, bound=bound)
    return None


@require_POST
@staff_page(is_platform_staff)
def objection_action(request: HttpRequest, pk: int, oid: int, action: str) -> HttpResponse:
    registration = _queue_item(request, pk)
    objection = registration.objections.filter(pk=oid).first()
    if objection is None or action not in ("uphold", "dismiss"):
        raise Http404
    if action == "uphold":
        form = UpholdForm(request.POST, auto_id=f"id_uphold{oid}_%s")
    else:
        form = ReasonForm(request.POST, auto_id=f"id_dismiss{oid}_%s")
    if not form.is_valid():
        return _render_decision_page(request, registration, bound={(action, oid): form})
    now = timezone.now()
    try:
        if action == "uphold":
            services.objection_uphold(
                actor=request.user,
                objection=objection,
                reason=form.cleaned_data["reason"],
                outcome=form.cleaned_data["outcome"],
                now=now,
            )
        else:
            services.objection_dismiss(
                actor=request.user, objection=objection, reason=form.cleaned_data["reason"], now=now
            )
    except ValidationFailed as exc:
        apply_errors(form, translated_errors(exc))
        return _render_decision_page(request, registration, bound={(action, oid): form})
    except (IllegalTransition, Conflict) as exc:
        messages.error(request, transition_message(exc, registration))
    except PermissionDenied as exc:
        messages.error(request, translate_message(exc.detail))
    else:
        messages.success(request, ACTION_DONE[f"{action}_objection"])
    return redirect("registry:queue-detail", pk=pk)


@staff_page(is_platform_staff)
def dashboard(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    counts = selectors.dashboard_counts(user=request.user, now=now)
    items = selectors.registration_review_queue(request.user)
    overdue = list(
        selectors.registration_order_by_deadline(items.filter(selectors.overdue_filter(now)))[:20]
    )
    _mark_overdue(overdue, now)
    context = {
        "nav": "dashboard",
        "now": now,
        "counts": counts,
        "status_counts": [
            (value, label, counts["by_status"].get(value, 0), STATUS_BADGES[value])
            for value, label in S.choices
            if value != S.DRAFT
        ],
        "record_counts": [
            (label, counts["records"].get(value, 0))
            for value, label in RecordStatus.choices
            if value != RecordStatus.PENDING
        ],
        "overdue": overdue,
        "ended_notices": list(
            items.filter(status=S.IN_NOTICE, notice_end__lt=now).order_by("notice_end")[:20]
        ),
        "objections": Objection.objects.filter(
            registration__in=items.values("pk"), status=ObjectionStatus.PENDING
        )
        .select_related("registration", "registration__resource__holder")
        .order_by("created_at")[:20],
    }
    return render(request, "registry/dashboard.html", context)
