"""The site's error responses outside a view's own handling: a URL that matches nothing, a
refused CSRF check, a page request refused before any view (`RejectNulMiddleware`), an
unhandled exception.

API paths answer RFC 9457 problem+json, as every API view does; pages answer a page of the
site in the visitor's language, with the way back (home, the catalogue's search), instead of
Django's bare English text. The 500 page is rendered without the context processors and
without `base.html`: whatever failed (the database, say) must not fail the error page too.
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from registry.api_common import PROBLEM_BASE, PROBLEM_CONTENT_TYPE

logger = logging.getLogger(__name__)

# Machine clients: the versioned API, the CKAN-compatible actions, the node-to-node protocol.
API_PREFIXES = ("/api/", "/registry/federation/api/")


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIXES)


def problem(status: int, type_slug: str, title: str, detail: str) -> HttpResponse:
    body = {"type": PROBLEM_BASE + type_slug, "title": title, "status": status, "detail": detail}
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_CONTENT_TYPE
    )


def _page(request: HttpRequest, status: int, heading: str, detail: str) -> HttpResponse:
    return render(
        request,
        "errors/page.html",
        {"status": status, "heading": heading, "detail": detail},
        status=status,
    )


def bad_request(request: HttpRequest, exception=None, reason: str = "") -> HttpResponse:
    if is_api(request):
        return problem(
            400, "bad-request", "Bad request", reason or "The request could not be understood."
        )
    return _page(request, 400, _("请求有误"), reason or _("请求的内容无法识别，请检查后重试。"))


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api(request):
        return problem(403, "forbidden", "Forbidden", "You may not do this.")
    return _page(
        request, 403, _("无权访问"), _("您没有访问此页面的权限。如需访问，请联系本单位管理员。")
    )


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api(request):
        return problem(404, "not-found", "Not found", "No resource at this address.")
    return _page(request, 404, _("页面不存在"), _("您访问的页面不存在，或已被移除。"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token: most often a page left open past the session,
    or cookies turned off. The visitor is told what to do; nothing was changed."""
    logger.warning("CSRF check failed on %s: %s", request.path, reason)
    if is_api(request):
        return problem(
            403,
            "csrf-failed",
            "CSRF check failed",
            "A session-authenticated write needs the CSRF token; API clients use a key.",
        )
    return _page(
        request,
        403,
        _("页面已过期"),
        _(
            "表单的安全校验未通过，内容未提交。请刷新页面后重新填写提交；如仍失败，请确认浏览器允许本站的 Cookie。"
        ),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return problem(
            500, "server-error", "Server error", "The server failed; the request was not completed."
        )
    html = loader.get_template("errors/500.html").render(
        {"PLATFORM_NAME": _(settings.PLATFORM_NAME) if settings.PLATFORM_NAME else ""}
    )
    return HttpResponse(html, status=500)


class RejectNulMiddleware:
    """On pages, a NUL character in a query parameter or a form field (URL-encoded) is refused
    with 400 before any view: no text a person types holds one, and PostgreSQL refuses it in
    any string, so a view that used the value unchecked would fail with a 500. Multipart
    bodies are left to the forms (whose fields refuse NUL), since reading them here would
    bypass the upload handlers that views install. API paths are left to their serializers,
    which name the field (problem+json `errors`), and the CKAN-compatible actions keep their
    own error envelope."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api(request):
            return self.get_response(request)
        if _has_nul(request.META.get("QUERY_STRING", ""), lambda: request.GET):
            return bad_request(request, reason=_nul_reason(request))
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            body = request.body.decode("latin-1")
            if _has_nul(body, lambda: request.POST):
                return bad_request(request, reason=_nul_reason(request))
        return self.get_response(request)


def _has_nul(raw: str, parsed) -> bool:
    """Whether a decoded key or value holds a NUL. The cheap look at the raw text first: a
    NUL arrives as `%00` or as itself."""
    if "%00" not in raw and "\x00" not in raw:
        return False
    return any(
        "\x00" in key or any("\x00" in v for v in values) for key, values in parsed().lists()
    )


def _nul_reason(request: HttpRequest) -> str:
    return _("提交的内容含有空字符（U+0000），无法处理。请删除后重试。")
