"""Pairs over HTTP, behind nginx as in production: query-http (the records endpoint against a
psycopg-only WSGI app under the same gunicorn settings), metering (the endpoint with metering
on against off) and download (the real download path with X-Accel-Redirect against nginx
sending the same file itself)."""

from __future__ import annotations

import subprocess
import time
from urllib.parse import quote, urlencode

from bench import httpload, servers
from bench.stats import Target, median, ratio


def records_path(resource: int) -> str:
    # total=none: the same SQL as the raw app (a total is another query, measured by "totals").
    query = urlencode({"filters": '{"类别": "交通"}', "sort": "日期", "total": "none"})
    return f"/api/v1/datastore/{resource}/records?{query}"


def raw_path() -> str:
    return "/raw-app/?" + urlencode({"v": "交通"})


def _alternate(urls: dict[str, tuple[str, dict]], *, rounds: int, seconds: float, concurrency: int):
    """Each side `rounds` times, alternating, after a warm-up of each; medians over rounds."""
    results: dict[str, list] = {name: [] for name in urls}
    for url, headers in urls.values():
        httpload.run(url, concurrency=concurrency, seconds=max(1.0, seconds / 2), headers=headers)
    for _ in range(rounds):
        for name, (url, headers) in urls.items():
            result = httpload.run(url, concurrency=concurrency, seconds=seconds, headers=headers)
            if result.errors:
                raise RuntimeError(f"{name}: {result.errors} failed requests of {result.requests}")
            results[name].append(result)
    return {
        name: {
            "rps": median(r.rps for r in rs),
            "p50_ms": median(r.p50_ms for r in rs),
            "p99_ms": median(r.p99_ms for r in rs),
            "rounds": [r.as_dict() for r in rs],
        }
        for name, rs in results.items()
    }


def query_http(
    *, base: str, resource: int, key: str, rounds: int, seconds: float, concurrency: int
):
    figures = _alternate(
        {
            "platform": (base + records_path(resource), {"X-API-Key": key}),
            "raw": (base + raw_path(), {}),
        },
        rounds=rounds,
        seconds=seconds,
        concurrency=concurrency,
    )
    p, r = figures["platform"], figures["raw"]
    targets = [
        Target(
            "query-http-rps",
            ratio(p["rps"], r["rps"]),
            0.5,
            ">=",
            "records endpoint req/s vs psycopg-only app",
        ),
        Target(
            "query-http-p99",
            ratio(p["p99_ms"], r["p99_ms"]),
            3.0,
            "<=",
            "records endpoint p99 vs psycopg-only app",
        ),
    ]
    shown = {
        "query-http-rps": {"platform": f"{p['rps']:,.0f} req/s", "raw": f"{r['rps']:,.0f} req/s"},
        "query-http-p99": {"platform": f"{p['p99_ms']:.1f} ms", "raw": f"{r['p99_ms']:.1f} ms"},
    }
    figures["concurrency"] = concurrency
    return figures, targets, shown


def metering(*, on: dict, off: dict):
    target = Target(
        "metering", ratio(on["rps"], off["rps"]), 0.9, ">=", "req/s with metering on vs off"
    )
    shown = {
        "metering": {
            "platform": f"{on['rps']:,.0f} req/s (on)",
            "raw": f"{off['rps']:,.0f} req/s (off)",
        }
    }
    return {"on": on, "off": off}, [target], shown


DOWNLOAD_ROUNDS = 7


def _curl(url: str, limit: str | None = None) -> subprocess.Popen:
    args = ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{size_download} %{time_total}"]
    if limit:
        args += ["--limit-rate", limit]
    return subprocess.Popen([*args, url], stdout=subprocess.PIPE, text=True)


def _download(url: str) -> tuple[int, int, float]:
    proc = _curl(url)
    out, _ = proc.communicate(timeout=600)
    code, size, seconds = out.split()
    return int(code), int(size), float(seconds)


def download(
    *,
    base: str,
    platform_path: str,
    raw_path: str,
    small_path: str,
    size: int,
    app_pid: int,
    nginx_pid: int,
    rounds: int,
    api_url: str,
    key: str,
    api_p99_raw_ms: float,
    seconds: float,
    concurrency: int,
):
    procs = {"app": servers.process_tree(app_pid), "nginx": servers.process_tree(nginx_pid)}
    sides: dict[str, list[dict]] = {"platform": [], "raw": []}
    # Warm-up: one untimed download of each side, so that both files are read from the page
    # cache (the raw file was just generated; the platform's stored copy may not have been
    # read since it was uploaded, and a first round read it from disk at half the speed).
    for path in (platform_path, raw_path):
        code, got, _ = _download(base + path)
        if code != 200 or got != size:
            raise RuntimeError(f"warm-up download {path}: HTTP {code}, {got} of {size} bytes")
    # A transfer takes about half a second on loopback: more rounds than the other pairs.
    for _ in range(max(rounds, DOWNLOAD_ROUNDS)):
        for name, path in (("platform", platform_path), ("raw", raw_path)):
            cpu_before = servers.cpu_seconds(procs["app"] + procs["nginx"])
            code, got, took = _download(base + path)
            cpu = servers.cpu_seconds(procs["app"] + procs["nginx"]) - cpu_before
            if code != 200 or got != size:
                raise RuntimeError(f"{name} download: HTTP {code}, {got} of {size} bytes")
            sides[name].append(
                {"seconds": took, "mb_per_s": size / took / 1e6, "cpu_s_per_gb": cpu / (size / 1e9)}
            )
    # Peak RSS of the app processes: after a small download, then after the big ones above.
    _download(base + small_path)
    rss = servers.rss_bytes(servers.process_tree(app_pid), "VmHWM")
    p = {k: median(r[k] for r in sides["platform"]) for k in ("mb_per_s", "cpu_s_per_gb")}
    r = {k: median(x[k] for x in sides["raw"]) for k in ("mb_per_s", "cpu_s_per_gb")}
    during = _api_during_slow_downloads(base + platform_path, api_url, key, seconds, concurrency)
    measurement = {
        "size": size,
        "platform": {**p, "rounds": sides["platform"]},
        "raw": {**r, "rounds": sides["raw"]},
        "app_peak_rss_bytes": rss,
        "api_during_two_slow_downloads": during,
    }
    rss_mib = rss / 2**20
    targets = [
        Target(
            "download-throughput",
            ratio(p["mb_per_s"], r["mb_per_s"]),
            0.9,
            ">=",
            "MB/s vs nginx sendfile",
        ),
        Target(
            "download-cpu",
            ratio(p["cpu_s_per_gb"], r["cpu_s_per_gb"]),
            1.5,
            "<=",
            "CPU-s/GB vs nginx sendfile",
        ),
        Target(
            "download-rss-mib",
            rss_mib,
            256.0,
            "<=",
            "peak RSS of an app process after 1 GiB downloads (MiB; flat in file size)",
        ),
        Target(
            "download-api-p99",
            ratio(during["p99_ms"], api_p99_raw_ms),
            3.0,
            "<=",
            "API p99 during two slow downloads vs raw app p99",
        ),
    ]
    shown = {
        "download-throughput": {
            "platform": f"{p['mb_per_s']:,.0f} MB/s",
            "raw": f"{r['mb_per_s']:,.0f} MB/s",
        },
        "download-cpu": {
            "platform": f"{p['cpu_s_per_gb']:.3f} CPU-s/GB",
            "raw": f"{r['cpu_s_per_gb']:.3f} CPU-s/GB",
        },
        "download-rss-mib": {"platform": f"{rss_mib:.0f} MiB", "raw": ""},
        "download-api-p99": {
            "platform": f"{during['p99_ms']:.1f} ms",
            "raw": f"{api_p99_raw_ms:.1f} ms",
        },
    }
    return measurement, targets, shown


def _api_during_slow_downloads(
    url: str, api_url: str, key: str, seconds: float, concurrency: int
) -> dict:
    slow = [_curl(url, "2M") for _ in range(2)]
    try:
        time.sleep(1.0)
        if any(p.poll() is not None for p in slow):
            raise RuntimeError("a slow download ended before the API measurement")
        result = httpload.run(
            api_url, concurrency=concurrency, seconds=seconds, headers={"X-API-Key": key}
        )
        still = sum(1 for p in slow if p.poll() is None)
    finally:
        for p in slow:
            p.kill()
            p.wait()
    if result.errors:
        raise RuntimeError(f"API during downloads: {result.errors} failed requests")
    return {**result.as_dict(), "slow_downloads_running": still}


def download_paths(dataset_slug: str, distribution_id: int) -> str:
    return f"/datasets/{quote(dataset_slug)}/files/{distribution_id}/latest"
