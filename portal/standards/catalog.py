"""The DCAT-AP entry points: the whole catalogue in pages (`/catalog.ttl`, `.jsonld`, `.rdf`,
and `/catalog` negotiated) and one dataset (`/datasets/<slug>.ttl`, `.jsonld`, `.rdf`).

The catalogue is paged with a Hydra `PartialCollectionView` (first / last / next / previous),
ordered by dataset id so that datasets published during a harvest land on later pages.
"""

from __future__ import annotations

import math
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET
from rdflib import URIRef

from portal.selectors import access_dataset
from portal.standards.common import base_url, bounded_int, catalogue_path
from portal.standards.dcat import Describer, dataset_rdf_response, negotiate_format, rdf_response
from portal.standards.queries import catalogue_span, datasets_described, region_names
from registry.api_common import plain_problem as problem
from registry.errors import NotFound

DEFAULT_PAGE_SIZE = 100
# Measured: 500 datasets build and serialise to Turtle in about 2.5 s on these machines.
MAX_PAGE_SIZE = 500
_CATALOG_URL_NAMES = {
    "turtle": "dcat-catalog-turtle",
    "json-ld": "dcat-catalog-jsonld",
    "rdf-xml": "dcat-catalog-rdfxml",
}


@require_GET
def catalog_negotiated(request: HttpRequest) -> HttpResponse:
    """`/catalog`: RDF in the serialisation the client prefers; people go to the catalogue."""
    fmt = negotiate_format(request)
    if fmt is None:
        response: HttpResponse = HttpResponseRedirect(catalogue_path())
        patch_vary_headers(response, ["Accept"])
        return response
    return catalog_document(request, fmt=fmt)


@require_GET
def catalog_document(request: HttpRequest, *, fmt: str) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    page = bounded_int(
        request.GET.get("page"), "page", default=1, low=1, high=10_000_000, errors=errors
    )
    size = bounded_int(
        request.GET.get("page_size"),
        "page_size",
        default=DEFAULT_PAGE_SIZE,
        low=1,
        high=MAX_PAGE_SIZE,
        errors=errors,
    )
    if errors:
        return problem(
            400,
            "Validation failed",
            "Invalid paging parameters.",
            type_slug="validation-error",
            errors=errors,
        )
    span = catalogue_span()
    last = max(1, math.ceil(span["total"] / size))
    if page > last:
        return problem(
            404, "Not found", f"The catalogue has {last} page(s) of {size}.", type_slug="not-found"
        )
    datasets = list(datasets_described().order_by("id")[(page - 1) * size : page * size])
    describer = Describer(base_url(request), region_names(datasets))
    uris = [describer.dataset(d) for d in datasets]
    base = base_url(request)
    catalog = describer.catalog(URIRef(base + reverse("dcat-catalog")), datasets=uris, span=span)
    describer.paging(
        catalog,
        view=_page_url(request, page, size),
        pages=_neighbours(request, page, last, size),
        total=span["total"],
        size=size,
    )
    alternates = {
        other: base + reverse(name) + _query(page, size)
        for other, name in _CATALOG_URL_NAMES.items()
    }
    return rdf_response(describer.graph, fmt, alternates=alternates)


def _query(page: int, size: int) -> str:
    params = {"page": page} if size == DEFAULT_PAGE_SIZE else {"page": page, "page_size": size}
    return "?" + urlencode(params)


def _page_url(request: HttpRequest, page: int, size: int) -> str:
    return base_url(request) + request.path + _query(page, size)


def _neighbours(request: HttpRequest, page: int, last: int, size: int) -> dict[str, str]:
    pages = {"first": 1, "last": last}
    if page > 1:
        pages["previous"] = page - 1
    if page < last:
        pages["next"] = page + 1
    return {name: _page_url(request, number, size) for name, number in pages.items()}


@require_GET
def dataset_document(request: HttpRequest, slug: str, *, fmt: str) -> HttpResponse:
    try:
        dataset = access_dataset(slug=slug)
    except NotFound:
        return problem(404, "Not found", "No such dataset.", type_slug="not-found")
    return dataset_rdf_response(dataset, fmt, request)
