"""The open standards the portal speaks besides its own pages and API: DCAT-AP 3.0 in Turtle,
JSON-LD and RDF/XML (`dcat`), a read-only CKAN-compatible Action API (`ckan`), the Atom feed
(`feeds`), sitemap.xml (`sitemaps`) and bulk metadata exports (`exports`).

Everything here is public and read-only: it only ever shows published datasets
(`portal.selectors.datasets_public`), so there is nothing to authorise.
"""
