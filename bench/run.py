"""`make bench`: every hot path against the raw limit of the same work, in one run.

    BENCH_QUICK=1 .venv/bin/python -m bench.run      (scripts/bench.sh sets the database up)

Writes bench/results/latest.json and latest.md and prints the table. Exits 1 when a
measurement itself failed (an error, not a missed target), 0 otherwise.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

import psycopg

from bench import config as bench_config
from bench import datagen, results, servers
from bench.stats import Target


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _ensure_database(url: str) -> None:
    parsed = psycopg.conninfo.conninfo_to_dict(url)
    name = parsed["dbname"]
    admin = psycopg.conninfo.make_conninfo(url, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))


def _django_env(cfg: bench_config.BenchConfig, url: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "false",
        "DEBUG": "false",
        "MEDIA_ROOT": str(cfg.media_root),
        "STATIC_ROOT": str(cfg.data_dir / "static"),
        "LOCAL_DIR": str(cfg.data_dir / "local"),
        "PORTAL_DOWNLOAD_ACCEL_REDIRECT": "/protected-files/",
        "DB_CONN_MAX_AGE": "600",
        "CELERY_BROKER_URL": "memory://",
        "LOG_LEVEL": "WARNING",
    }


class Run:
    def __init__(self, cfg: bench_config.BenchConfig, url: str) -> None:
        self.cfg, self.url = cfg, url
        self.measurements: dict = {"_shown": {}}
        self.targets: list[Target] = []
        self.errors: dict[str, str] = {}
        self.timings: dict[str, float] = {}

    def step(self, name: str, fn, *args, **kwargs):
        started = time.monotonic()
        print(f"== {name}", flush=True)
        try:
            out = fn(*args, **kwargs)
        except Exception as exc:  # one failed pair must not hide the others
            traceback.print_exc()
            self.errors[name] = f"{type(exc).__name__}: {exc}"
            return None
        finally:
            self.timings[name] = round(time.monotonic() - started, 1)
        if isinstance(out, tuple) and len(out) == 3 and isinstance(out[1], list):
            measurement, targets, shown = out
            self.measurements[name] = measurement
            self.targets += targets
            self.measurements["_shown"].update(shown)
        return out


def main() -> int:
    cfg = bench_config.from_env()
    base = os.environ.get("BENCH_BASE_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if not base:
        print(
            "DATABASE_URL is unset (scripts/bench.sh starts the embedded server)", file=sys.stderr
        )
        return 2
    url = bench_config.bench_database_url(base, os.environ.get("BENCH_DATABASE_URL", ""))
    _ensure_database(url)
    os.environ.update(_django_env(cfg, url))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = _now()
    try:
        run = _measure(cfg, url)
    finally:
        servers.stop_all()
    doc = results.build(
        started_at=started,
        finished_at=_now(),
        machine=results.machine_facts(),
        sizes=cfg.sizes(),
        measurements=run.measurements,
        targets=run.targets,
        errors=run.errors,
        notes={"step_seconds": run.timings, "database": url.rsplit("/", 1)[-1]},
    )
    json_path, _ = results.write(doc, cfg.results_dir)
    print(results.markdown(doc))
    print(f"Written {json_path} and latest.md")
    return 1 if run.errors else 0


def _measure(cfg: bench_config.BenchConfig, url: str) -> Run:
    import django

    django.setup()
    from django.core.management import call_command

    from bench import db_cases, ingest_cases, world

    run = Run(cfg, url)
    print("== migrate", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    print("== data", flush=True)
    cfg.files_dir.mkdir(parents=True, exist_ok=True)
    csv_path = datagen.write_csv(cfg.files_dir / f"table-{cfg.rows}.csv", cfg.rows)
    big = datagen.write_binary(cfg.files_dir / f"file-{cfg.file_size}.bin", cfg.file_size)
    small = datagen.write_binary(cfg.files_dir / "file-1048576.bin", 1 << 20)
    w = world.ensure_world()
    run.step("catalogue", world.ensure_catalogue, cfg.catalogue, w.user)
    media = cfg.media_root
    table_version = world.attach_file(
        w.table_dataset,
        media_root=media,
        path=csv_path,
        fmt="CSV",
        media_type="text/csv",
        user=w.user,
    )
    big_version = world.attach_file(
        w.file_dataset,
        media_root=media,
        path=big,
        fmt="ZIP",
        media_type="application/zip",
        user=w.user,
    )
    small_version = world.attach_file(
        w.file_dataset,
        media_root=media,
        path=small,
        fmt="ZIP",
        media_type="application/zip",
        user=w.user,
    )
    out = run.step(
        "ingest",
        ingest_cases.measure,
        dsn=url,
        path=csv_path,
        rows=cfg.rows,
        version=table_version,
        rounds=cfg.ingest_rounds,
    )
    from portal.datastore.models import DatastoreTable

    table = DatastoreTable.objects.filter(distribution=table_version.distribution).first()
    if out is None and table is None:
        return run
    rounds, per = cfg.rounds, cfg.per_round
    run.step("query-db", db_cases.query_db, dsn=url, table=table, rounds=rounds, per_round=per)
    run.step("paging", db_cases.paging, table=table, rows=cfg.rows, rounds=rounds, per_round=per)
    run.step("totals", db_cases.totals, dsn=url, table=table, rounds=rounds, per_round=per)
    run.step("search", db_cases.search, dsn=url, rounds=rounds, per_round=max(10, per // 4))
    from django.db import connection

    connection.close()
    _http(run, cfg, url, w, table, big_version, small_version)
    return run


def _http(run: Run, cfg, url: str, w, table, big_version, small_version) -> None:
    from bench import http_cases

    tmp = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
    env = dict(os.environ)
    on_port, off_port, raw_port = servers.free_port(), servers.free_port(), servers.free_port()
    web_port, off_web_port = servers.free_port(), servers.free_port()
    physical = [c["column"] for c in table.columns]
    cols = {c["id"]: c["column"] for c in table.columns}
    raw_env = env | {
        "RAWAPP_DSN": url,
        "RAWAPP_TABLE": f"datastore.{table.table_name}",
        "RAWAPP_COLUMNS": ",".join(physical),
        "RAWAPP_FILTER": cols["类别"],
        "RAWAPP_SORT": cols["日期"],
    }
    logs = cfg.data_dir / "logs"
    ready = "/healthz-bench"
    with (
        servers.process(
            servers.gunicorn_args("config.wsgi", on_port, 2),
            env=env | {"DEVELOPER_METERING": "true"},
            log=logs / "gunicorn-on.log",
            port=on_port,
            ready_path=ready,
        ) as app,
        servers.process(
            servers.gunicorn_args("config.wsgi", off_port, 2),
            env=env | {"DEVELOPER_METERING": "false"},
            log=logs / "gunicorn-off.log",
            port=off_port,
            ready_path=ready,
        ),
        servers.process(
            servers.gunicorn_args("bench.rawapp:app", raw_port, 2),
            env=raw_env,
            log=logs / "rawapp.log",
            port=raw_port,
            ready_path="/",
        ),
        servers.nginx(
            tmp=tmp,
            port=web_port,
            off_port=off_web_port,
            platform_port=on_port,
            off_platform_port=off_port,
            raw_port=raw_port,
            media=cfg.media_root,
            raw_files=cfg.files_dir,
        ) as nginx,
    ):
        base = f"http://127.0.0.1:{web_port}"
        off_base = f"http://127.0.0.1:{off_web_port}"
        resource = table.distribution_id
        seconds, conc = cfg.http_seconds, cfg.concurrency
        out = run.step(
            "query-http",
            http_cases.query_http,
            base=base,
            resource=resource,
            key=w.api_key,
            rounds=cfg.rounds,
            seconds=seconds,
            concurrency=conc,
        )
        raw_p99 = out[0]["raw"]["p99_ms"] if out else float("nan")
        figures = run.step(
            "metering-load",
            http_cases._alternate,
            {
                "on": (base + http_cases.records_path(resource), {"X-API-Key": w.api_key}),
                "off": (off_base + http_cases.records_path(resource), {"X-API-Key": w.api_key}),
            },
            rounds=cfg.rounds,
            seconds=seconds,
            concurrency=conc,
        )
        if figures:
            run.step("metering", http_cases.metering, on=figures["on"], off=figures["off"])
        slug = w.file_dataset.slug
        run.step(
            "download",
            http_cases.download,
            base=base,
            platform_path=http_cases.download_paths(slug, big_version.distribution_id),
            raw_path="/raw-files/" + Path(big_version.file.name).name,
            small_path=http_cases.download_paths(slug, small_version.distribution_id),
            size=big_version.size,
            app_pid=app.pid,
            nginx_pid=nginx.pid,
            rounds=cfg.rounds,
            api_url=base + http_cases.records_path(resource),
            key=w.api_key,
            api_p99_raw_ms=raw_p99,
            seconds=seconds,
            concurrency=conc,
        )


if __name__ == "__main__":
    sys.exit(main())
