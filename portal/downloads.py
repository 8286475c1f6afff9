"""HTTP responses for file downloads: validators, conditional requests, byte ranges, a safe
Content-Disposition, and the three ways the bytes can travel.

Headers on every file response: `Content-Length`, a strong `ETag` (the SHA-256 of the content,
which never changes for a version), `Last-Modified` (the upload time), `Accept-Ranges: bytes`,
`Content-Disposition: attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / 8187),
`X-Content-Type-Options: nosniff`, and `Cache-Control` given by the caller (public for
unconditional data, private for conditional data). The media type is never text/html.

Request handling, in RFC 9110 order: `If-None-Match` (weak comparison, `*`) → 304, else
`If-Modified-Since` → 304; then, for GET only, a single `Range` → 206 with `Content-Range`
unless `If-Range` (a strong ETag or the exact Last-Modified date) does not match. Several ranges
get the whole file (200); a malformed or unsatisfiable range gets 416 with
`Content-Range: bytes */<size>`. HEAD gets the headers of the GET without a body.

Transport:
- default: Django streams the stored file in blocks (never read whole);
- `PORTAL_DOWNLOAD_ACCEL_REDIRECT` set: an empty response with `X-Accel-Redirect` to the
  internal nginx location plus the headers above; nginx sends the bytes (and handles ranges);
- `PORTAL_DOWNLOAD_SIGNED_URLS` (object storage): 302 to a short-lived signed URL whose
  response carries the same Content-Disposition and type.

Metering (`on_complete(status, bytes_sent)`) is called for counted downloads only: a full 200
GET, or a 206 whose range starts at byte 0; never HEAD, 304, 416 or later ranges. A streamed
body calls it after its last byte was handed to the server (an aborted transfer is not a
download); X-Accel-Redirect and signed-URL answers call it when Django hands the transfer over.
"""

from __future__ import annotations

import inspect
import ipaddress
import logging
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from portal.models import DistributionVersion
from portal.services.files import sanitise_name

log = logging.getLogger(__name__)

BLOCK_BYTES = 256 * 1024
FALLBACK_MAX = 100
# RFC 8187 attr-char, besides letters and digits.
_ATTR_SAFE = "!#$&+-.^_`|~"
_RANGE = re.compile(r"^\s*([A-Za-z]+)\s*=\s*(.*)$", re.DOTALL)
_SPEC = re.compile(r"^\s*(\d*)\s*-\s*(\d*)\s*$")

OnComplete = Callable[[int, int], None]


class Unsatisfiable(Exception):
    """A Range header that is malformed or selects no byte of the file (416)."""


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1


# --------------------------------------------------------------------------- header values


def etag_of(version: DistributionVersion) -> str:
    return f'"{version.sha256}"'


def last_modified_of(version: DistributionVersion) -> int:
    return int(version.uploaded_at.timestamp())


def media_type_of(version: DistributionVersion) -> str:
    media = version.media_type or "application/octet-stream"
    if "html" in media.lower() or "javascript" in media.lower():
        return "application/octet-stream"  # never something a browser would run
    if version.encoding and (media.startswith("text/") or media.endswith(("json", "xml"))):
        charset = "utf-8" if version.encoding.startswith("utf-8") else version.encoding
        return f"{media}; charset={charset}"
    return media


def download_name(version: DistributionVersion) -> str:
    """The original name made safe again (it is re-sanitised here, whatever was stored), with
    the stored file's extension when the name lost its own."""
    name = sanitise_name(version.original_name)
    ext = version.file.name.rsplit(".", 1)[-1].lower() if "." in version.file.name else ""
    if ext and not name.lower().endswith("." + ext):
        name = f"{name or 'download'}.{ext}"
    return name or "download"


def ascii_fallback(name: str) -> str:
    """A plain-ASCII name for old clients: accents dropped, anything outside a conservative set
    (quotes, backslashes, semicolons, non-ASCII) replaced, at most FALLBACK_MAX characters."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    ascii_stem = re.sub(r"[^A-Za-z0-9._()\- ]+", "_", ascii_stem).strip(" ._")
    if not ascii_stem.strip("_"):
        ascii_stem = "download"
    ext = re.sub(r"[^A-Za-z0-9]", "", ext)[:10]
    suffix = f".{ext}" if ext else ""
    return ascii_stem[: FALLBACK_MAX - len(suffix)] + suffix


def content_disposition(name: str) -> str:
    safe = sanitise_name(name) or "download"
    return f"attachment; filename=\"{ascii_fallback(safe)}\"; filename*=UTF-8''{quote(safe, safe=_ATTR_SAFE)}"


# --------------------------------------------------------------------------- ranges


def parse_range(header: str, size: int) -> ByteRange | None:
    """The single range a `Range` header selects (clamped to the file), None when the header
    is to be ignored (another unit, or several ranges: the whole file is sent). Raises
    Unsatisfiable for a malformed header or a range outside the file."""
    match = _RANGE.match(header)
    if not match:
        raise Unsatisfiable(header)
    unit, specs = match[1].lower(), match[2]
    if unit != "bytes":
        return None
    parts = specs.split(",")
    if len(parts) > 1:
        if any(not _SPEC.match(p) or p.strip() == "-" for p in parts):
            raise Unsatisfiable(header)
        return None
    spec = _SPEC.match(parts[0])
    if not spec or (not spec[1] and not spec[2]):
        raise Unsatisfiable(header)
    first, last = spec[1], spec[2]
    if not first:  # a suffix: the last N bytes
        count = int(last)
        if count == 0 or size == 0:
            raise Unsatisfiable(header)
        return ByteRange(max(size - count, 0), size - 1)
    start = int(first)
    end = int(last) if last else size - 1
    if start >= size or end < start:
        raise Unsatisfiable(header)
    return ByteRange(start, min(end, size - 1))


def _if_range_matches(request: HttpRequest, version: DistributionVersion) -> bool:
    value = request.headers.get("If-Range")
    if value is None:
        return True
    value = value.strip()
    if value.startswith(("W/", '"')):
        return value == etag_of(version)  # strong comparison: a weak tag never matches
    date = parse_http_date_safe(value)
    return date is not None and date == last_modified_of(version)


def _not_modified(request: HttpRequest, version: DistributionVersion) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = parse_etags(if_none_match)
        ours = version.sha256
        return "*" in tags or any(t.removeprefix("W/").strip('"') == ours for t in tags)
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and last_modified_of(version) <= since


# --------------------------------------------------------------------------- responses


def _common_headers(response: HttpResponse, version: DistributionVersion, cache_control: str):
    response["ETag"] = etag_of(version)
    response["Last-Modified"] = http_date(last_modified_of(version))
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _file_headers(response: HttpResponse, version: DistributionVersion, cache_control: str):
    _common_headers(response, version, cache_control)
    response["Accept-Ranges"] = "bytes"
    response["Content-Type"] = media_type_of(version)
    response["Content-Disposition"] = content_disposition(download_name(version))
    return response


def serve_version(
    request: HttpRequest,
    version: DistributionVersion,
    *,
    cache_control: str,
    on_complete: OnComplete | None = None,
    extra_headers: dict[str, str] | None = None,
) -> HttpResponse:
    """The response to a GET or HEAD of `version` (access already checked by the caller)."""
    size = version.size
    if _not_modified(request, version):
        response = _common_headers(HttpResponseNotModified(), version, cache_control)
        return _with(response, extra_headers)
    byte_range: ByteRange | None = None
    header = request.headers.get("Range")
    if header is not None and request.method == "GET" and _if_range_matches(request, version):
        try:
            byte_range = parse_range(header, size)
        except Unsatisfiable:
            response = _common_headers(HttpResponse(status=416), version, cache_control)
            response["Content-Range"] = f"bytes */{size}"
            response["Content-Type"] = "text/plain; charset=utf-8"
            return _with(response, extra_headers)
    counts = request.method == "GET" and (byte_range is None or byte_range.start == 0)
    status = 206 if byte_range else 200
    meter = on_complete if counts else None
    if request.method == "HEAD":
        response = _file_headers(HttpResponse(status=200), version, cache_control)
        response["Content-Length"] = str(size)
        return _with(response, extra_headers)
    if settings.PORTAL_DOWNLOAD_ACCEL_REDIRECT:
        response = _accel_response(version, cache_control)
    elif settings.PORTAL_DOWNLOAD_SIGNED_URLS and _supports_signed_urls():
        response = _signed_redirect(version)
    else:
        return _with(_streamed(version, byte_range, cache_control, status, meter), extra_headers)
    if meter is not None:
        meter(status, byte_range.length if byte_range else size)
    return _with(response, extra_headers)


def _with(response: HttpResponse, extra: dict[str, str] | None) -> HttpResponse:
    for key, value in (extra or {}).items():
        response[key] = value
    return response


def _streamed(
    version: DistributionVersion,
    byte_range: ByteRange | None,
    cache_control: str,
    status: int,
    meter: OnComplete | None,
) -> HttpResponse:
    handle = default_storage.open(version.file.name, "rb")  # FileNotFoundError: the caller's
    start, length = (byte_range.start, byte_range.length) if byte_range else (0, version.size)
    body = _blocks(handle, start=start, length=length, status=status, meter=meter)
    response = _file_headers(StreamingHttpResponse(body, status=status), version, cache_control)
    response["Content-Length"] = str(length)
    if byte_range:
        response["Content-Range"] = f"bytes {byte_range.start}-{byte_range.end}/{version.size}"
    return response


def _blocks(
    handle: IO[bytes], *, start: int, length: int, status: int, meter: OnComplete | None
) -> Iterator[bytes]:
    sent = 0
    try:
        if start:
            handle.seek(start)
        while sent < length:
            block = handle.read(min(BLOCK_BYTES, length - sent))
            if not block:
                break
            sent += len(block)
            yield block
    finally:
        handle.close()
    if sent < length:
        log.error("Stored file shorter than recorded: %s of %s bytes", sent, length)
        return
    if meter is not None:
        try:
            meter(status, sent)
        except Exception:  # the bytes are out; a failed meter write must not break the stream
            log.exception("Could not record a download")


def _accel_response(version: DistributionVersion, cache_control: str) -> HttpResponse:
    response = _file_headers(HttpResponse(b"", status=200), version, cache_control)
    location = settings.PORTAL_DOWNLOAD_ACCEL_REDIRECT + quote(version.file.name, safe="/")
    response["X-Accel-Redirect"] = location
    # nginx computes Content-Length (and answers the Range itself) from the internal location.
    response["Content-Length"] = "0"
    return response


def _supports_signed_urls() -> bool:
    try:
        return "parameters" in inspect.signature(default_storage.url).parameters
    except (TypeError, ValueError):
        return False


def _signed_redirect(version: DistributionVersion) -> HttpResponse:
    url = default_storage.url(
        version.file.name,
        parameters={
            "ResponseContentDisposition": content_disposition(download_name(version)),
            "ResponseContentType": media_type_of(version),
        },
        expire=settings.PORTAL_DOWNLOAD_URL_EXPIRE_SECONDS,
    )
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "private, no-store"  # the signed URL expires: never cache it
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --------------------------------------------------------------------------- request facts


def request_id_of(request: HttpRequest) -> uuid.UUID:
    """The client's (or proxy's) X-Request-ID when it is a UUID (32 hex digits, as nginx's
    $request_id, or the dashed form), else a fresh one."""
    raw = request.headers.get("X-Request-ID", "").strip()
    if raw and len(raw) <= 64:
        try:
            return uuid.UUID(raw)
        except ValueError:
            pass
    return uuid.uuid4()


def client_ip_of(request: HttpRequest) -> str | None:
    key = settings.PORTAL_CLIENT_IP_HEADER or "REMOTE_ADDR"
    raw = (request.META.get(key) or "").split(",")[0].strip()
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None
