#!/usr/bin/env bash
# Set up and run the platform with demo data: web on http://127.0.0.1:8000 plus a Celery
# worker with beat. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.local}
if [ -z "${DATABASE_URL:-}" ]; then
  echo "DATABASE_URL is unset: starting the embedded PostgreSQL server in .local/pgdata"
  $PY -m config.embedded_db start >/dev/null
fi
$PY manage.py migrate --noinput -v0
$PY manage.py load_regions -v0
$PY manage.py load_demo
$PY manage.py load_portal_demo
$PY manage.py load_interaction_demo
$PY manage.py load_operations_demo
$PY manage.py load_commerce_demo
$PY manage.py collectstatic --noinput -v0
mkdir -p .local/logs
.venv/bin/celery -A config worker -B -l info --concurrency 2 \
  --schedule .local/celerybeat-schedule >.local/logs/worker.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null; wait $WORKER 2>/dev/null; exit 0' INT TERM EXIT
$PY manage.py demo_logins
echo "Worker log: .local/logs/worker.log   Stop with Ctrl-C."
echo "Open http://127.0.0.1:${PORT:-8000}/"
.venv/bin/gunicorn config.wsgi -b 127.0.0.1:${PORT:-8000} -w 2 --threads 4 --access-logfile - &
WEB=$!
trap 'kill $WORKER $WEB 2>/dev/null; wait 2>/dev/null; exit 0' INT TERM EXIT
wait $WEB
