#!/usr/bin/env bash
# Run the whole test suite against DATABASE_URL, or the embedded PostgreSQL when unset.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure_chromium.sh
if [ -z "${DATABASE_URL:-}" ]; then
  echo "DATABASE_URL is unset: using the embedded PostgreSQL server in .local/pgdata"
  .venv/bin/python -m config.embedded_db start >/dev/null
fi
export DJANGO_SETTINGS_MODULE=config.settings.test
.venv/bin/python manage.py collectstatic --noinput -v0
exec .venv/bin/pytest "$@"
