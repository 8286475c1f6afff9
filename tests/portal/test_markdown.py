"""Markdown from holders is untrusted HTML: rendered, then sanitised with an allowlist."""

from __future__ import annotations

import html
import re

import pytest
from django.utils.safestring import SafeString

from portal.markdown import markdown_plain, render_markdown


def test_common_markdown_is_rendered():
    out = render_markdown("## 标题\n\n**粗体** 和 *斜体*\n\n- 一\n- 二\n\n`代码`")
    assert isinstance(out, SafeString)
    assert "<h2>标题</h2>" in out
    assert "<strong>粗体</strong>" in out and "<em>斜体</em>" in out
    assert "<li>一</li>" in out and "<code>代码</code>" in out


def test_links_keep_web_urls_and_get_nofollow_noopener():
    out = render_markdown("[平台](https://data.example.cn/a?b=1&c=2) [信](mailto:a@example.cn)")
    assert '<a href="https://data.example.cn/a?b=1&amp;c=2" rel="nofollow noopener">平台</a>' in out
    assert 'href="mailto:a@example.cn"' in out


def test_tables_keep_alignment_as_an_attribute_not_a_style():
    out = render_markdown("| 名称 | 数量 |\n|:--|--:|\n| 甲 | 1 |")
    assert '<th align="left">名称</th>' in out and '<td align="right">1</td>' in out
    assert "style" not in out


def test_single_line_breaks_are_kept():
    assert "第一行<br>" in render_markdown("第一行\n第二行")


@pytest.mark.parametrize(
    ("payload", "forbidden"),
    [
        ("<script>alert(1)</script>", ["<script", "alert(1)"]),
        ('<img src=x onerror="alert(1)">', ["<img", "onerror"]),
        ("[x](javascript:alert(1))", ["javascript:"]),
        ("[x](JAVASCRIPT:alert(1))", ["javascript:"]),
        ("[x](java\tscript:alert(1))", ["javascript:"]),
        ("[x](&#106;avascript:alert(1))", ["avascript:"]),
        ("<svg onload=alert(1)><circle r=1 /></svg>", ["<svg", "onload", "<circle"]),
        ("[<img src=x onerror=alert(1)>](https://example.cn)", ["<img", "onerror"]),
        ("[d](data:text/html;base64,PHNjcmlwdD4=)", ["data:"]),
        ("![i](data:image/svg+xml;base64,PHN2Zz4=)", ["data:", "<img"]),
        ('<a href="https://e.cn" onclick="x()">l</a>', ["onclick"]),
        ('<p style="background:url(javascript:x)">s</p>', ["style", "javascript"]),
        ("<iframe src=https://evil.example></iframe>", ["<iframe"]),
        ("<style>body{display:none}</style>", ["<style", "display:none"]),
        ("<form action=https://evil.example><input name=p></form>", ["<form", "<input"]),
        ("<!-- <script>x</script> -->", ["<script", "<!--"]),
        ("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", ["onerror", "<img"]),
    ],
)
def test_hostile_markup_is_removed(payload, forbidden):
    out = render_markdown(f"前 {payload} 后").lower()
    assert "前" in out
    for bad in forbidden:
        assert bad.lower() not in out, out
    # What a browser's URL parser would make of each remaining link (it drops tabs and
    # newlines): never a script or data URL.
    for href in re.findall(r'href="([^"]*)"', out):
        cleaned = re.sub(r"[\t\n\r]", "", html.unescape(href)).strip()
        assert not cleaned.startswith(("javascript:", "vbscript:", "data:")), href


def test_html_in_link_text_is_escaped_or_dropped_never_live():
    out = render_markdown("[<b onmouseover=x>粗</b>](https://e.cn)")
    assert "onmouseover" not in out
    assert 'href="https://e.cn"' in out


def test_empty_text_renders_as_nothing():
    assert render_markdown("") == "" and render_markdown(None) == ""


def test_rendering_is_cached_by_text():
    from portal.markdown import _render

    _render.cache_clear()
    render_markdown("缓存测试")
    render_markdown("缓存测试")
    assert _render.cache_info().hits >= 1


def test_plain_text_drops_markup_and_decodes_entities():
    assert (
        markdown_plain("# 标题\n\n**粗** &amp; <script>x()</script> [链](https://e.cn)")
        == "标题 粗 & 链"
    )
