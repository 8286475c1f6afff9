"""Signatures and the outgoing client's SSRF care (scheme, addresses, redirects)."""

from __future__ import annotations

import http.server
import threading
import time

import pytest

from registry.federation import keys
from registry.federation.client import PeerError, signed_request


def _signed(private: str, body: bytes = b'{"a":1}', **kw):
    key = keys.load_private(private)
    return keys.sign(key=key, method="POST", target="/x/", node="44", body=body, **kw)


def test_a_signature_verifies_only_for_the_same_body_target_key_and_time(settings):
    private, public = keys.generate_keypair()
    key = keys.load_public(public)
    headers = _signed(private)
    keys.verify(key=key, method="POST", target="/x/", headers=headers, body=b'{"a":1}')
    bad = [
        {"body": b'{"a":2}'},
        {"target": "/y/"},
        {"target": "response:/x/"},
        {"method": "GET"},
        {"key": keys.load_public(keys.generate_keypair()[1])},
        {"headers": {**headers, keys.HEADER_SIGNATURE: "AAAA"}},
        {"headers": {k: v for k, v in headers.items() if k != keys.HEADER_DIGEST}},
        {"now": time.time() + settings.FEDERATION_REPLAY_WINDOW_SECONDS + 5},
    ]
    for change in bad:
        args = {"key": key, "method": "POST", "target": "/x/", "headers": headers}
        args |= {"body": b'{"a":1}'} | change
        with pytest.raises(keys.SignatureError):
            keys.verify(**args)


def test_keys_must_be_32_byte_base64():
    for value in ["", "not base64!", "AAAA"]:
        with pytest.raises(ValueError):
            keys.load_public(value)
    private, public = keys.generate_keypair()
    assert keys.public_of(private) == public


@pytest.fixture
def signing(settings):
    settings.FEDERATION_ROLE = "provincial"
    settings.FEDERATION_PROVINCE = "440000"
    settings.FEDERATION_SIGNING_KEY = keys.generate_keypair()[0]
    settings.FEDERATION_TIMEOUT_SECONDS = 3


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "gopher://x/", "ftp://example.com/", "http://user:pw@example.com/"],
)
def test_only_plain_http_urls_are_fetched(signing, url):
    with pytest.raises(PeerError):
        signed_request("GET", url)


def test_loopback_and_private_addresses_are_refused_unless_allowed(signing, settings):
    settings.FEDERATION_ALLOW_PRIVATE_ADDRESSES = False
    for url in [
        "http://127.0.0.1:9/",
        "http://10.0.0.1/",
        "http://169.254.169.254/",
        "http://[::ffff:127.0.0.1]/",
    ]:
        with pytest.raises(PeerError, match="non-public"):
            signed_request("GET", url)


class _Redirect(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(302)
        self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_redirect_is_refused_not_followed(signing, settings):
    settings.FEDERATION_ALLOW_PRIVATE_ADDRESSES = True
    server = http.server.HTTPServer(("127.0.0.1", 0), _Redirect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(PeerError, match="redirect"):
            signed_request("GET", f"http://127.0.0.1:{server.server_port}/")
    finally:
        server.shutdown()
        server.server_close()
