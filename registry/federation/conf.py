"""This deployment's place in the federation, read once from settings (env-driven)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SINGLE = ""
NATIONAL = "national"
PROVINCIAL = "provincial"
ROLES = {SINGLE, NATIONAL, PROVINCIAL}


@dataclass(frozen=True)
class NodeConfig:
    role: str
    node_code: str
    province: str
    national_url: str

    @property
    def is_national(self) -> bool:
        return self.role == NATIONAL

    @property
    def is_provincial(self) -> bool:
        return self.role == PROVINCIAL

    @property
    def is_federated(self) -> bool:
        return self.role != SINGLE


def node() -> NodeConfig:
    """The node configuration from settings (re-read each call: tests override settings)."""
    role = settings.FEDERATION_ROLE
    if role not in ROLES:
        raise ImproperlyConfigured(
            f"FEDERATION_ROLE must be national, provincial or empty, got {role!r}"
        )
    province = settings.FEDERATION_PROVINCE
    if role == PROVINCIAL and not (len(province) == 6 and province.isdigit()):
        raise ImproperlyConfigured("FEDERATION_PROVINCE must be a 6-digit province code")
    if role == NATIONAL:
        code = "national"  # the one name every provincial node expects
    else:
        code = settings.FEDERATION_NODE_CODE or province[:2]
    return NodeConfig(
        role=role,
        node_code=code if role != SINGLE else "",
        province=province if role == PROVINCIAL else "",
        national_url=settings.FEDERATION_NATIONAL_URL.rstrip("/"),
    )


@lru_cache(maxsize=8)
def _read(path: str) -> str:
    with open(path, encoding="ascii") as handle:
        return handle.read().strip()


def secret_from(value: str, path: str) -> str:
    """A key given inline or in a file (the file wins when both are set)."""
    return _read(path) if path else value
