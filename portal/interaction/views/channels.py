"""Pages of the reply channels: data requests (with support and public answers), error
reports, suggestions and complaints (with public replies), the answering inbox of holders and
administrators, "my items", and the public reply-timeliness statistics."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from portal.channel_pages import apply_errors, not_found_is_404, perform
from portal.interaction import selectors, services
from portal.interaction.forms import AnswerForm, FeedbackForm, ReplyForm, RequestForm
from portal.interaction.models import (
    DataRequest,
    Feedback,
    FeedbackKind,
    FeedbackStatus,
    RequestStatus,
    RequestSupport,
)
from portal.interaction.services.common import may_answer
from portal.interaction.statistics import timeliness_by_channel, timeliness_by_holder
from portal.oversight import is_platform_admin
from portal.selectors import datasets_public
from registry.errors import ValidationFailed
from registry.selectors import scope_of


def page(request: HttpRequest, template: str, context: dict, nav: str, status: int = 200):
    context.update(
        nav=nav,
        is_holder=bool(scope_of(request.user).holder_org_ids),
        is_admin=is_platform_admin(request.user),
        now=timezone.now(),
    )
    return render(request, template, context, status=status)


def _paged(request: HttpRequest, qs, size: int = 20):
    return Paginator(qs, size).get_page(request.GET.get("page"))


# --------------------------------------------------------------------------- requests


def request_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.requests_public()
    wanted = request.GET.get("status", "")
    if wanted in RequestStatus.values:
        qs = qs.filter(status=wanted)
    sort = request.GET.get("sort", "")
    qs = qs.order_by("-support_count", "-created_at") if sort == "support" else qs
    form = RequestForm() if request.user.is_authenticated else None
    context = {
        "page": _paged(request, qs),
        "status": wanted,
        "statuses": RequestStatus.choices,
        "sort": sort,
        "form": form,
    }
    return page(request, "interaction/request_list.html", context, "requests")


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            req = services.request_create(
                actor=request.user, data=data, holder=data.pop("holder"), now=timezone.now()
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, gettext("需求已提交，答复后将公开显示。"))
            return redirect("interaction:request-detail", pk=req.pk)
    return page(request, "interaction/request_form.html", {"form": form}, "requests")


@not_found_is_404
def request_detail(request: HttpRequest, pk: int, answer_form: AnswerForm | None = None):
    req = selectors.access_request(pk=pk)
    user = request.user
    context = {
        "req": req,
        "may_answer": may_answer(user, req.holder) and services.REQUEST_ACTIONS[req.status],
        "answer_form": answer_form or AnswerForm(),
        "supported": user.is_authenticated
        and RequestSupport.objects.filter(request=req, user=user).exists(),
        "is_requester": user.is_authenticated and req.requester_id == user.pk,
    }
    return page(
        request,
        "interaction/request_detail.html",
        context,
        "requests",
        status=400 if answer_form else 200,
    )


@login_required
@require_POST
@not_found_is_404
def request_support(request: HttpRequest, pk: int) -> HttpResponse:
    req = selectors.access_request(pk=pk)
    perform(
        request,
        lambda: services.request_support(actor=request.user, request=req, now=timezone.now()),
        done=gettext("已支持该需求。"),
    )
    return redirect("interaction:request-detail", pk=pk)


@login_required
@require_POST
@not_found_is_404
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    req = selectors.access_request(pk=pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return request_detail(request, pk, answer_form=form)
    data = form.cleaned_data

    def call():
        services.request_answer(
            actor=request.user,
            request=req,
            action=data["action"],
            reply=data["reply"],
            dataset=data.get("dataset"),
            now=timezone.now(),
        )

    if perform(request, call, done=gettext("答复已公开。"), form=form) is False:
        return request_detail(request, pk, answer_form=form)
    return redirect("interaction:request-detail", pk=pk)


# --------------------------------------------------------------------------- feedback


def _kind(kind: str) -> str:
    if kind not in FeedbackKind.values:
        raise Http404
    return kind


def feedback_list(request: HttpRequest, kind: str) -> HttpResponse:
    qs = selectors.feedback_public(_kind(kind))
    slug = request.GET.get("dataset", "")
    if slug:
        qs = qs.filter(dataset__slug=slug)
    context = {"page": _paged(request, qs), "kind": kind, "kind_label": FeedbackKind(kind).label}
    return page(request, "interaction/feedback_list.html", context, kind)


@login_required
def feedback_create(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(kind)
    initial = {}
    slug = request.GET.get("dataset")
    if slug:
        initial["dataset"] = datasets_public().filter(slug=slug).first()
    form = FeedbackForm(request.POST or None, initial=initial)
    if kind == FeedbackKind.ERROR_REPORT:
        form.fields["dataset"].required = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            item = services.feedback_create(
                actor=request.user,
                kind=kind,
                dataset=data.pop("dataset"),
                data=data,
                now=timezone.now(),
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, gettext("已提交，答复后将公开显示。"))
            return redirect("interaction:feedback-detail", pk=item.pk)
    context = {"form": form, "kind": kind, "kind_label": FeedbackKind(kind).label}
    return page(request, "interaction/feedback_form.html", context, kind)


@not_found_is_404
def feedback_detail(request: HttpRequest, pk: int, reply_form: ReplyForm | None = None):
    item = selectors.access_feedback(pk=pk)
    context = {
        "item": item,
        "may_reply": item.status == FeedbackStatus.OPEN and may_answer(request.user, item.holder),
        "reply_form": reply_form or ReplyForm(),
        "kind_label": FeedbackKind(item.kind).label,
    }
    return page(
        request,
        "interaction/feedback_detail.html",
        context,
        item.kind,
        status=400 if reply_form else 200,
    )


@login_required
@require_POST
@not_found_is_404
def feedback_reply(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.access_feedback(pk=pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return feedback_detail(request, pk, reply_form=form)
    reply = form.cleaned_data["reply"]
    call = lambda: services.feedback_reply(  # noqa: E731
        actor=request.user, feedback=item, reply=reply, now=timezone.now()
    )
    if perform(request, call, done=gettext("答复已公开。"), form=form) is False:
        return feedback_detail(request, pk, reply_form=form)
    return redirect("interaction:feedback-detail", pk=pk)


# --------------------------------------------------------------------------- queues


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Open items the user answers for, by deadline (overdue first)."""
    user = request.user
    if not scope_of(user).holder_org_ids and not is_platform_admin(user):
        raise Http404
    open_requests = selectors.requests_to_answer(user).filter(
        status__in=[RequestStatus.OPEN, RequestStatus.ACCEPTED]
    )
    open_feedback = selectors.feedback_to_answer(user).filter(status=FeedbackStatus.OPEN)
    context = {
        "requests": open_requests.order_by("reply_deadline", "id")[:200],
        "feedback": open_feedback.order_by("reply_deadline", "id")[:200],
    }
    return page(request, "interaction/inbox.html", context, "inbox")


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "requests": DataRequest.objects.filter(requester=user).select_related("holder"),
        "feedback": Feedback.objects.filter(author=user).select_related("dataset"),
        "showcases": selectors.showcases_of(user),
    }
    return page(request, "interaction/mine.html", context, "my_items")


def statistics(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    context = {"channels": timeliness_by_channel(now), "holders": timeliness_by_holder(now)}
    return page(request, "interaction/statistics.html", context, "statistics")
