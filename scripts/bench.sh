#!/usr/bin/env bash
# `make bench`: measure every hot path against the raw limit of the same work on this machine
# (see bench/run.py and docs/performance.md). BENCH_QUICK=1 for a small run of about a minute;
# BENCH_ROWS (default 10,000,000) sets the table size. Uses its own database on the embedded
# PostgreSQL server, or on the server of DATABASE_URL (the database name + "_bench"), never the
# one the tests use. Every server it starts listens on 127.0.0.1 and is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

# nginx (the production topology and the download comparison) and wrk (HTTP load) come from
# Debian's packages; installed when missing and we are root. Without wrk a Python client is used.
need() {  # need <command> <package>
  if command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; then return 0; fi
  if [ "$(id -u)" != 0 ]; then echo "bench: $1 missing (install the $2 package)"; return 0; fi
  echo "bench: installing $2"
  apt-get install -y "$2" >/dev/null 2>&1 \
    || { apt-get update >/dev/null 2>&1 && apt-get install -y "$2" >/dev/null 2>&1; } \
    || echo "bench: could not install $2"
}
need nginx nginx-light
need wrk wrk
need curl curl

if [ -z "${DATABASE_URL:-}" ]; then
  echo "DATABASE_URL is unset: using the embedded PostgreSQL server in .local/pgdata"
  DATABASE_URL=$(.venv/bin/python -m config.embedded_db start)
fi
export BENCH_BASE_DATABASE_URL=$DATABASE_URL
if [ "${BENCH_QUICK:-}" = 1 ]; then limit=${BENCH_TIMEOUT:-600}; else limit=${BENCH_TIMEOUT:-5400}; fi
# The run stops its own servers on exit; `timeout` bounds it (SIGTERM, then SIGKILL after 60 s).
exec timeout --kill-after=60 "$limit" .venv/bin/python -m bench.run
