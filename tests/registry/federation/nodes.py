"""Two real nodes for the integration tests: a national and a provincial (Guangdong) Django
deployment, each a gunicorn process on a free loopback port with its own database on the
PostgreSQL server of DATABASE_URL (names derived from its database name, plus the xdist worker,
so parallel runs never collide). Management commands and `manage.py shell` snippets run in each
node's environment; assertions read the nodes' databases directly."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from registry.federation.keys import generate_keypair

ROOT = Path(__file__).resolve().parents[3]
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
COMMAND_TIMEOUT = 180
START_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(base_url: str, name: str) -> str:
    parts = urlsplit(base_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_connect(base_url: str):
    return psycopg.connect(database_url(base_url, "postgres"), autocommit=True, connect_timeout=5)


@dataclass
class Node:
    name: str
    db_url: str
    env: dict[str, str]
    port: int
    log: Path
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # ------------------------------------------------------------------ processes
    def manage(self, *args: str, check: bool = True, timeout: int = COMMAND_TIMEOUT):
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"{self.name}: manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
            )
        return result

    def shell(self, code: str) -> dict:
        """Run a Python snippet in the node; the JSON it prints last is returned."""
        out = self.manage("shell", "-c", code).stdout.strip().splitlines()
        return json.loads(out[-1]) if out else {}

    def popen_manage(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def start_worker(self) -> subprocess.Popen:
        """A real Celery worker of this node (filesystem broker in its LOCAL_DIR)."""
        return subprocess.Popen(
            [
                str(Path(PYTHON).with_name("celery")),
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start(self) -> None:
        assert self.process is None
        handle = self.log.open("a")
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited early:\n{self.log.read_text()[-3000:]}")
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=2)
                return
            except urllib.error.HTTPError:
                return  # answering (503 when the broker is not configured is fine)
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise AssertionError(f"{self.name} did not start:\n{self.log.read_text()[-3000:]}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    # ------------------------------------------------------------------ database
    def query(self, sql: str, params=()) -> list[tuple]:
        with psycopg.connect(self.db_url, autocommit=True, connect_timeout=5) as conn:
            return conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, params=()):
        return self.query(sql, params)[0][0]

    def execute(self, sql: str, params=()) -> None:
        with psycopg.connect(self.db_url, connect_timeout=5) as conn:
            conn.execute(sql, params)


@dataclass
class Federation:
    national: Node
    province: Node
    workdir: Path

    def deliver(self, *args: str, check: bool = True):
        """The provincial node's delivery, in a process of that node (the real code path)."""
        return self.province.manage("federation_deliver", *args, check=check)

    def reconcile(self) -> dict:
        result = self.national.manage("federation_reconcile", "--json", check=False)
        reports = json.loads(result.stdout)
        assert len(reports) == 1, reports
        return reports[0] | {"exit": result.returncode}

    def assert_converged(self) -> dict:
        """Identical counts and digests on both sides, and nothing duplicated."""
        report = self.reconcile()
        assert report["matches"], report
        assert report["exit"] == 0
        assert report["national"]["count"] == report["provincial"]["count"]
        nat = self.national
        assert nat.scalar(
            "SELECT count(*) FROM registry_inboundevent e JOIN registry_federationnode n "
            "ON n.id = e.node_id WHERE n.code = '44'"
        ) == nat.scalar("SELECT last_sequence FROM registry_federationnode WHERE code = '44'")
        assert (
            nat.scalar(
                "SELECT count(*) FROM (SELECT origin_node, origin_id FROM registry_federatedrecord "
                "GROUP BY 1, 2 HAVING count(*) > 1) d"
            )
            == 0
        )
        return report


def make_federation(base_db_url: str, workdir: Path) -> Federation:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    base_name = urlsplit(base_db_url).path.lstrip("/") or "opendata"
    suffix = f"_{worker}" if worker else ""
    names = {
        "national": f"{base_name}_fed_nat{suffix}",
        "province": f"{base_name}_fed_prov{suffix}",
    }
    with admin_connect(base_db_url) as conn:
        for name in names.values():
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{names["national"]}"')
    nat_private, nat_public = generate_keypair()
    prov_private, prov_public = generate_keypair()
    (workdir / "national.key").write_text(nat_private)
    (workdir / "province.key").write_text(prov_private)
    ports = {"national": free_port(), "province": free_port()}
    common = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FEDERATION_", "PYTEST", "DATABASE_URL", "DJANGO_SETTINGS"))
    }
    common.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        FEDERATION_ALLOW_PRIVATE_ADDRESSES="1",
        FEDERATION_TIMEOUT_SECONDS="5",
        CELERY_BROKER_URL="memory://",
        PYTHONUNBUFFERED="1",
    )
    national_env = common | {
        "DATABASE_URL": database_url(base_db_url, names["national"]),
        "LOCAL_DIR": str(workdir / "national"),
        "FEDERATION_ROLE": "national",
        "FEDERATION_SIGNING_KEY_FILE": str(workdir / "national.key"),
    }
    province_env = common | {
        "CELERY_BROKER_URL": "filesystem://",
        "DATABASE_URL": database_url(base_db_url, names["province"]),
        "LOCAL_DIR": str(workdir / "province"),
        "FEDERATION_ROLE": "provincial",
        "FEDERATION_PROVINCE": "440000",
        "FEDERATION_NATIONAL_URL": f"http://127.0.0.1:{ports['national']}",
        "FEDERATION_SIGNING_KEY_FILE": str(workdir / "province.key"),
        "FEDERATION_NATIONAL_PUBLIC_KEY": nat_public,
    }
    national = Node(
        "national",
        national_env["DATABASE_URL"],
        national_env,
        ports["national"],
        workdir / "national.log",
    )
    province = Node(
        "province",
        province_env["DATABASE_URL"],
        province_env,
        ports["province"],
        workdir / "province.log",
    )
    for node_ in (national, province):
        Path(node_.env["LOCAL_DIR"]).mkdir(parents=True, exist_ok=True)
    # One database is migrated and loaded; the other is a copy of it (much faster than a
    # second migrate). Nothing is connected to the template while it is copied.
    national.manage("migrate", "--noinput", "-v0")
    national.manage("load_regions", "-v0")
    with admin_connect(base_db_url) as conn:
        conn.execute(f'CREATE DATABASE "{names["province"]}" TEMPLATE "{names["national"]}"')
    national.shell(
        "from tests.registry.federation.node_script import national_admin; national_admin()"
    )
    national.manage(
        "federation_node",
        "add",
        "--code=44",
        "--name=广东省节点",
        "--province=440000",
        f"--url={province.url}",
        f"--public-key={prov_public}",
        "--admin=natadmin",
    )
    return Federation(national=national, province=province, workdir=workdir)


def drop_federation(base_db_url: str, federation: Federation) -> None:
    for node_ in (federation.national, federation.province):
        node_.stop()
    with admin_connect(base_db_url) as conn:
        for node_ in (federation.national, federation.province):
            name = urlsplit(node_.db_url).path.lstrip("/")
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
