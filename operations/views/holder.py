"""Data holders review applications for their resources."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from operations import selectors, services
from operations.forms import ReviewForm
from operations.models import ApplicationStatus
from operations.services.applications import pending_holder_orgs
from operations.views.common import attempt, workspace
from registry.selectors import scope_of


@workspace(None)
def home(request):
    orgs = scope_of(request.user).holder_org_ids
    applications = (
        selectors.applications_for(request.user)
        .filter(items__resource__holder_id__in=orgs)
        .distinct()
    )
    pending = [
        a
        for a in applications
        if a.status == ApplicationStatus.HOLDER_REVIEW and pending_holder_orgs(a) & orgs
    ]
    return render(
        request,
        "operations/holder_home.html",
        {"nav": "holder", "pending": pending, "applications": applications},
    )


@workspace(None)
def review(request, application_id: int):
    application = selectors.access_application(user=request.user, application_id=application_id)
    form = ReviewForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            form,
            lambda: services.application_holder_review(
                actor=request.user, application=application, now=timezone.now(), **form.cleaned_data
            ),
            _("审核意见已提交。"),
        )
    ):
        return redirect("operations:holder-home")
    return render(
        request,
        "operations/review.html",
        {"nav": "holder", "application": application, "form": form},
    )
