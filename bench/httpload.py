"""HTTP load at a fixed concurrency: wrk (Debian's package) when present, else a Python client
with one persistent connection per thread. Reports requests/s, p50 and p99 (ms) and the count
of responses that were not 2xx/3xx (a benchmark of errors is no benchmark)."""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass

from bench.stats import percentile


@dataclass(frozen=True)
class LoadResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    tool: str

    def as_dict(self) -> dict:
        return {
            "rps": round(self.rps, 1),
            "p50_ms": round(self.p50_ms, 3),
            "p99_ms": round(self.p99_ms, 3),
            "requests": self.requests,
            "errors": self.errors,
            "tool": self.tool,
        }


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"cannot read wrk duration {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> LoadResult:
    """Figures from `wrk --latency` output."""
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    requests = int(re.search(r"([0-9]+) requests in", output).group(1))
    errors = 0
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+([0-9]+)", output)
    if non2xx:
        errors += int(non2xx.group(1))
    socket_errors = re.search(
        r"Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)", output
    )
    if socket_errors:
        errors += sum(int(g) for g in socket_errors.groups())
    return LoadResult(rps, p50, p99, requests, errors, "wrk")


def run(
    url: str, *, concurrency: int, seconds: float, headers: dict[str, str] | None = None
) -> LoadResult:
    headers = headers or {}
    if shutil.which("wrk"):
        args = ["wrk", "-t", str(min(2, concurrency)), "-c", str(concurrency)]
        args += ["-d", f"{max(1, round(seconds))}s", "--latency", "--timeout", "10s"]
        for name, value in headers.items():
            args += ["-H", f"{name}: {value}"]
        out = subprocess.run(
            [*args, url], capture_output=True, text=True, timeout=seconds + 60, check=True
        ).stdout
        return parse_wrk(out)
    return _python_load(url, concurrency=concurrency, seconds=seconds, headers=headers)


def _python_load(url: str, *, concurrency: int, seconds: float, headers: dict[str, str]):
    rest = url.split("://", 1)[1]
    hostport, _, path = rest.partition("/")
    host, _, port = hostport.partition(":")
    path = "/" + path
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    stop_at = time.monotonic() + seconds

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection(host, int(port or 80), timeout=10)
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    errors[i] += 1
            except OSError:
                errors[i] += 1
                conn.close()
                conn = http.client.HTTPConnection(host, int(port or 80), timeout=10)
                continue
            latencies[i].append(time.perf_counter() - started)
        conn.close()

    began = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    flat = [x for lat in latencies for x in lat]
    if not flat:
        return LoadResult(0.0, float("nan"), float("nan"), 0, sum(errors), "python")
    return LoadResult(
        len(flat) / elapsed,
        percentile(flat, 50) * 1000,
        percentile(flat, 99) * 1000,
        len(flat),
        sum(errors),
        "python",
    )
