"""The site's error responses outside a view's own handling: a URL that matches nothing, a
refused CSRF check, a NUL character that reached the database (`NulCharacterMiddleware`), an
unhandled exception.

API paths answer RFC 9457 problem+json, as every API view does; pages answer a page of the
site in the visitor's language, with the way back (home, the catalogue's search), instead of
Django's bare English text. The 500 page is rendered without the context processors and
without `base.html`: whatever failed (the database, say) must not fail the error page too.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DataError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from registry.api_common import plain_problem

logger = logging.getLogger(__name__)

# Machine clients: the versioned API, the CKAN-compatible actions, the node-to-node protocol.
API_PREFIXES = ("/api/", "/registry/federation/api/")


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIXES)


def _page(request: HttpRequest, status: int, heading: str, detail: str) -> HttpResponse:
    return render(
        request,
        "errors/page.html",
        {"status": status, "heading": heading, "detail": detail},
        status=status,
    )


def bad_request(request: HttpRequest, exception=None, reason: str = "") -> HttpResponse:
    if is_api(request):
        return plain_problem(
            400,
            "Bad request",
            reason or "The request could not be understood.",
            type_slug="bad-request",
        )
    return _page(request, 400, _("请求有误"), reason or _("请求的内容无法识别，请检查后重试。"))


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api(request):
        return plain_problem(403, "Forbidden", "You may not do this.", type_slug="forbidden")
    return _page(
        request, 403, _("无权访问"), _("您没有访问此页面的权限。如需访问，请联系本单位管理员。")
    )


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api(request):
        return plain_problem(
            404, "Not found", "No resource at this address.", type_slug="not-found"
        )
    return _page(request, 404, _("页面不存在"), _("您访问的页面不存在，或已被移除。"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token: most often a page left open past the session,
    or cookies turned off. The visitor is told what to do; nothing was changed."""
    logger.warning("CSRF check failed on %s: %s", request.path, reason)
    if is_api(request):
        return plain_problem(
            403,
            "CSRF check failed",
            "A session-authenticated write needs the CSRF token; API clients use a key.",
            type_slug="csrf-failed",
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
        return plain_problem(
            500,
            "Server error",
            "The server failed; the request was not completed.",
            type_slug="server-error",
        )
    html = loader.get_template("errors/500.html").render(
        {"PLATFORM_NAME": _(settings.PLATFORM_NAME) if settings.PLATFORM_NAME else ""}
    )
    return HttpResponse(html, status=500)


class NulCharacterMiddleware:
    """A NUL character (U+0000) that reached the database unchecked is the client's bad
    input, not a server failure: PostgreSQL refuses it in any text, and psycopg raises before
    sending the statement. Such an error is answered 400 (a page, or problem+json on the API)
    instead of 500. Views and serializers that check their input first keep their own,
    more precise answer (a field error, with what was typed kept); this only catches what
    got past them. An error inside a transaction has rolled it back by the time it gets
    here."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not _is_nul_error(exception):
            return None
        logger.info("NUL character refused on %s", request.path)
        if is_api(request):
            return plain_problem(
                400,
                "Bad request",
                "A value holds a NUL character (U+0000), which no text may contain.",
                type_slug="bad-request",
            )
        return bad_request(
            request, reason=_("提交的内容含有空字符（U+0000），无法处理。请删除后重试。")
        )


def _is_nul_error(exception: Exception) -> bool:
    """psycopg's refusal to send a NUL in text, or the server's (SQLSTATE 22P05, e.g. a
    `\\u0000` in JSON)."""
    if not isinstance(exception, DataError):
        return False
    cause = exception.__cause__
    return "NUL (0x00)" in str(exception) or getattr(cause, "sqlstate", None) == "22P05"
