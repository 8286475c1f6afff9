"""The results document (`bench/results/latest.json`) and its readable table (`latest.md`)."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path
from typing import Any

from bench.stats import Target

SCHEMA_VERSION = 1
REQUIRED_KEYS = (
    "schema",
    "started_at",
    "finished_at",
    "machine",
    "sizes",
    "measurements",
    "targets",
)
PAIRS = (
    "ingest-load",
    "ingest-e2e",
    "query-db",
    "query-http",
    "paging",
    "totals",
    "download",
    "search",
    "metering",
)


def machine_facts() -> dict[str, Any]:
    facts: dict[str, Any] = {
        "python": platform.python_version(),
        "system": platform.system(),
        "release": platform.release(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                facts["cpu_model"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                facts["memory_gib"] = round(int(line.split()[1]) / 1024**2, 1)
                break
        facts["load_average"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        pass
    return facts


def build(
    *,
    started_at: str,
    finished_at: str,
    machine: dict[str, Any],
    sizes: dict[str, Any],
    measurements: dict[str, Any],
    targets: list[Target],
    errors: dict[str, str] | None = None,
    notes: dict[str, Any] | None = None,
) -> dict[str, Any]:
    doc = {
        "schema": SCHEMA_VERSION,
        "started_at": started_at,
        "finished_at": finished_at,
        "machine": machine,
        "sizes": sizes,
        "measurements": measurements,
        "targets": [t.as_dict() for t in targets],
        "summary": {
            "targets": len(targets),
            "met": sum(1 for t in targets if t.met),
            "missed": [t.id for t in targets if not t.met],
        },
        "errors": errors or {},
        "notes": notes or {},
    }
    check(doc)
    return doc


def check(doc: dict[str, Any]) -> None:
    """Raise ValueError when the document lacks what its readers rely on."""
    missing = [k for k in REQUIRED_KEYS if k not in doc]
    if missing:
        raise ValueError(f"results lack {missing}")
    ids = set()
    for target in doc["targets"]:
        for key in ("id", "ratio", "target", "met"):
            if key not in target:
                raise ValueError(f"target {target.get('id')!r} lacks {key!r}")
        if not isinstance(target["met"], bool):
            raise ValueError(f"target {target['id']!r}: met is not a boolean")
        if target["id"] in ids:
            raise ValueError(f"target {target['id']!r} twice")
        ids.add(target["id"])


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def markdown(doc: dict[str, Any]) -> str:
    sizes = ", ".join(f"{k} {_fmt(v)}" for k, v in doc["sizes"].items())
    lines = [
        f"# Benchmark results ({doc['finished_at']})",
        "",
        f"Machine: {doc['machine'].get('cpus')} CPUs, {doc['machine'].get('cpu_model', '?')}, "
        f"{doc['machine'].get('memory_gib', '?')} GiB; Python {doc['machine'].get('python')}.",
        f"Sizes: {sizes}.",
        "",
        "| Target | Platform | Raw | Ratio | Goal | Met |",
        "|---|---|---|---|---|---|",
    ]
    for target in doc["targets"]:
        shown = doc["measurements"].get("_shown", {}).get(target["id"], {})
        lines.append(
            f"| {target['id']} | {shown.get('platform', '')} | {shown.get('raw', '')} | "
            f"{_fmt(target['ratio'])} | {target['op']} {_fmt(target['target'])} | "
            f"{'yes' if target['met'] else '**no**'} |"
        )
    summary = doc["summary"]
    lines += ["", f"{summary['met']} of {summary['targets']} targets met."]
    if doc.get("errors"):
        lines += ["", "Errors:"] + [f"- {k}: {v}" for k, v in doc["errors"].items()]
    return "\n".join(lines) + "\n"


def write(doc: dict[str, Any], folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    json_path, md_path = folder / "latest.json", folder / "latest.md"
    json_path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    md_path.write_text(markdown(doc))
    return json_path, md_path
