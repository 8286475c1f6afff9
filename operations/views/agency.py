"""The implementing agency's workspace: schemes, operator selection, agreements, consents,
application reviews, licences."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from operations import selectors, services
from operations.forms import (
    AgencyReviewForm,
    AgreementForm,
    ApprovalForm,
    ConsentForm,
    ExitStepForm,
    ReasonForm,
    SchemeForm,
    SelectionForm,
    VerifyPartyForm,
    lines,
)
from operations.models import ApplicationStatus, Party, PartyKind
from operations.services.agreements import allowed_actions as agreement_actions
from operations.services.licences import allowed_actions as licence_actions
from operations.views.common import attempt, workspace
from registry.errors import NotFound

AGENCY = PartyKind.AGENCY


def action_labels() -> dict[str, str]:
    return {
        "suspend": _("暂停"),
        "reinstate": _("恢复"),
        "terminate": _("终止"),
        "expire": _("到期"),
        "begin_exit": _("启动退出"),
        "close": _("关闭"),
        "revoke": _("撤销"),
    }


def exit_labels() -> dict[str, str]:
    return {
        "data_disposed": _("数据已删除或返还"),
        "products_handed_over": _("产品已移交"),
        "registrations_cancelled": _("产品登记已注销"),
    }


def _agency(request):
    return selectors.parties_of(request.user, AGENCY).first()


@workspace(AGENCY)
def home(request):
    user = request.user
    context = {
        "nav": "agency",
        "agency": _agency(request),
        "schemes": selectors.schemes_for(user).filter(agency_id__in=selectors.agency_ids(user)),
        "agreements": selectors.agreements_for(user).filter(
            agency_id__in=selectors.agency_ids(user)
        ),
        "reviews": selectors.applications_for(user).filter(
            agreement__agency_id__in=selectors.agency_ids(user),
            status=ApplicationStatus.AGENCY_REVIEW,
        ),
        "licences": selectors.licences_for(user).filter(
            agreement__agency_id__in=selectors.agency_ids(user)
        )[:50],
        "operators": Party.objects.filter(kind=PartyKind.OPERATOR).select_related("organisation"),
    }
    return render(request, "operations/agency_home.html", context)


@workspace(AGENCY)
def scheme_create(request):
    form = SchemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scheme = attempt(
            request,
            form,
            lambda: services.scheme_create(
                actor=request.user,
                agency=_agency(request),
                title=data["title"],
                modes=data["modes"],
                domains=lines(data["domains"]),
                registration_codes=lines(data["registration_codes"]),
                scenarios=lines(data["scenarios"]),
                description=data["description"],
                now=timezone.now(),
            ),
            _("实施方案已创建。"),
        )
        if scheme:
            return redirect("operations:agency-scheme", scheme.pk)
    return render(
        request, "operations/form.html", {"nav": "agency", "form": form, "title": _("新建实施方案")}
    )


@workspace(AGENCY)
def scheme_detail(request, scheme_id: int):
    scheme = selectors.access_agency_scheme(user=request.user, scheme_id=scheme_id)
    approval = ApprovalForm(request.POST if "approve" in request.POST else None)
    operators = Party.objects.filter(kind=PartyKind.OPERATOR).select_related("organisation")
    selection = SelectionForm(
        request.POST if "select" in request.POST else None, operators=operators
    )
    now = timezone.now()
    if (
        "approve" in request.POST
        and approval.is_valid()
        and attempt(
            request,
            approval,
            lambda: services.scheme_approve(
                actor=request.user, scheme=scheme, now=now, **approval.cleaned_data
            ),
            _("已记录方案批准。"),
        )
    ):
        return redirect("operations:agency-scheme", scheme.pk)
    if "select" in request.POST and selection.is_valid():
        data = selection.cleaned_data
        done = attempt(
            request,
            selection,
            lambda: services.scheme_publish_selection(
                actor=request.user,
                scheme=scheme,
                procedure=data["procedure"],
                decided_on=data["decided_on"],
                result_summary=data["result_summary"],
                operator_ids=[int(x) for x in data["operators"]],
                now=now,
            ),
            _("遴选结果已公布。"),
        )
        if done:
            return redirect("operations:agency-scheme", scheme.pk)
    context = {
        "nav": "agency",
        "scheme": scheme,
        "approval_form": approval,
        "selection_form": selection,
        "agreements": scheme.agreements.select_related("operator__organisation"),
    }
    return render(request, "operations/agency_scheme.html", context)


@workspace(AGENCY)
def agreement_create(request, scheme_id: int):
    scheme = selectors.access_agency_scheme(user=request.user, scheme_id=scheme_id)
    if not hasattr(scheme, "selection"):
        raise NotFound("No published selection.")
    form = AgreementForm(request.POST or None, scheme=scheme)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        operator = Party.objects.get(pk=int(data.pop("operator")))
        scenario_ids = [int(x) for x in data.pop("scenarios")]
        agreement = attempt(
            request,
            form,
            lambda: services.agreement_create(
                actor=request.user,
                scheme=scheme,
                operator=operator,
                scenario_ids=scenario_ids,
                now=timezone.now(),
                **data,
            ),
            _("授权运营协议已签订。"),
        )
        if agreement:
            return redirect("operations:agency-agreement", agreement.pk)
    return render(
        request,
        "operations/form.html",
        {"nav": "agency", "form": form, "title": _("签订授权运营协议"), "subtitle": scheme.title},
    )


@workspace(AGENCY)
def agreement_detail(request, agreement_id: int):
    agreement = selectors.access_agency_agreement(user=request.user, agreement_id=agreement_id)
    labels = action_labels()
    transition = ReasonForm(
        request.POST if "transition" in request.POST else None,
        actions=agreement_actions(agreement),
        labels=labels,
    )
    exit_form = ExitStepForm(request.POST if "exit_step" in request.POST else None)
    exit_form.fields["step"].choices = list(exit_labels().items())
    consent = ConsentForm(request.POST if "consent" in request.POST else None, agreement=agreement)
    now = timezone.now()
    done = None
    if "transition" in request.POST and transition.is_valid():
        done = attempt(
            request,
            transition,
            lambda: services.agreement_transition(
                actor=request.user, agreement=agreement, now=now, **transition.cleaned_data
            ),
            _("协议状态已更新。"),
        )
    elif "exit_step" in request.POST and exit_form.is_valid():
        done = attempt(
            request,
            exit_form,
            lambda: services.agreement_record_exit_step(
                actor=request.user, agreement=agreement, now=now, **exit_form.cleaned_data
            ),
            _("已记录退出事项。"),
        )
    elif "consent" in request.POST and consent.is_valid():
        done = attempt(
            request,
            consent,
            lambda: services.consent_record(
                actor=request.user, agreement=agreement, now=now, **consent.cleaned_data
            ),
            _("已记录部门同意。"),
        )
    if done:
        return redirect("operations:agency-agreement", agreement.pk)
    context = {
        "nav": "agency",
        "agreement": agreement,
        "transition_form": transition,
        "exit_form": exit_form,
        "consent_form": consent,
        "exit_labels": exit_labels(),
        "records_to_cancel": (
            services.product_records_to_cancel(agreement)
            if agreement.status == "exit_in_progress" and not agreement.registrations_cancelled_at
            else []
        ),
        "events": agreement.events.select_related("actor"),
        "consents": agreement.consents.select_related("department", "resource"),
        "licences": agreement.licences.select_related("resource", "operator__organisation"),
    }
    return render(request, "operations/agency_agreement.html", context)


@workspace(AGENCY)
def application_review(request, application_id: int):
    application = selectors.access_application(user=request.user, application_id=application_id)
    if application.agreement.agency_id not in selectors.agency_ids(request.user):
        raise NotFound("No application with this id.")
    form = AgencyReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if attempt(
            request,
            form,
            lambda: services.application_agency_review(
                actor=request.user,
                application=application,
                narrowing=_narrowing(request.POST, application),
                now=timezone.now(),
                **data,
            ),
            _("审核意见已提交。"),
        ):
            return redirect("operations:agency-home")
    return render(
        request,
        "operations/review.html",
        {"nav": "agency", "application": application, "form": form, "as_agency": True},
    )


def _narrowing(post, application) -> dict[int, dict]:
    """Per item, the columns the agency kept and the k it set (the service refuses widening)."""
    narrowing: dict[int, dict] = {}
    for item in application.items.all():
        entry: dict = {}
        if f"item-{item.pk}-shown" in post:
            entry["columns"] = post.getlist(f"item-{item.pk}-columns")
        k = post.get(f"item-{item.pk}-k", "")
        if k:
            entry["min_group_size"] = int(k) if k.isdigit() else -1
        if entry:
            narrowing[item.pk] = entry
    return narrowing


@workspace(AGENCY)
def licence_detail(request, licence_id: int):
    licence = selectors.access_managed_licence(user=request.user, licence_id=licence_id)
    form = ReasonForm(
        request.POST or None, actions=licence_actions(licence), labels=action_labels()
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            form,
            lambda: services.licence_transition(
                actor=request.user, licence=licence, now=timezone.now(), **form.cleaned_data
            ),
            _("许可状态已更新。"),
        )
    ):
        return redirect("operations:agency-licence", licence.pk)
    log = selectors.access_log_for(user=request.user, licence=licence)[:100]
    return render(
        request,
        "operations/licence_manage.html",
        {"nav": "agency", "licence": licence, "form": form, "log": log},
    )


@workspace(AGENCY)
@require_POST
def party_verify(request, party_id: int):
    party = Party.objects.filter(pk=party_id, kind=PartyKind.OPERATOR).first()
    if party is None:
        raise NotFound("No operator.")
    form = VerifyPartyForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            None,
            lambda: services.party_verify(
                actor=request.user, party=party, now=timezone.now(), **form.cleaned_data
            ),
            _("已记录身份核验结果。"),
        )
    return redirect("operations:agency-home")
