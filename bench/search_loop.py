"""The search pair alone, for working on catalogue search: makes (or reuses) the generated
catalogue in the bench database and prints the figures of `bench.db_cases.search`.

    BENCH_DATABASE_URL=postgres://…/searchbench BENCH_CATALOGUE=100000 \
        .venv/bin/python -m bench.search_loop [rounds] [calls-per-round]

The database is created and migrated when missing, like `make bench` does; the catalogue is
reused by later runs (and by `make bench` on the same database).
"""

from __future__ import annotations

import json
import os
import sys

from bench import config as bench_config
from bench.run import _django_env, _ensure_database


def main() -> int:
    cfg = bench_config.from_env()
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url:
        print("BENCH_DATABASE_URL is unset", file=sys.stderr)
        return 2
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    per_round = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    _ensure_database(url)
    os.environ.update(_django_env(cfg, url))
    import django

    django.setup()
    from django.core.management import call_command

    from bench import db_cases, world

    call_command("migrate", interactive=False, verbosity=0)
    w = world.ensure_world()
    print(f"catalogue: {world.ensure_catalogue(cfg.catalogue, w.user):,} records", flush=True)
    out, targets, shown = db_cases.search(dsn=url, rounds=rounds, per_round=per_round)
    for target in targets:
        figures = shown.get(target.id, {})
        print(
            f"{target.id:24} {figures.get('platform', ''):>16} {figures.get('raw', ''):>10}"
            f"  ratio {target.ratio:.2f}  {'met' if target.met else 'MISSED'}"
        )
    p50 = {k: [v["platform"]["p50_ms"], v["raw"]["p50_ms"], v["hits"]] for k, v in out.items()}
    print("p50 ms (platform, raw, hits):", json.dumps(p50))
    return 0


if __name__ == "__main__":
    sys.exit(main())
