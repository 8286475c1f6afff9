"""The key format and its hashing.

A key is `odk_<prefix>_<secret>`: 12 lowercase characters of public prefix (the lookup, shown
in the console and to holders) and 40 alphanumeric characters of secret (about 238 bits). Only
HMAC-SHA256(pepper, secret) is stored; the pepper is derived from SECRET_KEY, and keys made
under a previous SECRET_KEY still verify while it is listed in SECRET_KEY_FALLBACKS.
"""

from __future__ import annotations

import hmac
import re
import secrets
import string

from django.conf import settings
from django.utils.crypto import salted_hmac

KEY_TAG = "odk"
PREFIX_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: read aloud, typed by hand
SECRET_ALPHABET = string.ascii_letters + string.digits
PREFIX_LENGTH = 12
SECRET_LENGTH = 40
KEY_PATTERN = re.compile(
    rf"{KEY_TAG}_([{PREFIX_ALPHABET}]{{{PREFIX_LENGTH}}})_([A-Za-z0-9]{{{SECRET_LENGTH}}})"
)
# Anything that looks like one of our keys, wherever it appears (a query-string value).
KEY_LIKE = re.compile(rf"{KEY_TAG}_[A-Za-z0-9]{{8,}}")
_SALT = "portal.developer.ApiKey.secret"


def new_prefix() -> str:
    return "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))


def new_secret() -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


def format_key(prefix: str, secret: str) -> str:
    return f"{KEY_TAG}_{prefix}_{secret}"


def parse_key(raw: str) -> tuple[str, str] | None:
    """(prefix, secret) of a well-formed key, or None."""
    match = KEY_PATTERN.fullmatch(raw)
    return (match[1], match[2]) if match else None


def _digest(secret: str, server_secret: str) -> str:
    return salted_hmac(_SALT, secret, secret=server_secret, algorithm="sha256").hexdigest()


def hash_secret(secret: str) -> str:
    """What is stored for a new secret: the HMAC under the current SECRET_KEY."""
    return _digest(secret, settings.SECRET_KEY)


# Compared against when no key matches, so an unknown prefix costs what a known one does.
_DUMMY_HASH = "0" * 64


def secret_matches(secret: str, stored: str | None) -> bool:
    """Constant-time comparison against the current and every fallback SECRET_KEY. Every
    digest is computed and compared whatever the outcome, so timing does not depend on which
    (if any) matched."""
    expected = stored or _DUMMY_HASH
    matched = False
    for server_secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        matched |= hmac.compare_digest(_digest(secret, server_secret), expected)
    return matched and stored is not None
