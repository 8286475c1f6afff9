"""sitemap.xml (sitemaps.org 0.9): the home page, the catalogue, every published dataset page and
every publishing organisation's page, with `lastmod` from the metadata change.

While everything fits in one file (50,000 URLs, the protocol's limit) `/sitemap.xml` is that
file; beyond that it is a sitemap index of `/sitemap-<section>-<page>.xml` files. Files are
streamed and read in keyset batches, so a large catalogue is never held in memory.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from xml.sax.saxutils import escape

from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from portal.selectors import datasets_public
from portal.standards.common import (
    base_url,
    catalogue_path,
    dataset_path,
    home_path,
    organisation_path,
    utc,
)
from portal.standards.queries import catalogue_span, publishers

URLS_PER_FILE = 50_000
BATCH = 2_000
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
Url = tuple[str, dt.datetime | None]


def _lastmod(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return f"<lastmod>{utc(moment).strftime('%Y-%m-%dT%H:%M:%S+00:00')}</lastmod>"


def _pages(base: str) -> Iterator[Url]:
    modified = catalogue_span()["modified"]
    yield base + home_path(), modified
    yield base + catalogue_path(), modified


def _datasets(base: str, offset: int, limit: int) -> Iterator[Url]:
    rows = datasets_public().order_by("id").values_list("id", "slug", "metadata_updated_at")
    yield from ((base + dataset_path(slug), at) for _, slug, at in _keyset(rows, offset, limit))


def _organisations(base: str, offset: int, limit: int) -> Iterator[Url]:
    rows = publishers().order_by("id").values_list("id", "last_modified")
    yield from ((base + organisation_path(pk), at) for pk, at in _keyset(rows, offset, limit))


def _keyset(rows, offset: int, limit: int) -> Iterator[tuple]:
    """Rows `offset … offset+limit` of an id-ordered values_list, fetched in batches."""
    batch, sent = list(rows[offset : offset + min(BATCH, limit)]), 0
    while batch:
        yield from batch
        sent += len(batch)
        wanted = min(BATCH, limit - sent)
        if wanted <= 0:
            return
        batch = list(rows.filter(id__gt=batch[-1][0])[:wanted])


def _counts() -> dict[str, int]:
    return {
        "pages": 2,
        "datasets": datasets_public().count(),
        "organisations": publishers().count(),
    }


def _urlset(urls: Iterator[Url]) -> Iterator[str]:
    yield f"{_HEAD}<urlset {_NS}>\n"
    for loc, at in urls:
        yield f"<url><loc>{escape(loc)}</loc>{_lastmod(at)}</url>\n"
    yield "</urlset>\n"


def _xml(chunks: Iterator[str]) -> StreamingHttpResponse:
    return StreamingHttpResponse(chunks, content_type="application/xml; charset=utf-8")


@require_GET
def sitemap(request: HttpRequest) -> StreamingHttpResponse:
    base = base_url(request)
    counts = _counts()
    if sum(counts.values()) <= URLS_PER_FILE:
        return _xml(_urlset(_everything(base, counts)))
    return _xml(_index(base, counts))


def _everything(base: str, counts: dict[str, int]) -> Iterator[Url]:
    yield from _pages(base)
    yield from _datasets(base, 0, counts["datasets"])
    yield from _organisations(base, 0, counts["organisations"])


def _index(base: str, counts: dict[str, int]) -> Iterator[str]:
    yield f"{_HEAD}<sitemapindex {_NS}>\n"
    for section, count in counts.items():
        for page in range(1, max(1, math.ceil(count / URLS_PER_FILE)) + 1):
            loc = base + reverse("sitemap-section", args=[section, page])
            yield f"<sitemap><loc>{escape(loc)}</loc></sitemap>\n"
    yield "</sitemapindex>\n"


@require_GET
def sitemap_section(request: HttpRequest, section: str, page: int) -> StreamingHttpResponse:
    counts = _counts()
    if section not in counts or page < 1:
        raise Http404("No such sitemap.")
    if page > max(1, math.ceil(counts[section] / URLS_PER_FILE)):
        raise Http404("No such sitemap page.")
    base = base_url(request)
    offset = (page - 1) * URLS_PER_FILE
    if section == "pages":
        urls = _pages(base)
    elif section == "datasets":
        urls = _datasets(base, offset, URLS_PER_FILE)
    else:
        urls = _organisations(base, offset, URLS_PER_FILE)
    return _xml(_urlset(urls))
