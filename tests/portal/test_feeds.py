"""The Atom feed of new and updated datasets, and sitemap.xml (single file and index)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from portal.models import Dataset, DatasetStatus
from portal.standards import sitemaps
from tests.conftest import at
from tests.portal.factories import make_dataset

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def xml_of(response) -> ET.Element:
    assert response.status_code == 200, response.content[:500]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return ET.fromstring(body)


def test_the_feed_lists_datasets_newest_change_first(client, world):
    old = make_dataset(world, title="较早的数据集", now=at(2026, 1, 5))
    new = make_dataset(world, title="最新的数据集", now=at(2026, 4, 5), tags=["公交"])
    gone = make_dataset(world, title="已下线的数据集", now=at(2026, 4, 9))
    Dataset.objects.filter(pk=gone.pk).update(status=DatasetStatus.WITHDRAWN)
    response = client.get("/feeds/datasets.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = xml_of(response)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["最新的数据集", "较早的数据集"]
    first = entries[0]
    assert first.findtext(f"{ATOM}updated").startswith("2026-04-05")
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "广州市交通运输局"
    assert {c.get("term") for c in first.findall(f"{ATOM}category")} == {"交通出行", "公交"}
    links = {
        (link.get("rel"), link.get("type")): link.get("href")
        for link in first.findall(f"{ATOM}link")
    }
    assert links[("alternate", None)] == f"http://testserver/datasets/{new.slug}/"
    assert links[("alternate", "text/turtle")] == f"http://testserver/datasets/{new.slug}.ttl"
    assert ("alternate", "application/ld+json") in links
    assert ("alternate", "application/rdf+xml") in links
    feed_links = {(link.get("rel"), link.get("type")) for link in feed.findall(f"{ATOM}link")}
    assert ("self", None) in feed_links and ("alternate", "text/turtle") in feed_links
    assert old.slug in entries[1].findtext(f"{ATOM}id")


def test_feed_summaries_are_sanitised_html(client, world):
    make_dataset(world, title="含脚本的描述", description="**粗体** <script>alert(1)</script>")
    entry = xml_of(client.get("/feeds/datasets.atom")).find(f"{ATOM}entry")
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert "<strong>粗体</strong>" in summary.text
    assert "<script" not in summary.text


def test_the_feed_holds_at_most_fifty_entries(client, world):
    oldest = make_dataset(world, title="最早的数据集", now=at(2025, 1, 1))
    for i in range(50):
        make_dataset(world, title=f"批量{i}", now=at(2026, 2, 1 + i % 27))
    entries = xml_of(client.get("/feeds/datasets.atom")).findall(f"{ATOM}entry")
    assert len(entries) == 50
    assert oldest.title not in {e.findtext(f"{ATOM}title") for e in entries}


def test_the_sitemap_lists_pages_datasets_and_publishers_with_lastmod(client, world):
    dataset = make_dataset(world, title="站点地图数据集", now=at(2026, 4, 1, 12))
    gone = make_dataset(world, title="下线数据集")
    Dataset.objects.filter(pk=gone.pk).update(status=DatasetStatus.WITHDRAWN)
    response = client.get("/sitemap.xml")
    assert response["Content-Type"].startswith("application/xml")
    root = xml_of(response)
    assert root.tag == f"{SITEMAP}urlset"
    urls = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in root}
    assert f"http://testserver/datasets/{dataset.slug}/" in urls
    assert f"http://testserver/datasets/{gone.slug}/" not in urls
    assert urls[f"http://testserver/datasets/{dataset.slug}/"] == "2026-04-01T04:00:00+00:00"
    assert "http://testserver/" in urls and "http://testserver/datasets/" in urls
    assert f"http://testserver/organisations/{dataset.holder_id}/" in urls
    assert f"http://testserver/organisations/{world.other_holder_org.pk}/" not in urls


def test_a_big_catalogue_gets_a_sitemap_index(client, world, monkeypatch):
    monkeypatch.setattr(sitemaps, "URLS_PER_FILE", 2)
    monkeypatch.setattr(sitemaps, "BATCH", 1)
    made = [make_dataset(world, title=f"索引数据集{i}") for i in range(3)]
    index = xml_of(client.get("/sitemap.xml"))
    assert index.tag == f"{SITEMAP}sitemapindex"
    locs = [s.findtext(f"{SITEMAP}loc") for s in index]
    assert locs == [
        "http://testserver/sitemap-pages-1.xml",
        "http://testserver/sitemap-datasets-1.xml",
        "http://testserver/sitemap-datasets-2.xml",
        "http://testserver/sitemap-organisations-1.xml",
    ]
    seen = []
    for page in (1, 2):
        part = xml_of(client.get(f"/sitemap-datasets-{page}.xml"))
        seen += [u.findtext(f"{SITEMAP}loc") for u in part]
    assert seen == [f"http://testserver/datasets/{d.slug}/" for d in made]
    assert client.get("/sitemap-datasets-3.xml").status_code == 404
    assert client.get("/sitemap-secrets-1.xml").status_code == 404


@pytest.mark.parametrize("path", ["/sitemap.xml", "/feeds/datasets.atom"])
def test_empty_catalogues_still_give_valid_documents(client, db, path):
    assert xml_of(client.get(path)) is not None


def test_the_discovery_links_point_at_the_feed_and_the_catalogue(db):
    from django.template.loader import render_to_string

    html = render_to_string("portal/standards/discovery_links.html")
    assert 'type="application/atom+xml"' in html and 'href="/feeds/datasets.atom"' in html
    assert 'type="text/turtle" title="DCAT-AP" href="/catalog.ttl"' in html
