"""Reconciliation: both sides summarise a province's records as a count and a digest, split
into 256 buckets by the hash of the record's key, so a difference is narrowed down to a few
records without shipping the whole register."""

from __future__ import annotations

import hashlib
from collections import defaultdict

from registry.federation.conf import node
from registry.federation.models import FederatedRecord, FederationNode
from registry.federation.payload import province_of, record_digest, snapshot
from registry.federation.pull import PeerError, peer_get
from registry.models import RecordStatus

SUMMARY_PATH = "/registry/federation/api/summary/"


def _bucket(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:2]


def record_digests(*, steward: str) -> dict[str, str]:
    """{record key: digest} of the records kept by `steward`, as this node holds them."""
    own = node()
    records = FederatedRecord.objects.filter(steward_node=steward).select_related(
        "resource__holder__region",
        "resource__platform__region",
        "resource__current_version__registration",
    )
    digests = {}
    for fed in records.iterator(chunk_size=500):
        resource = fed.resource
        if own.is_provincial and province_of(resource) != own.province:
            continue  # never the national node's (refused on arrival)
        if own.is_national:
            code = resource.code or ""
        else:
            code = fed.national_code
        snap = snapshot(resource)
        if snap["status"] == RecordStatus.EXPIRING:  # computed locally by each node's sweep
            snap["status"] = RecordStatus.ACTIVE
        digests[fed.key] = record_digest(key=fed.key, version=fed.version, code=code, snap=snap)
    return digests


def summarise(digests: dict[str, str], *, bucket: str | None = None) -> dict:
    if bucket is not None:
        return {"records": {k: v for k, v in digests.items() if _bucket(k) == bucket}}
    buckets: dict[str, list[str]] = defaultdict(list)
    for key in sorted(digests):
        buckets[_bucket(key)].append(f"{key} {digests[key]}")
    whole = hashlib.sha256("\n".join(f"{k} {digests[k]}" for k in sorted(digests)).encode())
    return {
        "count": len(digests),
        "digest": whole.hexdigest(),
        "buckets": {
            b: [len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()]
            for b, lines in buckets.items()
        },
    }


def reconcile_node(fed_node: FederationNode) -> dict:
    """Compare the national copy of a node's records with the node's own summary."""
    local = record_digests(steward=fed_node.code)
    mine = summarise(local)
    report = {
        "node": fed_node.code,
        "province": fed_node.province_id,
        "national": {"count": mine["count"], "digest": mine["digest"]},
    }
    try:
        theirs = peer_get(fed_node, SUMMARY_PATH)
    except PeerError as exc:
        return {**report, "error": str(exc), "matches": False}
    report["provincial"] = {"count": theirs.get("count"), "digest": theirs.get("digest")}
    report["matches"] = (
        theirs.get("digest") == mine["digest"] and theirs.get("count") == mine["count"]
    )
    if report["matches"]:
        return report
    missing, extra, differing = [], [], []
    their_buckets = theirs.get("buckets") or {}
    for bucket in sorted(set(their_buckets) | set(mine["buckets"])):
        if their_buckets.get(bucket) == mine["buckets"].get(bucket):
            continue
        remote = peer_get(fed_node, f"{SUMMARY_PATH}?bucket={bucket}").get("records") or {}
        here = summarise(local, bucket=bucket)["records"]
        missing += sorted(set(remote) - set(here))
        extra += sorted(set(here) - set(remote))
        differing += sorted(k for k in set(remote) & set(here) if remote[k] != here[k])
    report.update(missing_at_national=missing, only_at_national=extra, differing=differing)
    return report
