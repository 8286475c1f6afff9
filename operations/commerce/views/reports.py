"""Operators' annual operating reports, holders' usage reports and the regulator's export,
on pages (the same services as the API)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from operations.commerce import actors, documents, forms, selectors
from operations.commerce.apis.disclosure import attachment
from operations.commerce.models import PeriodStatus, ProductKind, ProductStatus, PurposeClass
from operations.commerce.services import disclosure as disclosure_services
from operations.commerce.views.common import apply_error, console_page, posted_id
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
    report_form = None
    if request.method == "POST":
        # Another's operator (or a tampered hidden field) is not revealed: 404.
        operator = operators.filter(pk=posted_id(request, "operator")).first()
        if operator is None:
            raise NotFound("No such operator.")
        report_form = forms.OperatingReportForm(request.POST)
        if report_form.is_valid():
            data = report_form.cleaned_data
            try:
                disclosure_services.operating_report_file(
                    actor=user,
                    operator=operator,
                    year=data["year"],
                    narrative=data["narrative"],
                    now=timezone.now(),
                )
                messages.success(request, _("年度运营报告已报送。"))
                return redirect("commerce:reports")
            except DomainError as exc:
                if isinstance(exc, NotFound):
                    raise
                apply_error(request, report_form, exc)
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
            "report_form": report_form,
            "filed": filed,
            "last_year": last_year,
            "is_holder": bool(holder_ids),
            "rows": rows,
            "period": period,
        },
    )


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


@console_page
def operating_report_detail(request, report_id: int):
    """One filed annual operating report in full: its operator's staff, the agencies that
    authorised the operator and administrators read it (`operating_reports_for`); 404 else."""
    report = selectors.operating_reports_for(request.user).filter(pk=report_id).first()
    if report is None:
        raise NotFound("No operating report with this id.")
    content = report.content or {}
    products = [
        {
            **p,
            "kind_label": _label(ProductKind, p.get("kind")),
            "status_label": _label(ProductStatus, p.get("status")),
        }
        for p in content.get("products", [])
    ]
    purposes = [
        (_label(PurposeClass, k), n) for k, n in (content.get("orders_by_purpose") or {}).items()
    ]
    periods = [
        {**p, "status_label": _label(PeriodStatus, p.get("status"))}
        for p in content.get("pricing_periods", [])
    ]
    return render(
        request,
        "commerce/operating_report.html",
        {
            **_roles(request.user),
            "report": report,
            "products": products,
            "purposes": purposes,
            "usage": content.get("usage") or {},
            "revenue": content.get("revenue") or {},
            "periods": periods,
        },
    )
