"""Operators' annual operating reports, holders' usage reports and the regulator's export,
on pages (the same services as the API)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from operations.commerce import actors, documents, selectors
from operations.commerce.apis.disclosure import attachment
from operations.commerce.services import disclosure as disclosure_services
from operations.commerce.views.common import apply_error, console_page
from operations.commerce.views.console import _roles
from operations.models import Party
from registry.errors import DomainError, NotFound
from registry.selectors import scope_of


def _dates(request) -> tuple[dt.date, dt.date] | None:
    try:
        start = dt.date.fromisoformat(request.GET.get("from", ""))
        end = dt.date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        return None
    return (start, end) if start <= end and (end - start).days <= 3660 else None


@console_page
@require_http_methods(["GET", "POST"])
def reports(request):
    user = request.user
    operators = Party.objects.filter(pk__in=actors.operator_ids(user)).select_related(
        "organisation"
    )
    if not actors.sees_reports(user):
        raise NotFound("No reports.")
    holder_ids = scope_of(user).holder_org_ids
    last_year = timezone.localdate().year - 1
    if request.method == "POST":
        operator = operators.filter(pk=int(request.POST.get("operator") or 0)).first()
        if operator is None:
            raise NotFound("No such operator.")
        try:
            disclosure_services.operating_report_file(
                actor=user,
                operator=operator,
                year=int(request.POST.get("year") or last_year),
                narrative=request.POST.get("narrative", ""),
                now=timezone.now(),
            )
            messages.success(request, _("年度运营报告已报送。"))
            return redirect("commerce:reports")
        except (DomainError, ValueError) as exc:
            if isinstance(exc, DomainError):
                apply_error(request, None, exc)
    filed = selectors.operating_reports_for(user)
    period = _dates(request)
    rows = (
        disclosure_services.holder_usage_rows(holder_ids, *period) if period and holder_ids else []
    )
    if period and holder_ids and request.GET.get("output") == "csv":
        return attachment(documents.holder_usage_csv(rows), "csv", f"usage-{period[0]}-{period[1]}")
    return render(
        request,
        "commerce/reports.html",
        {
            **_roles(user),
            "operators": operators,
            "filed": filed,
            "last_year": last_year,
            "is_holder": bool(holder_ids),
            "rows": rows,
            "period": period,
        },
    )
