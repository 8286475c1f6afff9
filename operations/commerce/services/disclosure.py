"""The annual disclosure (by 31 March, for the previous year), operators' annual operating
reports, holders' usage reports and the regulator's export of review and transaction
records. Content is generated from the data; a disclosure is reviewed by someone other
than who generated it, then published unchanged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, Sum

from operations.commerce import actors
from operations.commerce.models import (
    AnnualDisclosure,
    Ceiling,
    CommerceEvent,
    CreditNote,
    DisclosureStatus,
    Invoice,
    OperatingReport,
    Order,
    OrderUsage,
    Payment,
    PriceVersion,
    PricingPeriod,
    Product,
    Statement,
    StatementStatus,
)
from operations.commerce.services.common import SHANGHAI, local_date, lock, record_event
from operations.models import Agreement, Licence, Party, PartyKind
from registry.errors import Conflict, IllegalTransition, ValidationFailed

ZERO = Decimal("0.00")


def deadline_of(year: int) -> dt.date:
    month, day = (int(x) for x in settings.COMMERCE_DISCLOSURE_DUE.split("-"))
    return dt.date(year + 1, month, day)


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    return (
        dt.datetime(year, 1, 1, tzinfo=SHANGHAI),
        dt.datetime(year + 1, 1, 1, tzinfo=SHANGHAI),
    )


def _price_text(price: PriceVersion) -> dict[str, Any]:
    return {
        "version": price.number,
        "unit": price.unit,
        "shape": price.shape,
        "unit_price": None if price.unit_price is None else str(price.unit_price),
        "tiers": price.tiers,
        "period_fee": None if price.period_fee is None else str(price.period_fee),
        "included_quantity": str(price.included_quantity),
        "trial": price.is_trial,
        "published_at": price.published_at.astimezone(SHANGHAI).date().isoformat(),
    }


def _ceilings_in_year(products, end: dt.datetime) -> list[dict[str, Any]]:
    rows = []
    for ceiling in (
        Ceiling.objects.filter(product__in=products, effective_from__lt=end)
        .select_related("product", "authority__organisation")
        .order_by("product_id", "unit", "effective_from", "id")
    ):
        rows.append(
            {
                "product": ceiling.product.name,
                "unit": ceiling.unit,
                "amount": str(ceiling.amount),
                "effective_from": ceiling.effective_from.astimezone(SHANGHAI).date().isoformat(),
                "document_reference": ceiling.document_reference,
                "basis": ceiling.basis,
            }
        )
    return rows


def _agency_section(
    agency: Party, start: dt.date, end_date: dt.date, end: dt.datetime
) -> dict[str, Any]:
    agreements = (
        Agreement.objects.filter(agency=agency, start_date__lte=end_date, end_date__gte=start)
        .select_related("operator__organisation")
        .prefetch_related("resources", "scenarios")
    )
    products = Product.objects.filter(licence__agreement__agency=agency)
    return {
        "agency": agency.organisation.name,
        "credit_code": agency.organisation.credit_code,
        "authorisations": [
            {
                "agreement": a.number,
                "title": a.title,
                "operator": a.operator.organisation.name,
                "start": a.start_date.isoformat(),
                "end": a.end_date.isoformat(),
                "status": a.status,
                "summary": a.public_summary,
                "resources": [
                    {"code": r.code, "name": r.current_version.name if r.current_version else ""}
                    for r in a.resources.all()
                ],
                "scenarios": [s.name for s in a.scenarios.all()],
            }
            for a in agreements
        ],
        "ceilings": _ceilings_in_year(products, end),
    }


def _operator_section(
    operator: Party, start: dt.date, end_date: dt.date, end: dt.datetime
) -> dict[str, Any]:
    licences = Licence.objects.filter(
        operator=operator, valid_from__lte=end_date, valid_until__gte=start
    ).select_related("resource__current_version")
    products = Product.objects.filter(operator=operator, listed_at__lt=end).select_related(
        "registry_record"
    )
    product_rows = []
    for product in products:
        prices = product.prices.filter(published_at__lt=end).order_by("number")
        live_in_year = [p for p in prices if p.status == "live" or not _superseded_before(p, start)]
        product_rows.append(
            {
                "name": product.name,
                "kind": product.kind,
                "registry_code": product.registry_record.code if product.registry_record else None,
                "status": product.status,
                "prices": [_price_text(p) for p in live_in_year],
            }
        )
    return {
        "operator": operator.organisation.name,
        "credit_code": operator.organisation.credit_code,
        "resources": [
            {
                "licence": lic.number,
                "code": lic.resource.code,
                "name": lic.resource.current_version.name if lic.resource.current_version else "",
                "mode": lic.mode,
            }
            for lic in licences
        ],
        "products": product_rows,
    }


def _superseded_before(price: PriceVersion, start: dt.date) -> bool:
    """Whether a superseded version was replaced before the year began."""
    newer = price.product.prices.filter(number__gt=price.number).order_by("number").first()
    return newer is not None and local_date(newer.published_at) < start


def disclosure_content(year: int, now: dt.datetime) -> dict[str, Any]:
    start, end_date = dt.date(year, 1, 1), dt.date(year, 12, 31)
    _, end = _year_bounds(year)
    agencies = Party.objects.filter(
        kind=PartyKind.AGENCY, agreements_given__isnull=False
    ).distinct()
    operators = (
        Party.objects.filter(kind=PartyKind.OPERATOR)
        .filter(Q(licences__isnull=False) | Q(commerce_products__isnull=False))
        .distinct()
    )
    return {
        "year": year,
        "deadline": deadline_of(year).isoformat(),
        "generated_at": now.astimezone(SHANGHAI).isoformat(timespec="seconds"),
        "agencies": [
            _agency_section(a, start, end_date, end)
            for a in agencies.select_related("organisation")
        ],
        "operators": [
            s
            for s in (
                _operator_section(o, start, end_date, end)
                for o in operators.select_related("organisation")
            )
            if s["resources"] or s["products"]
        ],
    }


@transaction.atomic
def disclosure_generate(*, actor, year: int, now: dt.datetime) -> AnnualDisclosure:
    """Generate (or, until reviewed, regenerate) the disclosure of a past year."""
    actors.require_agency(actor)
    if year >= local_date(now).year or year < 2000:
        raise ValidationFailed("Only a past year is disclosed.", errors={"year": ["A past year."]})
    disclosure = AnnualDisclosure.objects.select_for_update().filter(year=year).first()
    content = disclosure_content(year, now)
    if disclosure is None:
        disclosure = AnnualDisclosure.objects.create(
            year=year,
            content=content,
            deadline=deadline_of(year),
            generated_at=now,
            generated_by=actor,
        )
    elif disclosure.status != DisclosureStatus.GENERATED:
        raise IllegalTransition(action="generate", current=disclosure.status, allowed=[])
    else:
        AnnualDisclosure.objects.filter(pk=disclosure.pk).update(
            content=content, generated_at=now, generated_by=actor
        )
        disclosure.refresh_from_db()
    record_event(
        action="disclosure_generate", obj=disclosure, actor=actor, at=now, data={"year": year}
    )
    return disclosure


@transaction.atomic
def disclosure_review(
    *, actor, disclosure: AnnualDisclosure, note: str, now: dt.datetime
) -> AnnualDisclosure:
    """Agency staff or a platform administrator other than who generated it."""
    if not (actors.is_agency(actor) or actors.is_regulator(actor)):
        actors.require_agency(actor)
    disclosure = lock(AnnualDisclosure, disclosure.pk)
    if disclosure.status != DisclosureStatus.GENERATED:
        raise IllegalTransition(action="review", current=disclosure.status, allowed=[])
    if disclosure.generated_by_id == actor.pk:
        raise Conflict("The disclosure is reviewed by someone other than who generated it.")
    AnnualDisclosure.objects.filter(pk=disclosure.pk).update(
        status=DisclosureStatus.REVIEWED,
        reviewed_at=now,
        reviewed_by=actor,
        review_note=(note or "")[:2000],
    )
    disclosure.refresh_from_db()
    record_event(action="disclosure_review", obj=disclosure, actor=actor, at=now, reason=note or "")
    return disclosure


@transaction.atomic
def disclosure_publish(
    *, actor, disclosure: AnnualDisclosure, now: dt.datetime
) -> AnnualDisclosure:
    actors.require_agency(actor)
    disclosure = lock(AnnualDisclosure, disclosure.pk)
    if disclosure.status != DisclosureStatus.REVIEWED:
        raise IllegalTransition(action="publish", current=disclosure.status, allowed=[])
    AnnualDisclosure.objects.filter(pk=disclosure.pk).update(
        status=DisclosureStatus.PUBLISHED, published_at=now, published_by=actor
    )
    disclosure.refresh_from_db()
    record_event(
        action="disclosure_publish",
        obj=disclosure,
        actor=actor,
        at=now,
        data={"late": local_date(now) > disclosure.deadline},
    )
    return disclosure


# --------------------------------------------------------------------------- reports


def operating_report_content(operator: Party, year: int) -> dict[str, Any]:
    start, end = _year_bounds(year)
    orders = Order.objects.filter(product__operator=operator)
    by_purpose = dict(
        orders.filter(quoted_at__lt=end).values_list("purpose_class").annotate(n=Count("id"))
    )
    usage = OrderUsage.objects.filter(
        order__product__operator=operator, at__gte=start, at__lt=end, billable=True
    )
    totals = usage.aggregate(calls=Sum("calls"), records=Sum("records"), bytes=Sum("bytes"))
    statements = Statement.objects.filter(
        order__product__operator=operator,
        status=StatementStatus.FINALISED,
        month__gte=dt.date(year, 1, 1),
        month__lte=dt.date(year, 12, 1),
    )
    billed = statements.aggregate(s=Sum("total"))["s"] or ZERO
    credited = (
        CreditNote.objects.filter(invoice__statement__in=statements).aggregate(s=Sum("amount"))["s"]
        or ZERO
    )
    paid = (
        Payment.objects.filter(invoice__statement__in=statements).aggregate(s=Sum("amount"))["s"]
        or ZERO
    )
    periods = PricingPeriod.objects.filter(
        operator=operator, start__lte=dt.date(year, 12, 31), end__gte=dt.date(year, 1, 1)
    )
    return {
        "operator": operator.organisation.name,
        "year": year,
        "products": [
            {
                "name": p.name,
                "kind": p.kind,
                "status": p.status,
                "registry_code": p.registry_record.code if p.registry_record else None,
            }
            for p in Product.objects.filter(operator=operator, created_at__lt=end).select_related(
                "registry_record"
            )
        ],
        "orders_by_purpose": {k: int(v) for k, v in by_purpose.items()},
        "usage": {k: int(v or 0) for k, v in totals.items()},
        "revenue": {
            "billed": str(billed),
            "credited": str(credited),
            "net": str(billed - credited),
            "received": str(paid),
        },
        "pricing_periods": [
            {
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
                "trial": p.is_trial,
                "maximum_permitted_revenue": str(p.maximum_permitted_revenue),
                "status": p.status,
                "actual_revenue": None if p.actual_revenue is None else str(p.actual_revenue),
                "over_recovery": None if p.over_recovery is None else str(p.over_recovery),
            }
            for p in periods
        ],
    }


@transaction.atomic
def operating_report_file(
    *, actor, operator: Party, year: int, narrative: str, now: dt.datetime
) -> OperatingReport:
    actors.require_operator(actor, operator.pk)
    if year >= local_date(now).year:
        raise ValidationFailed("A report covers a past year.", errors={"year": ["A past year."]})
    if OperatingReport.objects.filter(operator=operator, year=year).exists():
        raise Conflict("The report of that year is already filed.")
    report = OperatingReport.objects.create(
        operator=operator,
        year=year,
        content=operating_report_content(operator, year),
        narrative=(narrative or "").strip()[:8000],
        filed_by=actor,
        filed_at=now,
    )
    record_event(
        action="operating_report_file", obj=report, actor=actor, at=now, data={"year": year}
    )
    return report


def holder_usage_rows(holder_org_ids, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Use of a holder's resources through products in [start, end]: per product and purpose."""
    lo = dt.datetime(start.year, start.month, start.day, tzinfo=SHANGHAI)
    hi = dt.datetime(end.year, end.month, end.day, tzinfo=SHANGHAI) + dt.timedelta(days=1)
    rows = (
        OrderUsage.objects.filter(
            order__product__licence__resource__holder_id__in=holder_org_ids, at__gte=lo, at__lt=hi
        )
        .values(
            "order__product__licence__resource__code",
            "order__product__licence__number",
            "order__product__name",
            "order__product__operator__organisation__name",
            "order__purpose_class",
        )
        .annotate(
            calls=Sum("calls"),
            records=Sum("records"),
            bytes=Sum("bytes"),
            refused=Count("id", filter=Q(billable=False)),
        )
        .order_by("order__product__licence__resource__code", "order__product__name")
    )
    return [
        {
            "resource": r["order__product__licence__resource__code"],
            "licence": r["order__product__licence__number"],
            "product": r["order__product__name"],
            "operator": r["order__product__operator__organisation__name"],
            "purpose_class": r["order__purpose_class"],
            "calls": r["calls"],
            "records": r["records"],
            "bytes": r["bytes"],
            "refused": r["refused"],
        }
        for r in rows
    ]


def regulator_records(start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Review records (every attributable decision) and transaction records (orders,
    statements, invoices, credit notes, payments) in [start, end], oldest first."""
    lo = dt.datetime(start.year, start.month, start.day, tzinfo=SHANGHAI)
    hi = dt.datetime(end.year, end.month, end.day, tzinfo=SHANGHAI) + dt.timedelta(days=1)
    out: list[dict[str, Any]] = []
    for e in CommerceEvent.objects.filter(at__gte=lo, at__lt=hi).select_related("actor"):
        out.append(
            {
                "kind": "review",
                "record": e.action,
                "object": f"{e.object_type}:{e.object_id}",
                "at": e.at.isoformat(),
                "actor": e.actor.get_username() if e.actor else "",
                "amount": "",
                "detail": e.reason or str(e.data)[:500],
            }
        )
    for o in Order.objects.filter(quoted_at__gte=lo, quoted_at__lt=hi).select_related(
        "product", "consumer__organisation"
    ):
        out.append(
            {
                "kind": "transaction",
                "record": "order",
                "object": o.number,
                "at": o.quoted_at.isoformat(),
                "actor": o.consumer.organisation.name,
                "amount": "",
                "detail": f"{o.product.name} · {o.purpose_class} · {'free' if o.is_free else 'charged'}",
            }
        )
    for s in Statement.objects.filter(finalised_at__gte=lo, finalised_at__lt=hi).select_related(
        "order"
    ):
        out.append(
            {
                "kind": "transaction",
                "record": "statement",
                "object": s.number,
                "at": s.finalised_at.isoformat(),
                "actor": s.order.number,
                "amount": str(s.total),
                "detail": s.month.isoformat()[:7],
            }
        )
    for model, label, field in (
        (Invoice, "invoice", "issued_at"),
        (CreditNote, "credit_note", "issued_at"),
        (Payment, "payment", "recorded_at"),
    ):
        for doc in model.objects.filter(**{f"{field}__gte": lo, f"{field}__lt": hi}):
            out.append(
                {
                    "kind": "transaction",
                    "record": label,
                    "object": getattr(doc, "number", None) or getattr(doc, "reference", ""),
                    "at": getattr(doc, field).isoformat(),
                    "actor": "",
                    "amount": str(doc.amount),
                    "detail": getattr(doc, "reason", "")[:500],
                }
            )
    return sorted(out, key=lambda r: r["at"])
