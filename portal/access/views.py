"""Pages of conditional access (`/access/`): apply for a dataset, follow one's applications and
grants and file usage reports; the holder's review queue with working-day deadlines, decisions,
extension and revocation; the public outcomes (no personal data).

Out-of-scope objects are 404 (selectors); refused transitions are one message with the
current state and what it allows."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from portal.access import selectors, services
from portal.access.forms import ApplicationForm, ApproveForm, ReasonForm, UsageReportForm
from portal.access.models import AccessApplication, ApplicationStatus, GrantStatus
from portal.channel_pages import apply_errors, not_found_is_404, perform, refused_message
from portal.models import DatasetStatus
from portal.oversight import is_platform_admin
from portal.selectors import access_dataset, can_download
from registry.errors import DomainError, ValidationFailed
from registry.models import OpenCategory
from registry.selectors import scope_of


def _nav(request: HttpRequest, context: dict, nav: str) -> dict:
    scope = scope_of(request.user)
    context.update(
        nav=nav,
        is_holder=bool(scope.holder_org_ids),
        is_admin=is_platform_admin(request.user),
        now=timezone.now(),
    )
    return context


@login_required
@not_found_is_404
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = access_dataset(slug=slug)
    if dataset.open_category != OpenCategory.CONDITIONAL:
        raise Http404
    if can_download(user=request.user, dataset=dataset):
        messages.info(request, gettext("您已可以下载该数据集，无需再次申请。"))
        return redirect("dataset-detail", slug=slug)
    choices = dataset.holder.datasets.filter(
        status=DatasetStatus.PUBLISHED, open_category=OpenCategory.CONDITIONAL
    ).order_by("title")
    form = ApplicationForm(request.POST or None, choices=choices, initial={"datasets": [dataset]})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            app = services.application_submit(
                applicant=request.user,
                datasets=list(data.pop("datasets")),
                data=data,
                now=timezone.now(),
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        except DomainError as exc:
            refused_message(request, exc)
        else:
            messages.success(request, gettext("申请已提交，请留意审核期限。"))
            return redirect("access:application", pk=app.pk)
    return render(
        request, "access/apply.html", _nav(request, {"dataset": dataset, "form": form}, "mine")
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    context = {
        "applications": selectors.applications_of(request.user),
        "grants": selectors.grants_of(request.user),
    }
    return render(request, "access/mine.html", _nav(request, context, "mine"))


@login_required
@not_found_is_404
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = selectors.access_application(user=request.user, pk=pk)
    return _detail(request, app)


def _detail(request: HttpRequest, app: AccessApplication, forms: dict | None = None):
    from portal.access.apis import actions_for

    grant = getattr(app, "grant", None) if app.status == ApplicationStatus.APPROVED else None
    now = timezone.now()
    context = {
        "app": app,
        "actions": actions_for(request.user, app),
        "events": app.events.select_related("actor"),
        "grant": grant,
        "grant_state": services.grant_state(grant, now) if grant else None,
        "is_grantee": grant is not None and grant.user_id == request.user.pk,
        "may_revoke": grant is not None
        and grant.holder_id in scope_of(request.user).holder_org_ids,
        "reports": grant.reports.all() if grant else [],
        "reason_form": ReasonForm(),
        "approve_form": ApproveForm(initial={"granted_days": app.period_days}),
        "report_form": UsageReportForm(),
        "overdue": app.status == ApplicationStatus.SUBMITTED and app.review_deadline < now,
    }
    context.update(forms or {})
    status = 400 if forms else 200
    return render(request, "access/detail.html", _nav(request, context, "mine"), status=status)


_FORMS = {"extend": ReasonForm, "approve": ApproveForm, "reject": ReasonForm}


@login_required
@require_POST
@not_found_is_404
def application_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    app = selectors.access_application(user=request.user, pk=pk)
    now = timezone.now()
    if action == "withdraw":
        return _run(
            request,
            app,
            lambda: services.application_withdraw(actor=request.user, application=app, now=now),
            gettext("申请已撤回。"),
        )
    form_class = _FORMS.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST)
    if not form.is_valid():
        return _detail(request, app, {_form_name(action): form})
    data = form.cleaned_data
    if action == "extend":
        call = lambda: services.application_extend(  # noqa: E731
            actor=request.user, application=app, reason=data["reason"], now=now
        )
    elif action == "approve":
        call = lambda: services.application_approve(  # noqa: E731
            actor=request.user,
            application=app,
            reason=data["reason"],
            granted_days=data.get("granted_days"),
            report_interval_days=data.get("report_interval_days"),
            now=now,
        )
    else:
        call = lambda: services.application_reject(  # noqa: E731
            actor=request.user, application=app, reason=data["reason"], now=now
        )
    return _run(request, app, call, str(_DONE[action]), form=form, form_name=_form_name(action))


_DONE = {
    "extend": _("审核期限已延长。"),
    "approve": _("已批准，授权已生效。"),
    "reject": _("已作出不予批准的决定。"),
}


def _form_name(action: str) -> str:
    return "approve_form" if action == "approve" else "reason_form"


def _run(request, app, call, done: str, *, form=None, form_name: str = "") -> HttpResponse:
    if perform(request, call, done=done, form=form) is False:
        return _detail(request, app, {form_name: form})
    return redirect("access:application", pk=app.pk)


@login_required
@require_POST
@not_found_is_404
def grant_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    grant = selectors.access_grant(user=request.user, pk=pk)
    app = grant.application
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _detail(request, app, {"reason_form": form})
    call = lambda: services.grant_revoke(  # noqa: E731
        actor=request.user, grant=grant, reason=form.cleaned_data["reason"], now=timezone.now()
    )
    return _run(request, app, call, gettext("授权已撤销。"), form=form, form_name="reason_form")


@login_required
@require_POST
@not_found_is_404
def grant_report(request: HttpRequest, pk: int) -> HttpResponse:
    grant = selectors.access_grant(user=request.user, pk=pk)
    app = grant.application
    form = UsageReportForm(request.POST)
    if not form.is_valid():
        return _detail(request, app, {"report_form": form})
    call = lambda: services.usage_report_submit(  # noqa: E731
        actor=request.user, grant=grant, content=form.cleaned_data["content"], now=timezone.now()
    )
    return _run(
        request, app, call, gettext("使用情况报告已提交。"), form=form, form_name="report_form"
    )


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    qs = selectors.applications_overseen_by(request.user)
    scope = scope_of(request.user)
    if not scope.holder_org_ids and not is_platform_admin(request.user):
        raise Http404
    wanted = request.GET.get("status", "")
    if wanted in ApplicationStatus.values:
        qs = qs.filter(status=wanted)
    elif wanted == "overdue":
        qs = selectors.overdue_applications(qs, timezone.now())
    page = Paginator(selectors.review_queue_ordered(qs), 30).get_page(request.GET.get("page"))
    now = timezone.now()
    grants = selectors.grants_overseen_by(request.user)
    context = {
        "page": page,
        "status": wanted,
        "statuses": ApplicationStatus.choices,
        "overdue_count": selectors.overdue_applications(
            selectors.applications_overseen_by(request.user), now
        ).count(),
        "report_overdue": selectors.grants_with_overdue_reports(grants, now)[:50],
        "active_grants": grants.filter(status=GrantStatus.ACTIVE, expires_at__gt=now)[:100],
    }
    return render(request, "access/queue.html", _nav(request, context, "queue"))


def outcomes(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.public_outcomes(), 30).get_page(request.GET.get("page"))
    return render(request, "access/outcomes.html", _nav(request, {"page": page}, "outcomes"))
