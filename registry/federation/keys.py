"""Ed25519 keys and request signatures.

A signed message is the canonical string

    FED1\n<METHOD>\n<path?query>\n<node code>\n<unix timestamp>\n<sha-256 digest of body, b64>

signed with the sender's private key. Requests carry it in headers (`X-Federation-Node`,
`-Timestamp`, `-Digest`, `-Signature`); responses are signed the same way with the path
prefixed by `response:` so a response can never be replayed as a request. Keys travel as
base64 of the raw 32 bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import time

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from registry.federation.conf import secret_from

HEADER_NODE = "X-Federation-Node"
HEADER_TIMESTAMP = "X-Federation-Timestamp"
HEADER_DIGEST = "X-Federation-Digest"
HEADER_SIGNATURE = "X-Federation-Signature"


class SignatureError(Exception):
    """A message whose signature, digest or timestamp does not check out."""


def generate_keypair() -> tuple[str, str]:
    """(private, public), both base64 of the raw 32 bytes."""
    private = Ed25519PrivateKey.generate()
    raw_private = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    raw_public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return base64.b64encode(raw_private).decode(), base64.b64encode(raw_public).decode()


def _raw(value: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{what} is not valid base64") from None
    if len(raw) != 32:
        raise ValueError(f"{what} must be 32 bytes (base64 of a raw Ed25519 key)")
    return raw


def load_private(value: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_raw(value, "signing key"))


def load_public(value: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(_raw(value, "public key"))


def public_of(private_value: str) -> str:
    raw = (
        load_private(private_value)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return base64.b64encode(raw).decode()


def own_private_key() -> Ed25519PrivateKey:
    value = secret_from(settings.FEDERATION_SIGNING_KEY, settings.FEDERATION_SIGNING_KEY_FILE)
    if not value:
        raise ImproperlyConfigured(
            "FEDERATION_SIGNING_KEY or FEDERATION_SIGNING_KEY_FILE must be set on a federated node"
        )
    try:
        return load_private(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"FEDERATION_SIGNING_KEY: {exc}") from None


def national_public_key() -> Ed25519PublicKey:
    value = secret_from(
        settings.FEDERATION_NATIONAL_PUBLIC_KEY, settings.FEDERATION_NATIONAL_PUBLIC_KEY_FILE
    )
    if not value:
        raise ImproperlyConfigured(
            "FEDERATION_NATIONAL_PUBLIC_KEY must be set on a provincial node"
        )
    try:
        return load_public(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"FEDERATION_NATIONAL_PUBLIC_KEY: {exc}") from None


def body_digest(body: bytes) -> str:
    return "sha-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def _canonical(method: str, target: str, node: str, timestamp: str, digest: str) -> bytes:
    return "\n".join(["FED1", method.upper(), target, node, timestamp, digest]).encode()


def sign(
    *,
    key: Ed25519PrivateKey,
    method: str,
    target: str,
    node: str,
    body: bytes,
    now: float | None = None,
) -> dict[str, str]:
    """The headers that sign `body` sent to `target` (path and query) by `node`."""
    timestamp = str(int(now if now is not None else time.time()))
    digest = body_digest(body)
    signature = key.sign(_canonical(method, target, node, timestamp, digest))
    return {
        HEADER_NODE: node,
        HEADER_TIMESTAMP: timestamp,
        HEADER_DIGEST: digest,
        HEADER_SIGNATURE: base64.b64encode(signature).decode(),
    }


def verify(
    *,
    key: Ed25519PublicKey,
    method: str,
    target: str,
    headers: dict[str, str],
    body: bytes,
    now: float | None = None,
) -> None:
    """Raise SignatureError unless the headers sign exactly this body, recently."""
    node = headers.get(HEADER_NODE, "")
    timestamp = headers.get(HEADER_TIMESTAMP, "")
    digest = headers.get(HEADER_DIGEST, "")
    signature = headers.get(HEADER_SIGNATURE, "")
    if not (node and timestamp and digest and signature):
        raise SignatureError("missing signature headers")
    if digest != body_digest(body):
        raise SignatureError("body digest does not match")
    try:
        moment = int(timestamp)
    except ValueError:
        raise SignatureError("timestamp is not an integer") from None
    window = settings.FEDERATION_REPLAY_WINDOW_SECONDS
    if abs((now if now is not None else time.time()) - moment) > window:
        raise SignatureError("timestamp outside the replay window")
    try:
        raw = base64.b64decode(signature, validate=True)
        key.verify(raw, _canonical(method, target, node, timestamp, digest))
    except (binascii.Error, ValueError, InvalidSignature):
        raise SignatureError("signature does not verify") from None
