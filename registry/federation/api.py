"""Node-to-node endpoints. Every request is signed by the calling node's key and every answer
by ours (docs/federation.md); errors are problem+json like the rest of the API. These are not
part of the public API (they are not in the OpenAPI document): only registered nodes call them.

- POST events/  (national) a provincial node pushes a batch of outbox events;
- GET changes/  (provincial) the national node pulls events after a cursor;
- GET summary/  (provincial) reconciliation counts and digests;
- POST handover/ (provincial) the national node hands over records of this province.
"""

from __future__ import annotations

import json
import logging
import re

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from registry.api_common import PROBLEM_BASE, PROBLEM_CONTENT_TYPE
from registry.errors import ValidationFailed
from registry.federation import keys
from registry.federation.conf import node
from registry.federation.delivery import changes_since
from registry.federation.handover import records_receive
from registry.federation.inbound import receive_batch
from registry.federation.models import FederationNode
from registry.federation.reconcile import record_digests, summarise

logger = logging.getLogger(__name__)

_BUCKET_RE = re.compile(r"^[0-9a-f]{2}$")


def _problem(status: int, title: str, detail: str, **extra) -> JsonResponse:
    body = {"type": PROBLEM_BASE + "federation", "title": title, "status": status, "detail": detail}
    body.update(extra)
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def _signed(request: HttpRequest, data: dict) -> JsonResponse:
    body = json.dumps(data, ensure_ascii=False).encode()
    headers = keys.sign(
        key=keys.own_private_key(),
        method=request.method,
        target="response:" + request.get_full_path(),
        node=node().node_code,
        body=body,
    )
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response.content = body
    for name, value in headers.items():
        response[name] = value
    return response


def _body(request: HttpRequest) -> bytes | None:
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return None
    if length > settings.FEDERATION_MAX_BODY_BYTES:
        return None
    return request.read(settings.FEDERATION_MAX_BODY_BYTES + 1)


def _verify(request: HttpRequest, key, body: bytes) -> str | None:
    """None when the request is signed by `key`, else why not."""
    try:
        keys.verify(
            key=key,
            method=request.method,
            target=request.get_full_path(),
            headers=request.headers,
            body=body,
        )
    except keys.SignatureError as exc:
        return str(exc)
    return None


@csrf_exempt
@require_POST
def receive_events(request: HttpRequest) -> JsonResponse:
    if not node().is_national:
        return _problem(404, "Not found", "This node does not receive events.")
    body = _body(request)
    if body is None or len(body) > settings.FEDERATION_MAX_BODY_BYTES:
        return _problem(413, "Too large", "The batch is too large.")
    code = request.headers.get(keys.HEADER_NODE, "")
    fed_node = FederationNode.objects.filter(code=code, is_enabled=True).first()
    if fed_node is None:
        logger.warning("Federation: events from unknown or disabled node %r refused", code[:40])
        return _problem(401, "Unknown node", "The node is not registered or is disabled.")
    problem = _verify(request, keys.load_public(fed_node.public_key), body)
    if problem:
        logger.warning("Federation: bad signature from node %s: %s", fed_node.code, problem)
        FederationNode.objects.filter(pk=fed_node.pk).update(
            last_error=f"signature: {problem}", last_error_at=timezone.now()
        )
        return _problem(401, "Bad signature", problem)
    try:
        events = json.loads(body).get("events")
    except (ValueError, AttributeError):
        events = None
    if not isinstance(events, list):
        return _problem(400, "Invalid batch", 'The body must be {"events": [...]}.')
    results = receive_batch(node=fed_node, events=events, now=timezone.now())
    fed_node.refresh_from_db()
    return _signed(request, {"results": results, "last_sequence": fed_node.last_sequence})


def _from_national(request: HttpRequest, body: bytes = b"") -> JsonResponse | None:
    """A problem response unless this is a provincial node and the national node signed it."""
    if not node().is_provincial:
        return _problem(404, "Not found", "This node serves no federation reads.")
    if request.headers.get(keys.HEADER_NODE) != "national":
        return _problem(401, "Unknown node", "Only the national node may ask.")
    problem = _verify(request, keys.national_public_key(), body)
    if problem:
        logger.warning("Federation: bad signature on a national request: %s", problem)
        return _problem(401, "Bad signature", problem)
    return None


def _int_param(request: HttpRequest, name: str, default: int) -> int | None:
    raw = request.GET.get(name, str(default))
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


@require_GET
def changes(request: HttpRequest) -> JsonResponse:
    problem = _from_national(request)
    if problem:
        return problem
    after = _int_param(request, "after", 0)
    limit = _int_param(request, "limit", settings.FEDERATION_PULL_PAGE_SIZE)
    if after is None or limit is None or limit < 1:
        return _problem(400, "Invalid cursor", "after and limit must be non-negative integers.")
    return _signed(request, changes_since(after=after, limit=limit))


@require_GET
def summary(request: HttpRequest) -> JsonResponse:
    problem = _from_national(request)
    if problem:
        return problem
    bucket = request.GET.get("bucket")
    if bucket is not None and not _BUCKET_RE.match(bucket):
        return _problem(400, "Invalid bucket", "bucket must be two lowercase hex digits.")
    digests = record_digests(steward=node().node_code)
    return _signed(request, {"province": node().province, **summarise(digests, bucket=bucket)})


@csrf_exempt
@require_POST
def handover(request: HttpRequest) -> JsonResponse:
    body = _body(request)
    if body is None or len(body) > settings.FEDERATION_MAX_BODY_BYTES:
        return _problem(413, "Too large", "The batch is too large.")
    problem = _from_national(request, body)
    if problem:
        return problem
    try:
        records = json.loads(body).get("records")
        accepted = records_receive(records=records, now=timezone.now())
    except (ValidationFailed, ValueError, AttributeError, TypeError) as exc:
        detail = exc.detail if isinstance(exc, ValidationFailed) else "Malformed records."
        return _problem(400, "Invalid records", detail)
    return _signed(request, {"accepted": accepted})
