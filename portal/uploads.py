"""Streamed uploads of data files: hashed and counted as chunks arrive, never held in memory,
and stopped at `settings.PORTAL_UPLOAD_MAX_BYTES`.

`HashingUploadHandler` replaces Django's handlers for the views that take data files. It
writes every file to a temporary file (whatever its size), computing SHA-256 and the byte count
on the way, and gives the finished file `sha256` and `size` attributes that the services trust
instead of reading the file again. Only the form field `file` is accepted; other file fields
are skipped without being stored.

Two limits, both 413:
- a request whose Content-Length is already over the limit is refused before its body is read
  (`upload_too_large(request)` in the views, and `handle_raw_input` here as a second line);
- a file that grows past the limit while streaming stops the upload (`StopUpload`), its
  temporary file is deleted and the view answers 413.

Handlers can only be swapped before anything reads the body, and the CSRF middleware reads it
for POSTs; `streamed_upload_view` therefore exempts the view from the middleware, installs the
handler, parses, and only then runs the CSRF check itself (`csrf_protect`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.files.uploadhandler import (
    SkipFile,
    StopUpload,
    TemporaryFileUploadHandler,
)
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect

FILE_FIELD = "file"


class HashingUploadHandler(TemporaryFileUploadHandler):
    chunk_size = 1024 * 1024  # fewer, larger chunks: the parser's per-chunk work is Python

    def __init__(self, request: HttpRequest | None = None, *, max_bytes: int | None = None):
        super().__init__(request)
        self.max_bytes = max_bytes if max_bytes is not None else settings.PORTAL_UPLOAD_MAX_BYTES
        self.too_large = False
        self._digest = hashlib.sha256()
        self._received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > self.max_bytes:
            self.too_large = True
            return QueryDict(encoding=encoding), MultiValueDict()  # parse nothing, read nothing
        return None

    def new_file(self, field_name, *args, **kwargs):
        if field_name != FILE_FIELD:
            raise SkipFile
        super().new_file(field_name, *args, **kwargs)
        self._digest = hashlib.sha256()
        self._received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int):
        self._received += len(raw_data)
        if self._received > self.max_bytes:
            self.too_large = True
            raise StopUpload(connection_reset=True)
        self._digest.update(raw_data)
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size: int):
        upload = super().file_complete(file_size)
        upload.sha256 = self._digest.hexdigest()
        upload.streamed_size = self._received
        return upload


def declared_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


def upload_too_large(request: HttpRequest) -> bool:
    """True when the declared body is over the limit: answer 413 without reading it."""
    length = declared_length(request)
    return length is not None and length > settings.PORTAL_UPLOAD_MAX_BYTES


def install_handler(request: HttpRequest) -> HashingUploadHandler:
    handler = HashingUploadHandler(request)
    request.upload_handlers = [handler]
    return handler


def too_large_page(request: HttpRequest) -> HttpResponse:
    limit = settings.PORTAL_UPLOAD_MAX_BYTES
    response = render(
        request,
        "portal/staff/upload_too_large.html",
        {"limit_mib": limit // (1024 * 1024), "limit_bytes": limit},
        status=413,
    )
    response["Connection"] = "close"  # the unread body must not be taken for the next request
    return response


def bad_upload_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/staff/upload_too_large.html",
        {"malformed": True, "message": gettext("上传的请求格式不正确，请重新选择文件上传。")},
        status=400,
    )


def streamed_upload_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For page views that accept a data file by POST. Apply *inside* the login/role decorator,
    so that nobody unauthenticated makes the server store anything."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST":
            if upload_too_large(request):
                return too_large_page(request)
            handler = install_handler(request)
            try:
                request.POST  # noqa: B018  (parse now, through the handler)
            except MultiPartParserError:
                return bad_upload_page(request)
            if handler.too_large:
                return too_large_page(request)
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapped)
