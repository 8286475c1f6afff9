"""DCAT-AP 3.0: the catalogue and dataset documents parse as RDF in every serialisation and say
what DCAT-AP consumers look for; content negotiation picks the right one."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import RequestFactory
from rdflib import Graph, Literal, Namespace, URIRef

from portal.models import Dataset, DatasetStatus, Licence, Theme
from portal.standards.dcat import HYDRA, SPDX, negotiate_format
from tests.portal.factories import add_file, make_dataset

# Open namespaces: rdflib's closed ones warn whenever pytest inspects the module's names.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
EU = "http://publications.europa.eu/resource/authority/"
PARSERS = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml"}
# rdflib's own JSON-LD parser still uses its deprecated ConjunctiveGraph internally.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


def parse(response, fmt: str) -> Graph:
    assert response.status_code == 200, response.content[:500]
    return Graph().parse(data=response.content, format=PARSERS[fmt])


def dataset_uri(dataset) -> URIRef:
    return URIRef(f"http://testserver/datasets/{dataset.slug}/#dataset")


@pytest.fixture
def bus(world):
    reg = world.coded(
        name="广州市公交站点",
        period_start=dt.date(2020, 1, 1),
        period_end=dt.date(2025, 12, 31),
        coverage_regions=["440100", "440103"],
        update_frequency="monthly",
    )
    dataset = make_dataset(
        world,
        coded=reg,
        tags=["公交", "交通"],
        contact_email="bus@example.gov.cn",
        update_frequency="half_yearly",
    )
    add_file(dataset, content="线路,站点\n1路,火车站\n".encode(), name="stops.csv")
    return dataset


@pytest.fixture
def conditional(world):
    dataset = make_dataset(
        world,
        title="企业信用明细",
        open_category="conditional",
        licence=Licence.objects.get(code="conditional-agreement"),
        theme=Theme.objects.get(code="credit"),
    )
    add_file(dataset, content=b"a,b\n1,2\n", name="credit.csv")
    return dataset


@pytest.mark.parametrize("ext", ["ttl", "jsonld", "rdf"])
def test_each_dataset_serialisation_parses_and_has_the_chinese_title(client, bus, ext):
    graph = parse(client.get(f"/datasets/{bus.slug}.{ext}"), ext)
    uri = dataset_uri(bus)
    assert (uri, RDF.type, DCAT.Dataset) in graph
    assert (uri, DCTERMS.title, Literal("广州市公交站点", lang="zh")) in graph
    assert (uri, DCTERMS.identifier, Literal(bus.resource.code)) in graph


def test_a_dataset_carries_the_eu_vocabularies_and_its_own_theme(client, bus):
    graph = parse(client.get(f"/datasets/{bus.slug}.ttl"), "ttl")
    uri = dataset_uri(bus)
    assert (uri, DCTERMS.accessRights, URIRef(EU + "access-right/PUBLIC")) in graph
    assert (uri, DCTERMS.accrualPeriodicity, URIRef(EU + "frequency/ANNUAL_2")) in graph
    assert (uri, DCAT.theme, URIRef(EU + "data-theme/TRAN")) in graph
    assert (uri, DCAT.theme, URIRef("http://testserver/vocab/themes/transport")) in graph
    assert (uri, DCAT.keyword, Literal("公交", lang="zh")) in graph
    assert (uri, DCAT.landingPage, URIRef(f"http://testserver/datasets/{bus.slug}/")) in graph


def test_publisher_contact_coverage_and_period_are_described(client, bus):
    graph = parse(client.get(f"/datasets/{bus.slug}.ttl"), "ttl")
    uri = dataset_uri(bus)
    publisher = graph.value(uri, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert graph.value(publisher, DCTERMS.identifier) == Literal(bus.holder.credit_code)
    assert graph.value(publisher, FOAF.name) == Literal(bus.holder.name, lang="zh")
    contact = graph.value(uri, DCAT.contactPoint)
    assert (contact, URIRef("http://www.w3.org/2006/vcard/ns#hasEmail"), None) in graph
    spatial = set(graph.objects(uri, DCTERMS.spatial))
    assert spatial == {
        URIRef("http://testserver/vocab/regions/440100"),
        URIRef("http://testserver/vocab/regions/440103"),
    }
    label = graph.value(
        URIRef("http://testserver/vocab/regions/440100"),
        URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
    )
    assert label == Literal("广州市", lang="zh")
    period = graph.value(uri, DCTERMS.temporal)
    assert graph.value(period, DCAT.startDate) == Literal(dt.date(2020, 1, 1), datatype=XSD.date)
    assert graph.value(period, DCAT.endDate) == Literal(dt.date(2025, 12, 31), datatype=XSD.date)


def test_a_distribution_has_download_url_checksum_and_integer_byte_size(client, bus):
    version = bus.distributions.get().current_version
    graph = parse(client.get(f"/datasets/{bus.slug}.jsonld"), "jsonld")
    rows = list(
        graph.query(
            """
            SELECT ?download ?size ?sum ?format ?media WHERE {
              ?d a dcat:Dataset ; dcat:distribution ?dist .
              ?dist dcat:downloadURL ?download ; dcat:byteSize ?size ;
                    dct:format ?format ; dcat:mediaType ?media ;
                    spdx:checksum [ spdx:algorithm spdx:checksumAlgorithm_sha256 ;
                                    spdx:checksumValue ?sum ] .
            }""",
            initNs={"dcat": DCAT, "dct": DCTERMS, "spdx": SPDX},
        )
    )
    assert len(rows) == 1
    download, size, checksum, file_type, media = rows[0]
    dist_id = version.distribution_id
    assert str(download) == f"http://testserver/datasets/{bus.slug}/files/{dist_id}/latest"
    assert size.datatype == XSD.nonNegativeInteger and size.toPython() == version.size
    assert str(checksum) == version.sha256
    assert file_type == URIRef(EU + "file-type/CSV")
    assert media == URIRef("http://www.iana.org/assignments/media-types/text/csv")


def test_a_conditional_dataset_has_access_url_but_no_download_url(client, conditional):
    graph = parse(client.get(f"/datasets/{conditional.slug}.rdf"), "rdf")
    uri = dataset_uri(conditional)
    assert (uri, DCTERMS.accessRights, URIRef(EU + "access-right/RESTRICTED")) in graph
    assert (uri, DCAT.theme, URIRef(EU + "data-theme/ECON")) in graph
    distribution = graph.value(uri, DCAT.distribution)
    page = URIRef(f"http://testserver/datasets/{conditional.slug}/")
    assert (distribution, DCAT.accessURL, page) in graph
    assert list(graph.triples((None, DCAT.downloadURL, None))) == []


def test_a_withdrawn_dataset_is_absent_from_the_catalogue_and_its_document(client, bus, world):
    kept = make_dataset(world, title="保留的数据集")
    Dataset.objects.filter(pk=bus.pk).update(status=DatasetStatus.WITHDRAWN)
    graph = parse(client.get("/catalog.ttl"), "ttl")
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert datasets == {dataset_uri(kept)}
    response = client.get(f"/datasets/{bus.slug}.ttl")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


@pytest.mark.smoke
@pytest.mark.parametrize("ext", ["ttl", "jsonld", "rdf"])
def test_the_catalogue_parses_in_each_serialisation_with_its_header(client, bus, ext):
    graph = parse(client.get(f"/catalog.{ext}"), ext)
    catalog = URIRef("http://testserver/catalog")
    assert (catalog, RDF.type, DCAT.Catalog) in graph
    assert (catalog, DCAT.dataset, dataset_uri(bus)) in graph
    titles = {t.language for t in graph.objects(catalog, DCTERMS.title)}
    assert titles == {"zh", "en"}
    assert (catalog, DCTERMS.language, URIRef(EU + "language/ZHO")) in graph
    assert (catalog, DCAT.themeTaxonomy, URIRef(EU + "data-theme")) in graph
    assert (graph.value(catalog, DCTERMS.publisher), RDF.type, FOAF.Agent) in graph
    assert graph.value(catalog, DCTERMS.modified) is not None


def test_the_catalogue_is_paged_with_a_hydra_partial_collection_view(client, world):
    made = [make_dataset(world, title=f"分页数据集{i}") for i in range(3)]
    graph = parse(client.get("/catalog.ttl?page=2&page_size=1"), "ttl")
    catalog = URIRef("http://testserver/catalog")
    assert set(graph.objects(catalog, DCAT.dataset)) == {dataset_uri(made[1])}
    assert graph.value(catalog, HYDRA.totalItems).toPython() == 3
    view = graph.value(catalog, HYDRA.view)
    assert (view, RDF.type, HYDRA.PartialCollectionView) in graph
    pages = {
        name: str(graph.value(view, HYDRA[name])) for name in ("first", "last", "next", "previous")
    }
    assert pages == {
        "first": "http://testserver/catalog.ttl?page=1&page_size=1",
        "last": "http://testserver/catalog.ttl?page=3&page_size=1",
        "next": "http://testserver/catalog.ttl?page=3&page_size=1",
        "previous": "http://testserver/catalog.ttl?page=1&page_size=1",
    }
    last = parse(client.get(pages["last"]), "ttl")
    assert last.value(URIRef(pages["last"]), HYDRA.next) is None


@pytest.mark.parametrize(
    "query", ["page=0", "page=abc", "page_size=0", "page_size=501", "page_size=1e3", "page=-1"]
)
def test_invalid_paging_is_a_400_problem(client, db, query):
    response = client.get(f"/catalog.ttl?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert json.loads(response.content)["errors"]


def test_a_page_past_the_end_is_a_404_problem(client, bus):
    response = client.get("/catalog.jsonld?page=2")
    assert response.status_code == 404
    assert json.loads(response.content)["status"] == 404


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "rdf-xml"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", None),
        ("*/*", None),
        ("", None),
        ("text/html;q=0.5, text/turtle;q=0.9", "turtle"),
        ("text/turtle;q=0.2, application/ld+json;q=0.7, text/html;q=0.1", "json-ld"),
        ("text/turtle;q=0, */*", None),
        ("image/png", None),
        ("garbage;;q=x", None),
    ],
)
def test_negotiation_respects_q_values(accept, expected):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    assert negotiate_format(RequestFactory().get("/", **headers)) == expected


def test_the_negotiated_catalogue_serves_rdf_or_sends_people_to_the_catalogue(client, bus):
    turtle = client.get("/catalog", HTTP_ACCEPT="text/turtle")
    assert turtle["Content-Type"].startswith("text/turtle")
    assert "Accept" in turtle["Vary"]
    parse(turtle, "ttl")
    jsonld = client.get("/catalog", HTTP_ACCEPT="application/ld+json")
    assert jsonld["Content-Type"].startswith("application/ld+json")
    page = client.get("/catalog", HTTP_ACCEPT="text/html")
    assert page.status_code == 302
    assert page["Location"] == "/datasets/"
    assert "Accept" in page["Vary"]


def test_dataset_documents_vary_on_accept_and_link_their_alternates(client, bus):
    response = client.get(f"/datasets/{bus.slug}.rdf")
    assert response["Content-Type"] == "application/rdf+xml; charset=utf-8"
    assert "Accept" in response["Vary"]
    assert f'</datasets/{bus.slug}.ttl>; rel="alternate"; type="text/turtle"' in (
        response["Link"].replace("http://testserver", "")
    )


def test_the_dataset_page_answers_rdf_when_asked(client, bus):
    response = client.get(f"/datasets/{bus.slug}/", HTTP_ACCEPT="text/turtle")
    assert response["Content-Type"].startswith("text/turtle")
    assert "Accept" in response["Vary"]
    assert (dataset_uri(bus), RDF.type, DCAT.Dataset) in parse(response, "ttl")


def test_the_base_url_setting_replaces_the_request_host(client, bus, settings):
    settings.PORTAL_BASE_URL = "https://data.example.gov.cn"
    graph = parse(client.get(f"/datasets/{bus.slug}.ttl"), "ttl")
    uri = URIRef(f"https://data.example.gov.cn/datasets/{bus.slug}/#dataset")
    assert (uri, RDF.type, DCAT.Dataset) in graph


def test_the_catalogue_costs_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for i in range(6):
        add_file(make_dataset(world, title=f"查询数据集{i}"), name=f"f{i}.csv")
    with django_assert_max_num_queries(8):
        parse(client.get("/catalog.ttl"), "ttl")


def test_theme_and_region_uris_dereference_to_skos(client, db):
    themes = Graph().parse(data=client.get("/vocab/themes").content, format="turtle")
    transport = URIRef("http://testserver/vocab/themes/transport")
    skos = "http://www.w3.org/2004/02/skos/core#"
    assert (transport, URIRef(skos + "broadMatch"), URIRef(EU + "data-theme/TRAN")) in themes
    region = client.get("/vocab/regions/440100", HTTP_ACCEPT="application/ld+json")
    assert region["Content-Type"].startswith("application/ld+json")
    graph = Graph().parse(data=region.content, format="json-ld")
    city = URIRef("http://testserver/vocab/regions/440100")
    assert (city, URIRef(skos + "broader"), URIRef("http://testserver/vocab/regions/440000")) in (
        graph
    )
    assert client.get("/vocab/regions/999999").status_code == 404
    assert client.get("/vocab/themes/nope").status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/vocab/regions/%00", "/vocab/regions/44%000", "/datasets/%00.ttl", "/catalog.ttl?page=%00"],
)
def test_nul_bytes_in_urls_are_client_errors(client, db, path):
    assert 400 <= client.get(path).status_code < 500
