"""DCAT-AP 3.0 descriptions of the catalogue and its datasets, as an rdflib graph serialised to
Turtle, JSON-LD or RDF/XML, with content negotiation.

URIs: the catalogue is `<base>/catalog`; a dataset is `<landing page>#dataset` (a hash URI, so
dereferencing it lands on the page, which negotiates RDF too); a distribution is
`<landing page>#distribution-<id>`; a publisher `<organisation page>#organisation`; portal
themes and regions are concepts under `<base>/vocab/` (see `portal.standards.concepts`).

Conditional datasets have no `dcat:downloadURL` (their files need an approved application), only
`dcat:accessURL`; withdrawn datasets never appear (everything starts at `datasets_public`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from portal.models import Dataset, Distribution, Licence, Theme
from portal.standards import vocab
from portal.standards.common import (
    base_url,
    dataset_path,
    home_path,
    latest_file_path,
    licence_path,
    organisation_path,
)
from portal.standards.queries import coverage_codes, files_of, region_names
from registry.models import OpenCategory, Organisation, RegionLevel

DCT = DCTERMS
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
PUBLISHER_TYPE = Namespace("http://purl.org/adms/publishertype/")
# DCAT 3 terms missing from rdflib's closed (DCAT 2) namespace.
DCAT_VERSION = URIRef(str(DCAT) + "version")

PREFIXES: dict[str, Namespace] = {
    "dcat": DCAT,
    "dct": DCT,
    "foaf": FOAF,
    "skos": SKOS,
    "vcard": VCARD,
    "adms": ADMS,
    "spdx": SPDX,
    "hydra": HYDRA,
    "xsd": XSD,
}

# fmt → (media type of the response, rdflib serialiser name, file extension)
FORMATS: dict[str, tuple[str, str, str]] = {
    "turtle": ("text/turtle", "turtle", "ttl"),
    "json-ld": ("application/ld+json", "json-ld", "jsonld"),
    "rdf-xml": ("application/rdf+xml", "xml", "rdf"),
}
_HTML_TYPES = ("text/html", "application/xhtml+xml")
# HTML first: when the client likes several equally (`*/*`, `text/*`), a person gets the page.
_OFFERS = [*_HTML_TYPES, *(media for media, _, _ in FORMATS.values())]
_FORMAT_OF_MEDIA = {media: fmt for fmt, (media, _, _) in FORMATS.items()}

_PUBLISHER_TYPES = {
    RegionLevel.NATIONAL: "NationalAuthority",
    RegionLevel.PROVINCE: "RegionalAuthority",
    RegionLevel.CITY: "LocalAuthority",
    RegionLevel.COUNTY: "LocalAuthority",
}


def negotiate_format(request: HttpRequest) -> str | None:
    """ "turtle", "json-ld" or "rdf-xml" when the `Accept` header (q-values respected) prefers
    that RDF serialisation; None when HTML, `*/*` or nothing is preferred."""
    return _FORMAT_OF_MEDIA.get(request.get_preferred_type(_OFFERS) or "")


def rdf_response(graph: Graph, fmt: str, *, alternates: dict[str, str] | None = None):
    """The serialised graph with its content type, `Vary: Accept`, and `Link` headers to the
    other serialisations (`alternates`: fmt → URL)."""
    media, serialiser, _ = FORMATS[fmt]
    if fmt == "json-ld":
        context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        body = graph.serialize(format=serialiser, context=context, encoding="utf-8")
    else:
        body = graph.serialize(format=serialiser, encoding="utf-8")
    response = HttpResponse(body, content_type=f"{media}; charset=utf-8")
    patch_vary_headers(response, ["Accept"])
    response["Access-Control-Allow-Origin"] = "*"
    if alternates:
        response["Link"] = ", ".join(
            f'<{url}>; rel="alternate"; type="{FORMATS[other][0]}"'
            for other, url in alternates.items()
            if other != fmt
        )
    return response


def dataset_document_urls(request: HttpRequest, slug: str) -> dict[str, str]:
    """fmt → absolute URL of the dataset's `.ttl` / `.jsonld` / `.rdf` document."""
    base = base_url(request) + dataset_path(slug).rstrip("/")
    return {fmt: f"{base}.{ext}" for fmt, (_, _, ext) in FORMATS.items()}


def dataset_rdf_response(dataset: Dataset, fmt: str, request: HttpRequest) -> HttpResponse:
    """One published dataset (e.g. from `access_dataset`) as DCAT-AP in `fmt`."""
    describer = Describer(base_url(request), region_names([dataset]))
    describer.dataset(dataset)
    return rdf_response(
        describer.graph, fmt, alternates=dataset_document_urls(request, dataset.slug)
    )


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def date_time(moment) -> Literal:
    return Literal(moment.isoformat(), datatype=XSD.dateTime)


def theme_uri(base: str, code: str) -> URIRef:
    return URIRef(f"{base}/vocab/themes/{code}")


def region_uri(base: str, code: str) -> URIRef:
    return URIRef(f"{base}/vocab/regions/{code}")


class Describer:
    """Adds DCAT-AP descriptions to one graph. `regions` maps coverage region codes to names
    (see `queries.region_names`), so describing many datasets costs no query per dataset."""

    def __init__(self, base: str, regions: dict[str, str] | None = None) -> None:
        self.base = base
        self.regions = regions or {}
        self.graph = new_graph()

    def add(self, subject, predicate, obj) -> None:
        self.graph.add((subject, predicate, obj))

    # ------------------------------------------------------------------ catalogue

    def catalog(self, uri: URIRef, *, datasets: Iterable[URIRef], span: dict) -> URIRef:
        catalog = uri
        self.add(catalog, RDF.type, DCAT.Catalog)
        self.add(catalog, DCT.title, zh(settings.PLATFORM_NAME))
        self.add(catalog, DCT.title, Literal(settings.PLATFORM_NAME_EN, lang="en"))
        self.add(catalog, DCT.description, zh(CATALOG_DESCRIPTION_ZH))
        self.add(catalog, DCT.description, Literal(CATALOG_DESCRIPTION_EN, lang="en"))
        self.add(catalog, DCT.publisher, self._platform_publisher())
        self.add(catalog, FOAF.homepage, URIRef(self.base + home_path()))
        self.add(catalog, DCT.language, vocab.EU_LANGUAGE.ZHO)
        self.add(catalog, DCT.spatial, vocab.EU_COUNTRY.CHN)
        self.add(catalog, DCAT.themeTaxonomy, URIRef(vocab.EU_THEME_SCHEME))
        self.add(catalog, DCAT.themeTaxonomy, URIRef(f"{self.base}/vocab/themes"))
        if span.get("issued"):
            self.add(catalog, DCT.issued, date_time(span["issued"]))
        if span.get("modified"):
            self.add(catalog, DCT.modified, date_time(span["modified"]))
        for dataset in datasets:
            self.add(catalog, DCAT.dataset, dataset)
        return catalog

    def _platform_publisher(self) -> URIRef:
        agent = URIRef(self.base + home_path() + "#publisher")
        self.add(agent, RDF.type, FOAF.Agent)
        self.add(agent, FOAF.name, zh(settings.PLATFORM_NAME))
        self.add(agent, FOAF.name, Literal(settings.PLATFORM_NAME_EN, lang="en"))
        return agent

    def paging(self, catalog: URIRef, *, view: str, pages: dict[str, str], total: int, size: int):
        """A Hydra partial collection view of one page of the catalogue (`pages`: first, last
        and, where they exist, next and previous → URL)."""
        node = URIRef(view)
        self.add(catalog, HYDRA.totalItems, Literal(total, datatype=XSD.nonNegativeInteger))
        self.add(catalog, HYDRA.view, node)
        self.add(node, RDF.type, HYDRA.PartialCollectionView)
        self.add(node, HYDRA.itemsPerPage, Literal(size, datatype=XSD.nonNegativeInteger))
        for name, url in pages.items():
            self.add(node, HYDRA[name], URIRef(url))

    # ------------------------------------------------------------------ dataset

    def dataset(self, dataset: Dataset) -> URIRef:
        page = self.base + dataset_path(dataset.slug)
        uri = URIRef(page + "#dataset")
        self.add(uri, RDF.type, DCAT.Dataset)
        self.add(uri, DCT.identifier, Literal(dataset.resource.code or dataset.slug))
        self.add(uri, DCT.title, zh(dataset.title))
        self.add(uri, DCT.description, zh(dataset.description or dataset.title))
        for tag in dataset.tags:
            self.add(uri, DCAT.keyword, zh(tag))
        if dataset.theme is not None:
            self._themes(uri, dataset.theme)
        self.add(uri, DCT.publisher, self.agent(dataset.holder))
        self.add(uri, DCAT.contactPoint, self._contact(dataset))
        self.add(uri, DCT.language, vocab.EU_LANGUAGE.ZHO)
        self._coverage(uri, dataset)
        self._rights(uri, dataset)
        self.add(uri, DCAT.landingPage, URIRef(page))
        self.add(URIRef(page), RDF.type, FOAF.Document)
        self.add(uri, DCT.issued, date_time(dataset.published_at))
        self.add(uri, DCT.modified, date_time(dataset.metadata_updated_at))
        version = dataset.resource.current_version
        if version is not None:
            self.add(uri, DCAT_VERSION, Literal(str(version.number)))
        for distribution in files_of(dataset):
            self.add(uri, DCAT.distribution, self.distribution(dataset, distribution, page))
        return uri

    def _themes(self, uri: URIRef, theme: Theme) -> None:
        for eu_theme in vocab.eu_themes(theme.code):
            self.add(uri, DCAT.theme, URIRef(eu_theme))
        self.add(uri, DCAT.theme, self.theme_concept(theme))

    def theme_concept(self, theme: Theme) -> URIRef:
        concept = theme_uri(self.base, theme.code)
        self.add(concept, RDF.type, SKOS.Concept)
        self.add(concept, SKOS.prefLabel, zh(theme.name))
        if theme.name_en:
            self.add(concept, SKOS.prefLabel, Literal(theme.name_en, lang="en"))
        self.add(concept, SKOS.notation, Literal(theme.code))
        self.add(concept, SKOS.inScheme, URIRef(f"{self.base}/vocab/themes"))
        for eu_theme in vocab.eu_themes(theme.code):
            self.add(concept, SKOS.broadMatch, URIRef(eu_theme))
        return concept

    def _coverage(self, uri: URIRef, dataset: Dataset) -> None:
        for code in coverage_codes(dataset):
            location = region_uri(self.base, code)
            self.add(uri, DCT.spatial, location)
            self.add(location, RDF.type, DCT.Location)
            self.add(location, DCT.identifier, Literal(code))
            if code in self.regions:
                self.add(location, SKOS.prefLabel, zh(self.regions[code]))
        version = dataset.resource.current_version
        if version is not None and (version.period_start or version.period_end):
            period = BNode()
            self.add(uri, DCT.temporal, period)
            self.add(period, RDF.type, DCT.PeriodOfTime)
            if version.period_start:
                self.add(period, DCAT.startDate, Literal(version.period_start, datatype=XSD.date))
            if version.period_end:
                self.add(period, DCAT.endDate, Literal(version.period_end, datatype=XSD.date))

    def _rights(self, uri: URIRef, dataset: Dataset) -> None:
        frequency = vocab.eu_frequency(dataset.update_frequency)
        if frequency:
            self.add(uri, DCT.accrualPeriodicity, URIRef(frequency))
            self.add(URIRef(frequency), RDF.type, DCT.Frequency)
        rights = vocab.eu_access_rights(dataset.open_category)
        if rights:
            self.add(uri, DCT.accessRights, URIRef(rights))
            self.add(URIRef(rights), RDF.type, DCT.RightsStatement)
        self.add(uri, DCT.license, self.licence(dataset.licence))

    def agent(self, organisation: Organisation) -> URIRef:
        agent = URIRef(self.base + organisation_path(organisation.pk) + "#organisation")
        self.add(agent, RDF.type, FOAF.Agent)
        self.add(agent, RDF.type, FOAF.Organization)
        self.add(agent, FOAF.name, zh(organisation.name))
        self.add(agent, DCT.identifier, Literal(organisation.credit_code))
        kind = _PUBLISHER_TYPES.get(organisation.region.level)
        if kind:
            self.add(agent, DCT.type, PUBLISHER_TYPE[kind])
        return agent

    def _contact(self, dataset: Dataset) -> BNode:
        contact = BNode()
        self.add(contact, RDF.type, VCARD.Kind)
        self.add(contact, VCARD.fn, zh(dataset.contact_name or dataset.holder.name))
        self.add(contact, VCARD["organization-name"], zh(dataset.holder.name))
        if dataset.contact_email:
            self.add(contact, VCARD.hasEmail, URIRef(f"mailto:{dataset.contact_email}"))
        phone = "".join(c for c in dataset.contact_phone if c.isdigit() or c in "+-")
        if phone:
            self.add(contact, VCARD.hasTelephone, URIRef(f"tel:{phone}"))
        return contact

    def licence(self, licence: Licence) -> URIRef:
        uri = URIRef(licence.url or self.base + licence_path(licence.code))
        self.add(uri, RDF.type, DCT.LicenseDocument)
        self.add(uri, DCT.title, zh(licence.name))
        if licence.name_en:
            self.add(uri, DCT.title, Literal(licence.name_en, lang="en"))
        self.add(uri, DCT.identifier, Literal(licence.code))
        return uri

    # ------------------------------------------------------------------ distribution

    def distribution(self, dataset: Dataset, distribution: Distribution, page: str) -> URIRef:
        uri = URIRef(f"{page}#distribution-{distribution.pk}")
        version = distribution.current_version
        self.add(uri, RDF.type, DCAT.Distribution)
        self.add(uri, DCT.title, zh(distribution.title))
        if distribution.description:
            self.add(uri, DCT.description, zh(distribution.description))
        self.add(uri, DCAT.accessURL, URIRef(page))
        if dataset.open_category == OpenCategory.UNCONDITIONAL:
            download = self.base + latest_file_path(dataset.slug, distribution.pk)
            self.add(uri, DCAT.downloadURL, URIRef(download))
        file_type = vocab.eu_file_type(version.format or distribution.format)
        if file_type:
            self.add(uri, DCT["format"], URIRef(file_type))
            self.add(URIRef(file_type), RDF.type, DCT.MediaTypeOrExtent)
        media_type = vocab.iana_media_type(version.media_type)
        if media_type:
            self.add(uri, DCAT.mediaType, URIRef(media_type))
            self.add(URIRef(media_type), RDF.type, DCT.MediaType)
        self.add(uri, DCAT.byteSize, Literal(version.size, datatype=XSD.nonNegativeInteger))
        checksum = BNode()
        self.add(uri, SPDX.checksum, checksum)
        self.add(checksum, RDF.type, SPDX.Checksum)
        self.add(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
        self.add(checksum, SPDX.checksumValue, Literal(version.sha256, datatype=XSD.hexBinary))
        self.add(uri, DCT.license, self.licence(dataset.licence))
        self.add(uri, DCT.issued, date_time(distribution.created_at))
        self.add(uri, DCT.modified, date_time(version.uploaded_at))
        return uri


CATALOG_DESCRIPTION_ZH = (
    "本平台依法开放的公共数据目录：无条件开放数据可直接下载，有条件开放数据经申请批准后使用。"
)
CATALOG_DESCRIPTION_EN = (
    "Catalogue of the public data opened on this platform: unconditionally open data can be "
    "downloaded directly; conditionally open data is used after an approved application."
)
