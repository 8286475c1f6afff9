from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# No inline script anywhere: all JavaScript is served from /static/.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
    "form-action 'self'"
)
# Swagger UI and Redoc (served locally by the sidecar) need inline styles/workers.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; object-src 'none'; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return security_headers(request, self.get_response(request))


def security_headers(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The Content-Security-Policy and nosniff of every response (also used by the records
    endpoint's thin path, `portal.datastore.fastpath`)."""
    if "Content-Security-Policy" not in response:
        docs = request.path.startswith(("/api/docs", "/api/redoc", "/admin/"))
        response["Content-Security-Policy"] = DOCS_CSP if docs else CSP
    response.setdefault("X-Content-Type-Options", "nosniff")
    return response
