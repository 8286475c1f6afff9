"""Open standards: DCAT-AP documents and vocabularies, sitemap, Atom feed, bulk exports. (The
CKAN-compatible Action API is mounted separately, at /api/3/action/, by config/urls.py.)"""

from django.urls import path

from portal.standards import catalog, concepts, exports, sitemaps
from portal.standards.feeds import dataset_feed

urlpatterns = [
    path("catalog", catalog.catalog_negotiated, name="dcat-catalog"),
    path("catalog.ttl", catalog.catalog_document, {"fmt": "turtle"}, name="dcat-catalog-turtle"),
    path(
        "catalog.jsonld", catalog.catalog_document, {"fmt": "json-ld"}, name="dcat-catalog-jsonld"
    ),
    path("catalog.rdf", catalog.catalog_document, {"fmt": "rdf-xml"}, name="dcat-catalog-rdfxml"),
    path(
        "datasets/<slug:slug>.ttl",
        catalog.dataset_document,
        {"fmt": "turtle"},
        name="dcat-dataset-turtle",
    ),
    path(
        "datasets/<slug:slug>.jsonld",
        catalog.dataset_document,
        {"fmt": "json-ld"},
        name="dcat-dataset-jsonld",
    ),
    path(
        "datasets/<slug:slug>.rdf",
        catalog.dataset_document,
        {"fmt": "rdf-xml"},
        name="dcat-dataset-rdfxml",
    ),
    path(
        "datasets/<slug:slug>/metadata.json",
        exports.dataset_metadata_json,
        name="dataset-metadata-json",
    ),
    path("vocab/themes", concepts.theme_scheme, name="vocab-themes"),
    path("vocab/themes/<slug:code>", concepts.theme_concept, name="vocab-theme"),
    path("vocab/regions", concepts.region_scheme, name="vocab-regions"),
    path("vocab/regions/<str:code>", concepts.region_concept, name="vocab-region"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("sitemap-<slug:section>-<int:page>.xml", sitemaps.sitemap_section, name="sitemap-section"),
    path("feeds/datasets.atom", dataset_feed, name="feed-datasets"),
    path("catalogue.csv", exports.catalogue_csv, name="catalogue-csv"),
    path("catalogue.json", exports.catalogue_json, name="catalogue-json"),
]
