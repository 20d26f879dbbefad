#!/usr/bin/env bash
# Sets everything up, loads the demo data, starts a Celery worker (with beat) and serves the
# web map, the API and /ogc/ on 127.0.0.1:$PORT. Ctrl-C stops all of it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/lib.sh; load_dotenv .env
PORT=${PORT:-8000}

.venv/bin/python manage.py preflight
.venv/bin/python manage.py load_demo

mkdir -p var/run
.venv/bin/celery -A gis_service worker --beat -Q "${CELERY_QUEUE:-zelfbeheer}" --loglevel INFO --concurrency 2 \
  --schedule var/run/celerybeat-schedule >var/run/worker.log 2>&1 &
worker=$!
# Celery shuts down warmly on TERM; a TERM that arrives while it is still starting its embedded
# beat can leave it waiting forever (seen here), so after 15 s its processes are killed.
stop_worker() {
  kill -TERM "$worker" 2>/dev/null || return 0
  for _ in $(seq 1 30); do
    kill -0 "$worker" 2>/dev/null || return 0
    sleep 0.5
  done
  pkill -KILL -P "$worker" 2>/dev/null
  kill -KILL "$worker" 2>/dev/null
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
echo "worker started (pid $worker, log var/run/worker.log)"
echo "serving on http://127.0.0.1:$PORT/  (admin: /admin/, OGC API: /ogc/, health: /healthz)"
.venv/bin/gunicorn gis_service.wsgi --bind "127.0.0.1:$PORT" --workers 3 --threads 2 \
  --access-logfile - --timeout 120
