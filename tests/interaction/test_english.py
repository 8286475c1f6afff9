"""The new pages read in English when English is chosen: no Chinese UI text is left."""

from __future__ import annotations

import pytest

from tests.test_i18n import CJK, english, visible_text


@pytest.mark.parametrize(
    "url",
    [
        "/access/outcomes/",
        "/interaction/requests/",
        "/interaction/feedback/error_report/",
        "/interaction/feedback/complaint/",
        "/interaction/showcases/",
    ],
)
def test_public_interaction_pages_have_no_chinese_left_in_english(client, db, url):
    body = english(client).get(url).content.decode()
    assert '<html lang="en">' in body
    assert not CJK.findall(visible_text(body)), CJK.findall(visible_text(body))[:20]


def test_my_applications_page_reads_in_english(client, world):
    client.force_login(world.citizen)
    body = english(client).get("/access/").content.decode()
    assert "My data applications" in body
    assert not CJK.findall(visible_text(body))
