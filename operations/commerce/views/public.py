"""Public pages: the price list (明码标价) and the published annual disclosures."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from operations.commerce import selectors
from operations.commerce.services.pricing import ceiling_in_force


def price_list(request):
    now = timezone.now()
    rows = []
    for product in selectors.products_listed().prefetch_related("prices"):
        price = next((p for p in product.prices.all() if p.status == "live"), None)
        suspended = next((p for p in product.prices.all() if p.status == "suspended"), None)
        unit = (price or suspended).unit if (price or suspended) else "call"
        rows.append(
            {
                "product": product,
                "price": price,
                "suspended": suspended,
                "ceiling": ceiling_in_force(product.pk, unit, now),
                "fee_ceiling": ceiling_in_force(product.pk, "period", now)
                if price and price.period_fee is not None
                else None,
            }
        )
    return render(request, "commerce/price_list.html", {"rows": rows})


def disclosure_list(request):
    return render(
        request, "commerce/disclosure_list.html", {"disclosures": selectors.disclosures_public()}
    )


def disclosure_detail(request, year: int):
    disclosure = selectors.disclosures_for(request.user).filter(year=year).first()
    if disclosure is None:
        raise Http404
    return render(
        request, "commerce/disclosure_detail.html", {"d": disclosure, "c": disclosure.content}
    )
