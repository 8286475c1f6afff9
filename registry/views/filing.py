"""The filer's pages: the staff landing page, the list of filings, the filing form (create and
edit), the filing detail with attachments and filer actions, follow-up filings on a coded
record, and attachment downloads."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from registry import selectors, services
from registry.errors import (
    Conflict,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from registry.forms import (
    AttachmentForm,
    FilingForm,
    FollowupForm,
    StatusFilterForm,
    WithdrawForm,
    apply_errors,
    data_item_rows_from_post,
    rows_for_display,
)
from registry.models import (
    OPEN_STATUSES,
    Attachment,
    RecordStatus,
    Registration,
    RegistrationType,
    Resource,
)
from registry.views.common import (
    ACTION_DONE,
    has_any_role,
    is_filer,
    staff_page,
    transition_message,
    translated_errors,
)
from registry.workdays import local_date

PAGE_SIZE = 25
ITEM_KEYS = ("name", "type", "description")


@staff_page(has_any_role)
def staff_home(request: HttpRequest) -> HttpResponse:
    scope = selectors.scope_of(request.user)
    filed = selectors.registration_filed_by(request.user)
    queue = selectors.registration_review_queue(request.user)
    now = timezone.now()
    context = {
        "scope": scope,
        "open_filings": filed.filter(status__in=OPEN_STATUSES).count(),
        "action_needed": filed.filter(
            status__in=["draft", "supplement_required", "returned"]
        ).count(),
        "queue_open": queue.filter(status__in=["submitted", "under_review", "in_notice"]).count(),
        "queue_overdue": queue.filter(selectors.overdue_filter(now)).count(),
        "roles": selectors.roles_of(request.user),
        "nav": "home",
    }
    return render(request, "registry/staff_home.html", context)


@staff_page(is_filer)
def filing_list(request: HttpRequest) -> HttpResponse:
    form = StatusFilterForm(request.GET, extra_choices=[("", gettext("全部状态"))])
    filings = selectors.registration_filed_by(request.user).order_by("-updated_at", "-id")
    status = form.value()
    if status:
        filings = filings.filter(status=status)
    page = Paginator(filings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/filing_list.html",
        {"form": form, "page": page, "now": timezone.now(), "nav": "filings"},
    )


def _filed(request: HttpRequest, pk: int) -> Registration:
    registration = selectors.registration_filed_by(request.user).filter(pk=pk).first()
    if registration is None:
        raise Http404
    return registration


# --------------------------------------------------------------------------- the filing form


@staff_page(is_filer)
def filing_create(request: HttpRequest) -> HttpResponse:
    return _filing_form(request, None)


@staff_page(is_filer)
def filing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _filed(request, pk)
    if "update" not in services.ALLOWED_ACTIONS[registration.status]:
        messages.error(
            request, gettext("该申请当前状态为“%s”，不能修改。") % registration.get_status_display()
        )
        return redirect("registry:filing-detail", pk=pk)
    return _filing_form(request, registration)


def _filing_form(request: HttpRequest, registration: Registration | None) -> HttpResponse:
    now = timezone.now()
    create = registration is None
    holders = selectors.organisations_filable_by(request.user, local_date(now)) if create else None
    if create and not holders.exists():
        raise Http404
    editable = create or registration.registration_type != RegistrationType.DEREGISTRATION
    kwargs = {"holders": holders, "create": create, "metadata_editable": editable}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        form = FilingForm(request.POST, **kwargs)
        items = data_item_rows_from_post(request.POST) if editable else []
        if form.is_valid():
            try:
                saved = _save_filing(request, form, items, registration, now)
            except ValidationFailed as exc:
                errors = translated_errors(exc)
            except (IllegalTransition, Conflict) as exc:
                messages.error(request, transition_message(exc, registration))
                return redirect("registry:filing-detail", pk=registration.pk)
            else:
                return redirect("registry:filing-detail", pk=saved.pk)
        elif editable:
            errors = _precheck(form, items, registration)
        apply_errors(form, errors, skip_prefixes=("data_items",))
    else:
        initial = FilingForm.initial_from(registration) if registration else {}
        form = FilingForm(initial=initial, **kwargs)
        items = list(registration.data_items) if registration else []
    context = {
        "form": form,
        "registration": registration,
        "editable": editable,
        "item_rows": rows_for_display(items, errors, "data_items", ITEM_KEYS),
        "items_errors": errors.get("data_items", []),
        "item_types": services.DATA_ITEM_TYPES,
        "has_errors": bool(form.errors or errors),
        "nav": "create" if create else "filings",
    }
    return render(request, "registry/filing_form.html", context)


def _save_filing(request, form: FilingForm, items, registration, now) -> Registration:
    data = form.cleaned_data
    if registration is None:
        try:
            saved = services.registration_create_initial(
                actor=request.user,
                holder=data["holder"],
                object_type=data["object_type"],
                data=form.metadata(items),
                reason=data["reason"],
                now=now,
            )
        except NotFound:
            raise ValidationFailed(
                "", errors={"holder": [gettext("您不能为该单位办理登记。")]}
            ) from None
        messages.success(request, gettext("登记申请草稿已保存。请上传所需材料后提交。"))
        return saved
    metadata = form.metadata(items) if form.metadata_editable else {}
    saved = services.registration_update(
        actor=request.user, registration=registration, data=metadata, reason=data["reason"], now=now
    )
    messages.success(request, gettext("申请已保存。"))
    return saved


def _precheck(form: FilingForm, items, registration) -> dict[str, list[str]]:
    """The form did not parse: still run the service's rules on what did, so that every
    problem is reported at once (一次性告知)."""
    if registration is not None:
        object_type = registration.resource.object_type
    else:
        object_type = form.object_type_value()
    try:
        services.check_metadata(form.metadata(items), object_type=object_type)
    except ValidationFailed as exc:
        return translated_errors(exc)
    return {}


# --------------------------------------------------------------------------- the filing detail


@staff_page(is_filer)
def filing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _filed(request, pk))


def _render_detail(
    request: HttpRequest,
    registration: Registration,
    *,
    attach_form: AttachmentForm | None = None,
    submit_errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    allowed = [
        a for a in services.ALLOWED_ACTIONS[registration.status] if a in services.FILER_ACTIONS
    ]
    record = registration.resource
    context = {
        "reg": registration,
        "record": record,
        "allowed": allowed,
        "attach_form": attach_form or AttachmentForm(),
        "withdraw_form": WithdrawForm(),
        "submit_errors": submit_errors or {},
        "events": registration.events.select_related("actor"),
        "attachments": registration.attachments.all(),
        "objections": registration.objections.all(),
        "can_followup": record.code is not None
        and record.status in (RecordStatus.ACTIVE, RecordStatus.EXPIRING, RecordStatus.EXPIRED),
        "now": timezone.now(),
        "nav": "filings",
    }
    return render(request, "registry/filing_detail.html", context)


@require_POST
@staff_page(is_filer)
def filing_attach(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _filed(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_detail(request, registration, attach_form=form)
    try:
        services.attachment_add(
            actor=request.user,
            registration=registration,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            now=timezone.now(),
        )
    except ValidationFailed as exc:
        apply_errors(form, translated_errors(exc))
        return _render_detail(request, registration, attach_form=form)
    except (IllegalTransition, Conflict) as exc:
        messages.error(request, transition_message(exc, registration))
    else:
        messages.success(request, gettext("材料已上传。"))
    return redirect("registry:filing-detail", pk=pk)


@require_POST
@staff_page(is_filer)
def filing_submit(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _filed(request, pk)
    try:
        services.registration_submit(
            actor=request.user, registration=registration, now=timezone.now()
        )
    except ValidationFailed as exc:
        registration.refresh_from_db()
        return _render_detail(request, registration, submit_errors=translated_errors(exc))
    except (IllegalTransition, Conflict) as exc:
        messages.error(request, transition_message(exc, registration))
    else:
        messages.success(request, ACTION_DONE["submit"])
    return redirect("registry:filing-detail", pk=pk)


@require_POST
@staff_page(is_filer)
def filing_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _filed(request, pk)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.registration_withdraw(
            actor=request.user, registration=registration, reason=reason, now=timezone.now()
        )
    except (IllegalTransition, Conflict) as exc:
        messages.error(request, transition_message(exc, registration))
    else:
        messages.success(request, ACTION_DONE["withdraw"])
    return redirect("registry:filing-detail", pk=pk)


# --------------------------------------------------------------------------- follow-ups


@staff_page(is_filer)
def followup_create(request: HttpRequest, code: str) -> HttpResponse:
    """A change, correction or deregistration of a coded record, by its holder."""
    now = timezone.now()
    holders = selectors.organisations_filable_by(request.user, local_date(now))
    record = (
        Resource.objects.filter(code=code, holder__in=holders)
        .select_related("holder", "current_version", "platform")
        .first()
    )
    if record is None:
        raise Http404
    form = FollowupForm(
        request.POST or None, initial={"registration_type": request.GET.get("type")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_create_followup(
                actor=request.user,
                resource=record,
                registration_type=form.cleaned_data["registration_type"],
                data=None,
                reason=form.cleaned_data["reason"],
                now=now,
            )
        except ValidationFailed as exc:
            apply_errors(form, translated_errors(exc))
        except Conflict as exc:
            messages.error(request, transition_message(exc))
        else:
            messages.success(request, gettext("后续登记申请草稿已创建。"))
            if registration.registration_type == RegistrationType.DEREGISTRATION:
                return redirect("registry:filing-detail", pk=registration.pk)
            return redirect("registry:filing-edit", pk=registration.pk)
    return render(
        request, "registry/followup_form.html", {"record": record, "form": form, "nav": "filings"}
    )


# --------------------------------------------------------------------------- downloads


@login_required
def attachment_download(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    """Only someone who may see the application may download its attachments. Always as a
    download (never rendered inline), with the original name as an RFC 6266 filename*."""
    try:
        registration = selectors.access_registration(user=request.user, pk=pk)
    except (NotFound, PermissionDenied):
        raise Http404 from None
    attachment = Attachment.objects.filter(registration=registration, pk=aid).first()
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition(attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 8187)."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in name
    )
    return f"attachment; filename=\"{fallback or 'download'}\"; filename*=UTF-8''{quote(name)}"
