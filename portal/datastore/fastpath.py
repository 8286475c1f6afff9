"""The records endpoint's GET without Django's middleware stack, URL resolver and DRF dispatch.

`GET /api/v1/datastore/{resource}/records` is the platform's hottest path. Django's request
cycle (ten middleware, the resolver, DRF's dispatch) cost about as much CPU per call as the
query itself (docs/performance.md). `RecordsFastPath` wraps the WSGI application: for that
one path it builds the `WSGIRequest`, runs the view's own code (`DatastoreRecordsApi._query`,
unchanged: keys, access, parsing, metering, the page) and gives the response the headers the
middleware would have added, by calling the same middleware's response methods.

Anything it does not answer exactly as Django would goes to Django instead, before any side
effect: another path or method, a session cookie (the session's user may see conditional
data), a host not allowed, an HTTP request where HTTPS is required, and every refusal raised
before metering starts (a bad key, an unknown resource, a bad parameter: Django answers those
itself, the view having written nothing). Errors after metering started (rate limit, quota,
replayed request id, query timeout) are answered here as problem+json by the same handler.
`tests/portal/datastore/test_fastpath.py` compares the two paths' status, headers and body.
Switched off with DATASTORE_FAST_PATH=false.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core import signals
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest, get_script_name
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.locale import LocaleMiddleware
from django.middleware.security import SecurityMiddleware
from django.urls import set_script_prefix
from django.utils import translation
from django.utils.log import log_response
from rest_framework.renderers import JSONRenderer

from portal.datastore.query import QueryTimeout
from portal.developer.access import QuotaExceeded, RateLimited, RequestReplayed, problem_for
from registry.errors import DomainError
from registry.middleware import security_headers

logger = logging.getLogger(__name__)

_PATH = re.compile(r"/api/v1/datastore/([0-9]{1,18})/records")
# Raised once metering has started (a unit taken, a failed call recorded): answered here.
_AFTER_METERING = (RateLimited, QuotaExceeded, RequestReplayed, QueryTimeout)


def _no_response(request):  # the middleware below are only asked for their response half
    raise AssertionError("not called")


class RecordsFastPath:
    """WSGI middleware: the records GET served directly, everything else by `app`."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        from portal.datastore.apis import DatastoreRecordsApi

        self.app = app
        self.view = DatastoreRecordsApi()
        self.view.head = self.view.get  # as View.setup() does: HEAD is in Allow
        self.allow = ", ".join(self.view.allowed_methods)
        self.locale = LocaleMiddleware(_no_response)
        # In the order Django runs their response halves (the reverse of MIDDLEWARE).
        self.finishers = [
            XFrameOptionsMiddleware(_no_response).process_response,
            CommonMiddleware(_no_response).process_response,
            self.locale.process_response,
            SecurityMiddleware(_no_response).process_response,
        ]

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        match = _PATH.fullmatch(environ.get("PATH_INFO", ""))
        if match is None or environ.get("REQUEST_METHOD") != "GET" or not _eligible(environ):
            return self.app(environ, start_response)
        response = self._serve(environ, int(match[1]))
        if response is None:
            return self.app(environ, start_response)
        response._handler_class = type(self)  # close() sends request_finished, as Django's
        start_response(
            f"{response.status_code} {response.reason_phrase}",
            [
                *response.items(),
                *(("Set-Cookie", c.output(header="")) for c in response.cookies.values()),
            ],
        )
        return response

    def _serve(self, environ: dict[str, Any], resource: int) -> HttpResponse | None:
        """The response, or None: Django answers instead (nothing was written)."""
        set_script_prefix(get_script_name(environ))
        request = WSGIRequest(environ)
        try:
            request.get_host()
        except DisallowedHost:
            return None
        if settings.SECURE_SSL_REDIRECT and not request.is_secure():
            return None
        if any(len(values) > 1 for _, values in request.GET.lists()):
            return None  # duplicate_parameter: the view's GET refuses it
        signals.request_started.send(sender=type(self), environ=environ)
        self.locale.process_request(request)
        try:
            try:
                response = self.view._query(
                    request, resource, dict(request.GET.items()), session=False
                )
            except _AFTER_METERING as exc:
                response = _problem(exc)
            except DomainError as exc:
                logger.debug("records fast path declines: %r", exc)
                return None
            except Exception:
                # Unexpected (a database error…): Django runs the request again and answers
                # it as it answers any failure.
                logger.exception("records fast path failed; handing the request to Django")
                return None
            response["Allow"] = self.allow
            for finish in self.finishers:
                response = finish(request, response)
            response = security_headers(request, response)
            if response.status_code >= 400:
                log_response(
                    "%s: %s",
                    response.reason_phrase,
                    request.path,
                    response=response,
                    request=request,
                )
            return response
        finally:
            translation.deactivate()


def _eligible(environ: dict[str, Any]) -> bool:
    if not settings.DATASTORE_FAST_PATH:
        return False
    cookies = environ.get("HTTP_COOKIE", "")
    return not (cookies and settings.SESSION_COOKIE_NAME in cookies)


def _problem(exc: DomainError) -> HttpResponse:
    """The problem+json response DRF's dispatch makes of `exc` (the shared handler, rendered
    by the endpoint's JSON renderer)."""
    response = problem_for(exc)
    response.accepted_renderer = JSONRenderer()
    response.accepted_media_type = "application/json"
    response.renderer_context = {}
    response.render()
    return response
