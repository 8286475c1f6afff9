"""The Atom feed of new and updated datasets (`/feeds/datasets.atom`): the newest 50 by
metadata change. Each entry links to the dataset page and, with `rel="alternate"` and a `type`,
to its DCAT-AP documents, so feed readers and harvesters can discover the RDF."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from portal.markdown import render_markdown
from portal.models import Dataset
from portal.selectors import datasets_public
from portal.standards.common import base_url, catalogue_path, dataset_path
from portal.standards.dcat import FORMATS, dataset_document_urls

FEED_SIZE = 50


class DatasetAtomFeed(Atom1Feed):
    """Atom with typed alternate links on the feed (the DCAT catalogue) and on each entry."""

    def add_root_elements(self, handler) -> None:
        super().add_root_elements(handler)
        for media, url in self.feed.get("alternates", ()):
            handler.addQuickElement("link", "", {"rel": "alternate", "type": media, "href": url})

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for media, url in item.get("alternates", ()):
            handler.addQuickElement("link", "", {"rel": "alternate", "type": media, "href": url})


@dataclass(frozen=True)
class Entry:
    """A dataset with the request it is shown for (Feed's item hooks see only the item)."""

    dataset: Dataset
    request: HttpRequest


class DatasetFeed(Feed):
    feed_type = DatasetAtomFeed

    def get_object(self, request: HttpRequest, *args, **kwargs) -> HttpRequest:
        return request

    def title(self, request: HttpRequest) -> str:
        return _("%(platform)s · 数据集更新") % {"platform": settings.PLATFORM_NAME}

    def subtitle(self, request: HttpRequest) -> str:
        return _("最新发布和更新的开放数据集")

    def link(self, request: HttpRequest) -> str:
        return base_url(request) + catalogue_path()

    def feed_url(self, request: HttpRequest) -> str:
        return base_url(request) + reverse("feed-datasets")

    def feed_extra_kwargs(self, request: HttpRequest) -> dict:
        base = base_url(request)
        return {
            "alternates": [
                (FORMATS["turtle"][0], base + reverse("dcat-catalog-turtle")),
                (FORMATS["json-ld"][0], base + reverse("dcat-catalog-jsonld")),
                (FORMATS["rdf-xml"][0], base + reverse("dcat-catalog-rdfxml")),
            ]
        }

    def items(self, request: HttpRequest) -> list[Entry]:
        newest = datasets_public().order_by("-metadata_updated_at", "-id")[:FEED_SIZE]
        return [Entry(dataset, request) for dataset in newest]

    def item_title(self, entry: Entry) -> str:
        return entry.dataset.title

    def item_description(self, entry: Entry) -> str:
        # Markdown written by holders is untrusted: the sanitised HTML the pages show.
        return str(render_markdown(entry.dataset.description))

    def item_link(self, entry: Entry) -> str:
        return base_url(entry.request) + dataset_path(entry.dataset.slug)

    def item_guid(self, entry: Entry) -> str:
        return self.item_link(entry) + "#dataset"

    def item_pubdate(self, entry: Entry):
        return entry.dataset.published_at

    def item_updateddate(self, entry: Entry):
        return entry.dataset.metadata_updated_at

    def item_author_name(self, entry: Entry) -> str:
        return entry.dataset.holder.name

    def item_categories(self, entry: Entry) -> list[str]:
        theme = [entry.dataset.theme.name] if entry.dataset.theme else []
        return theme + list(entry.dataset.tags)

    def item_extra_kwargs(self, entry: Entry) -> dict:
        urls = dataset_document_urls(entry.request, entry.dataset.slug)
        return {"alternates": [(FORMATS[fmt][0], url) for fmt, url in urls.items()]}


dataset_feed = DatasetFeed()
