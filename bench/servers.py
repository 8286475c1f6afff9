"""Processes the benchmark starts: gunicorn (the platform, the raw psycopg app) and nginx as a
non-daemon child with its own config, pid and logs in a temporary folder. Everything listens
on 127.0.0.1 on free ports and is stopped (process group: SIGTERM, then SIGKILL) on exit."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
_STARTED: list[subprocess.Popen] = []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def _wait_http(port: int, path: str, seconds: float, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not answer within {seconds} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
    if proc in _STARTED:
        _STARTED.remove(proc)


def stop_all() -> None:
    for proc in list(_STARTED):
        stop(proc)


@contextmanager
def process(args: list[str], *, env: dict[str, str], log: Path, port: int, ready_path: str):
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        proc = subprocess.Popen(
            args, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True
        )
    _STARTED.append(proc)
    try:
        _wait_http(port, ready_path, 60, proc)
        yield proc
    finally:
        stop(proc)


def gunicorn_args(app: str, port: int, workers: int) -> list[str]:
    """The same settings for the platform and the raw app: sync workers, no access log."""
    return [
        str(VENV_BIN / "gunicorn"),
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "120",
        "--keep-alive",
        "5",
        "--log-level",
        "warning",
    ]


NGINX_CONF = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    types {{ application/octet-stream bin; text/csv csv; }}
    default_type application/octet-stream;
    upstream platform {{ server 127.0.0.1:{platform_port}; keepalive 16; }}
    upstream platform_off {{ server 127.0.0.1:{off_platform_port}; keepalive 16; }}
    upstream raw {{ server 127.0.0.1:{raw_port}; keepalive 16; }}
    server {{
        listen 127.0.0.1:{off_port};
        location / {{
            proxy_pass http://platform_off;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
        }}
    }}
    server {{
        listen 127.0.0.1:{port};
        server_name 127.0.0.1;
        location /protected-files/ {{
            internal;
            alias {media}/;
        }}
        location /raw-files/ {{
            alias {raw_files}/;
        }}
        location /raw-app/ {{
            proxy_pass http://raw/;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }}
        location / {{
            proxy_pass http://platform;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_read_timeout 300s;
        }}
    }}
}}
"""


@contextmanager
def nginx(
    *,
    tmp: Path,
    port: int,
    off_port: int,
    platform_port: int,
    off_platform_port: int,
    raw_port: int,
    media: Path,
    raw_files: Path,
):
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx is not installed (scripts/bench.sh installs nginx-light)")
    tmp.mkdir(parents=True, exist_ok=True)
    conf = tmp / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            tmp=tmp,
            port=port,
            off_port=off_port,
            platform_port=platform_port,
            off_platform_port=off_platform_port,
            raw_port=raw_port,
            media=media,
            raw_files=raw_files,
        )
    )
    args = [binary, "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "error.log")]
    with process(
        args, env=dict(os.environ), log=tmp / "nginx.out", port=port, ready_path="/raw-files/"
    ) as proc:
        yield proc


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (gunicorn master + workers, nginx master + workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(children.get(current, []))
    return out


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of the processes (what they have used so far)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def rss_bytes(pids: list[int], field: str = "VmRSS") -> int:
    """The largest `field` (VmRSS, or VmHWM: the peak) among the processes, in bytes."""
    best = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(field + ":"):
                    best = max(best, int(line.split()[1]) * 1024)
        except OSError:
            continue
    return best
