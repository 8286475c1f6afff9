"""The portal's own concept schemes, so that the theme and region URIs used in DCAT-AP
(`<base>/vocab/themes/<code>`, `<base>/vocab/regions/<code>`) dereference to SKOS: labels in
Chinese (and English for themes), notations, broader regions, and the EU data themes each
portal theme sits under (`skos:broadMatch`). Turtle unless the client asks for JSON-LD or
RDF/XML."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from portal.models import Theme
from portal.standards.common import base_url
from portal.standards.dcat import DCT, Describer, negotiate_format, rdf_response, region_uri, zh
from registry.api_common import plain_problem as problem
from registry.models import Region, RegionLevel


def _respond(request: HttpRequest, describer: Describer) -> HttpResponse:
    return rdf_response(describer.graph, negotiate_format(request) or "turtle")


def _scheme(describer: Describer, uri: str, title_zh: str, title_en: str) -> URIRef:
    scheme = URIRef(uri)
    describer.add(scheme, RDF.type, SKOS.ConceptScheme)
    describer.add(scheme, DCT.title, zh(title_zh))
    describer.add(scheme, DCT.title, Literal(title_en, lang="en"))
    return scheme


@require_GET
def theme_scheme(request: HttpRequest) -> HttpResponse:
    describer = Describer(base_url(request))
    scheme = _scheme(describer, f"{describer.base}/vocab/themes", "主题分类", "Catalogue themes")
    for theme in Theme.objects.all():
        concept = describer.theme_concept(theme)
        describer.add(scheme, SKOS.hasTopConcept, concept)
        describer.add(concept, SKOS.topConceptOf, scheme)
    return _respond(request, describer)


@require_GET
def theme_concept(request: HttpRequest, code: str) -> HttpResponse:
    theme = Theme.objects.filter(code=code).first()
    if theme is None:
        return problem(404, "Not found", "No such theme.", type_slug="not-found")
    describer = Describer(base_url(request))
    describer.theme_concept(theme)
    return _respond(request, describer)


def _region(describer: Describer, region: Region) -> URIRef:
    concept = region_uri(describer.base, region.code)
    describer.add(concept, RDF.type, SKOS.Concept)
    describer.add(concept, RDF.type, DCT.Location)
    describer.add(concept, SKOS.prefLabel, zh(region.name))
    describer.add(concept, SKOS.notation, Literal(region.code))
    describer.add(concept, DCT.identifier, Literal(region.code))
    describer.add(concept, SKOS.inScheme, URIRef(f"{describer.base}/vocab/regions"))
    return concept


@require_GET
def region_scheme(request: HttpRequest) -> HttpResponse:
    """The scheme with its top concepts (nationwide and the provinces); cities and counties
    are reached through `skos:narrower` from each province's own document."""
    describer = Describer(base_url(request))
    scheme = _scheme(
        describer, f"{describer.base}/vocab/regions", "行政区划（GB/T 2260）", "Regions (GB/T 2260)"
    )
    top = Region.objects.filter(level__in=[RegionLevel.NATIONAL, RegionLevel.PROVINCE])
    for region in top:
        concept = _region(describer, region)
        describer.add(scheme, SKOS.hasTopConcept, concept)
    return _respond(request, describer)


@require_GET
def region_concept(request: HttpRequest, code: str) -> HttpResponse:
    valid = len(code) == 6 and code.isascii() and code.isdigit()
    region = Region.objects.select_related("parent").filter(code=code).first() if valid else None
    if region is None:
        return problem(404, "Not found", "No such region.", type_slug="not-found")
    describer = Describer(base_url(request))
    concept = _region(describer, region)
    if region.parent is not None:
        describer.add(concept, SKOS.broader, _region(describer, region.parent))
    for child in region.children.all():
        describer.add(concept, SKOS.narrower, _region(describer, child))
    return _respond(request, describer)
