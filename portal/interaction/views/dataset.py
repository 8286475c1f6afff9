"""Pages on and around a dataset: rating, comments and abuse reports (posted from the dataset
page's panel), moderation of comments and showcases, and the showcase gallery."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from portal.channel_pages import apply_errors, not_found_is_404, perform, translate_message
from portal.interaction import selectors, services
from portal.interaction.forms import (
    AbuseForm,
    CommentForm,
    ModerationForm,
    RatingForm,
    ShowcaseForm,
    ShowcaseModerationForm,
)
from portal.interaction.models import ShowcaseStatus
from portal.interaction.views.channels import _paged, page
from portal.oversight import is_platform_admin
from portal.selectors import access_dataset, datasets_public
from registry.errors import ValidationFailed


def _back_to(dataset_slug: str, anchor: str) -> HttpResponse:
    return redirect(reverse("dataset-detail", args=[dataset_slug]) + anchor)


def _form_errors(request: HttpRequest, form) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


@login_required
@require_POST
@not_found_is_404
def rate(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = access_dataset(slug=slug)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, translate_message("Must be an integer from 1 to 5."))
        return _back_to(slug, "#engagement")
    services.rating_set(
        actor=request.user, dataset=dataset, score=form.cleaned_data["score"], now=timezone.now()
    )
    messages.success(request, gettext("评分已保存。"))
    return _back_to(slug, "#engagement")


@login_required
@require_POST
@not_found_is_404
def comment(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = access_dataset(slug=slug)
    form = CommentForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back_to(slug, "#engagement")
    body = form.cleaned_data["body"]
    perform(
        request,
        lambda: services.comment_create(
            actor=request.user, dataset=dataset, body=body, now=timezone.now()
        ),
        done=gettext("评论已发布。"),
    )
    return _back_to(slug, "#comments")


@login_required
@require_POST
@not_found_is_404
def comment_report(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.access_comment(pk=pk)
    form = AbuseForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back_to(target.dataset.slug, "#comments")
    reason = form.cleaned_data["reason"]
    perform(
        request,
        lambda: services.comment_report_abuse(
            actor=request.user, comment=target, reason=reason, now=timezone.now()
        ),
        done=gettext("举报已提交，平台将尽快处理。"),
    )
    return _back_to(target.dataset.slug, "#comments")


def _moderator(request: HttpRequest) -> None:
    if not is_platform_admin(request.user):
        raise Http404


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    _moderator(request)
    user = request.user
    context = {
        "comments": _paged(request, selectors.comments_moderated_by(user), 30),
        "showcases": selectors.showcases_moderated_by(user).filter(status=ShowcaseStatus.PENDING),
        "form": ModerationForm(),
    }
    return page(request, "interaction/moderation.html", context, "moderation")


@login_required
@require_POST
@not_found_is_404
def comment_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    _moderator(request)
    target = selectors.access_moderated_comment(user=request.user, pk=pk)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        raise Http404
    decision, reason, now = (
        form.cleaned_data["decision"],
        form.cleaned_data["reason"],
        timezone.now(),
    )
    actions = {
        "hide": lambda: services.comment_hide(
            actor=request.user, comment=target, reason=reason, now=now
        ),
        "restore": lambda: services.comment_restore(actor=request.user, comment=target, now=now),
        "dismiss_reports": lambda: services.comment_dismiss_reports(
            actor=request.user, comment=target, now=now
        ),
    }
    perform(request, actions[decision], done=gettext("已处理。"))
    return redirect("interaction:moderation")


@login_required
@require_POST
@not_found_is_404
def showcase_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    _moderator(request)
    target = selectors.access_showcase(user=request.user, pk=pk)
    form = ShowcaseModerationForm(request.POST)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    perform(
        request,
        lambda: services.showcase_moderate(
            actor=request.user,
            showcase=target,
            approve=data["decision"] == "approve",
            reason=data["reason"],
            now=timezone.now(),
        ),
        done=gettext("已处理。"),
    )
    return redirect("interaction:moderation")


def showcase_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.showcases_public()
    context = {"page": _paged(request, qs, 24)}
    return page(request, "interaction/showcase_list.html", context, "showcases")


@login_required
def showcase_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.GET.get("dataset"):
        initial["datasets"] = list(datasets_public().filter(slug=request.GET["dataset"]))
    form = ShowcaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.showcase_submit(
                actor=request.user,
                datasets=list(data.pop("datasets")),
                data=data,
                now=timezone.now(),
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, gettext("成果已提交，审核通过后展示。"))
            return redirect("interaction:mine")
    return page(request, "interaction/showcase_form.html", {"form": form}, "showcases")


@not_found_is_404
def showcase_detail(request: HttpRequest, pk: int) -> HttpResponse:
    showcase = selectors.access_showcase(user=request.user, pk=pk)
    return page(request, "interaction/showcase_detail.html", {"showcase": showcase}, "showcases")
