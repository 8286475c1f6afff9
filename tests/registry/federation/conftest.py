"""In-process federation fixtures: this test database plays one node at a time (settings
switch the role); the two-node tests in test_two_nodes.py run real separate processes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from registry.federation.keys import generate_keypair
from registry.federation.models import FederationNode
from registry.validators import make_credit_code
from tests.conftest import metadata


@pytest.fixture
def provincial(settings):
    own_private, own_public = generate_keypair()
    nat_private, nat_public = generate_keypair()
    settings.FEDERATION_ROLE = "provincial"
    settings.FEDERATION_PROVINCE = "440000"
    settings.FEDERATION_SIGNING_KEY = own_private
    settings.FEDERATION_NATIONAL_PUBLIC_KEY = nat_public
    settings.FEDERATION_NATIONAL_URL = "http://127.0.0.1:9"
    return SimpleNamespace(
        private=own_private, public=own_public, nat_private=nat_private, nat_public=nat_public
    )


@pytest.fixture
def national(settings, db):
    own_private, own_public = generate_keypair()
    node_private, node_public = generate_keypair()
    settings.FEDERATION_ROLE = "national"
    settings.FEDERATION_SIGNING_KEY = own_private
    gd = FederationNode.objects.create(
        code="44",
        name="广东省节点",
        province_id="440000",
        base_url="http://127.0.0.1:9",
        public_key=node_public,
    )
    return SimpleNamespace(
        private=own_private, public=own_public, node=gd, node_private=node_private
    )


HOLDER_CODE = make_credit_code("11440100MB0099999")


def make_event(
    sequence: int,
    *,
    origin_id: int = 1,
    version: int = 1,
    province: str = "440000",
    origin_node: str = "44",
    code: str = "44000012026000001",
    event: str = "coded",
    **meta,
) -> dict:
    return {
        "sequence": sequence,
        "event": event,
        "record": {"origin_node": origin_node, "origin_id": origin_id, "version": version},
        "province": province,
        "occurred_at": "2026-04-01T02:00:00+00:00",
        "snapshot": {
            "object_type": "resource",
            "status": "active",
            "code": code,
            "registered_at": "2026-04-01T02:00:00+00:00",
            "valid_until": "2029-04-01",
            "deregistered_at": None,
            "holder": {
                "name": "广州市交通运输局",
                "credit_code": HOLDER_CODE,
                "org_type": "organ",
                "region": "440100",
                "is_national_level": False,
            },
            "version_number": version,
            "registration_type": "initial" if version == 1 else "change",
            "metadata": metadata(**meta),
        },
    }
