"""Outgoing federation requests: signed, with timeouts, a bounded response, no redirects.

Peers are configured by administrators, yet every fetch is treated as SSRF-prone (TRUST.md):
only http and https, the host is resolved once and the address checked before connecting (and
the connection made to that checked address), loopback/private/link-local/reserved and mapped
forms refused unless FEDERATION_ALLOW_PRIVATE_ADDRESSES is on, and a redirect is an error.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from registry.federation import keys
from registry.federation.conf import node


class PeerError(Exception):
    """The peer could not be reached or answered something unusable (retry later)."""


@dataclass
class PeerResponse:
    status: int
    data: dict


def _checked_address(host: str, port: int) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise PeerError(f"cannot resolve {host}: {exc}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if address.is_global or settings.FEDERATION_ALLOW_PRIVATE_ADDRESSES:
            return str(address)
    raise PeerError(f"{host} resolves only to non-public addresses (refused)")


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _connection(url: str):
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise PeerError(f"only http(s) URLs are allowed, got {url!r}")
    if parts.username or parts.password:
        raise PeerError("credentials in the URL are not allowed")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _checked_address(parts.hostname, port)
    cls = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return cls(parts.hostname, port, address, settings.FEDERATION_TIMEOUT_SECONDS), target


def signed_request(
    method: str, url: str, *, payload: dict | None = None, peer_key=None
) -> PeerResponse:
    """Send a signed request; verify the signed response with `peer_key` when given."""
    connection, target = _connection(url)
    body = json.dumps(payload, ensure_ascii=False).encode() if payload is not None else b""
    headers = keys.sign(
        key=keys.own_private_key(),
        method=method,
        target=target,
        node=node().node_code,
        body=body,
    )
    headers["Content-Type"] = "application/json"
    headers["Accept"] = "application/json"
    try:
        connection.request(method, target, body=body or None, headers=headers)
        response = connection.getresponse()
        raw = response.read(settings.FEDERATION_MAX_BODY_BYTES + 1)
        response_headers = {k.title(): v for k, v in response.getheaders()}
    except (OSError, http.client.HTTPException) as exc:
        raise PeerError(f"{method} {url}: {exc}") from None
    finally:
        connection.close()
    if 300 <= response.status < 400:
        raise PeerError(f"{method} {url}: redirect to {response_headers.get('Location')!r} refused")
    if len(raw) > settings.FEDERATION_MAX_BODY_BYTES:
        raise PeerError(f"{method} {url}: response too large")
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        raise PeerError(f"{method} {url}: answer is not JSON (HTTP {response.status})") from None
    if peer_key is not None and response.status < 300:
        try:
            keys.verify(
                key=peer_key,
                method=method,
                target="response:" + target,
                headers=response_headers,
                body=raw,
            )
        except keys.SignatureError as exc:
            raise PeerError(f"{method} {url}: response signature: {exc}") from None
    return PeerResponse(status=response.status, data=data if isinstance(data, dict) else {})
