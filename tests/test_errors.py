"""The site's own error responses (registry/error_views.py): pages in the visitor's language
with the way back, problem+json on API paths, a NUL character that reached the database
answered 400, a refused CSRF check explained, and a 500 page that needs neither the database
nor base.html."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from portal.interaction.models import Feedback
from registry.error_views import server_error
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
FORM = "application/x-www-form-urlencoded"


def test_a_missing_page_is_a_page_of_the_site_in_chinese_then_english(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body and 'href="/"' in body and 'action="/datasets/"' in body
    assert "公共数据资源登记与开放平台" in body  # the site's own frame (base.html)
    client.cookies["django_language"] = "en"
    english = client.get("/no-such-page/").content.decode()
    assert "Page not found" in english and "页面不存在" not in english


def test_a_view_raising_404_gets_the_same_page(client):
    response = client.get("/registry/records/NO-SUCH-CODE/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing/", "/api/3/action/no_such_action/x"])
def test_a_missing_api_address_is_problem_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 404 and body["type"].endswith("/not-found")


def test_a_nul_in_an_api_parameter_is_left_to_the_serializer_which_names_the_field(client):
    response = client.get("/api/v1/registry/records/", {"q": "a\x00"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert list(response.json()["errors"]) == ["q"]
    ckan = client.get("/api/3/action/package_search", {"q": "a\x00"})
    assert ckan.status_code < 500 and ckan.json()["success"] is False  # CKAN's own envelope


def test_pages_that_used_the_value_unchecked_answer_400_instead_of_500(world):
    client = Client()
    client.force_login(make_user())
    for path in ("/interaction/showcases/new/", "/interaction/feedback/error_report/new/"):
        response = client.get(path, {"dataset": "\x00"})
        assert response.status_code == 400
        assert "U+0000" in response.content.decode()
        assert client.get(path, {"dataset": "no-such-dataset"}).status_code == 200


def test_a_page_that_checks_its_parameters_keeps_its_own_message(client):
    response = client.get("/datasets/", {"q": "a\x00"})
    assert response.status_code == 400
    assert "检索词含有不可见的控制字符" in response.content.decode()


def test_a_nul_in_a_posted_form_is_a_field_error_and_nothing_is_written(world):
    client = Client()
    client.force_login(make_user())
    path = "/interaction/feedback/suggestion/new/"
    data = {"title": "建议\x00增加", "body": "内容"}
    for response in (
        client.post(path, urlencode(data), content_type=FORM),  # as a browser sends it
        client.post(path, data),  # multipart
    ):
        assert response.status_code == 200
        assert response.context["form"].errors.keys() == {"title"}
        assert "建议" in response.content.decode()  # what was typed is kept
    assert not Feedback.objects.exists()
    client.post(path, {"title": "建议增加", "body": "内容"})
    assert Feedback.objects.count() == 1


def test_a_refused_csrf_check_says_what_to_do_and_writes_nothing(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())
    response = client.post(
        "/interaction/feedback/suggestion/new/", {"title": "建议增加", "body": "内容"}
    )
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
    assert not Feedback.objects.exists()


def test_the_500_page_needs_no_database_and_api_paths_get_problem_json():
    factory = RequestFactory()
    with CaptureQueriesContext(connection) as queries:
        page = server_error(factory.get("/datasets/"))
    assert page.status_code == 500 and len(queries) == 0
    assert "服务暂时不可用" in page.content.decode()
    api = server_error(factory.get("/api/v1/portal/datasets/"))
    assert api.status_code == 500 and api["Content-Type"].startswith("application/problem+json")
