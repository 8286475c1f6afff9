"""Markdown written by holders (dataset descriptions, licence summaries) rendered for the public
pages. Markdown is untrusted HTML: it is rendered with the `markdown` package, then sanitised
with an nh3 allowlist, so raw HTML, event handlers, `style` attributes (the CSP forbids them)
and non-web URL schemes never reach the page.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
        "strong", "em", "b", "i", "del", "sup", "sub", "code", "pre", "blockquote",
        "ul", "ol", "li", "dl", "dt", "dd", "a", "abbr",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
# No `img`: remote images would track readers and the CSP blocks them anyway.
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"
# Elements whose content is code or markup, removed with their content rather than unwrapped.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "svg", "math", "template", "noscript"}
)
EXTENSIONS = ["tables", "fenced_code", "sane_lists", "nl2br"]
# Column alignment as an `align` attribute: a `style` attribute would break the CSP.
EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}}
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1024)
def _render(text: str) -> str:
    # A fresh Markdown instance per call: instances keep state between conversions.
    rendered = md.Markdown(
        extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html"
    ).convert(text)
    return nh3.clean(
        rendered,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markdown(text: str | None) -> SafeString:
    """Sanitised HTML for a Markdown text. Cached by text (rendering is pure)."""
    if not text:
        return mark_safe("")
    return mark_safe(_render(text))  # nh3 allowlist output


@lru_cache(maxsize=2048)
def markdown_plain(text: str | None) -> str:
    """The Markdown text as plain text (tags dropped, entities decoded, whitespace collapsed),
    for result excerpts; the caller escapes it."""
    if not text:
        return ""
    stripped = nh3.clean(_render(text), tags=set(), clean_content_tags=set(DROPPED_WITH_CONTENT))
    return _SPACE.sub(" ", html.unescape(stripped)).strip()
