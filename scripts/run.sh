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
# The worker leads a process group of its own (setsid): its embedded beat is a child process,
# and one forked while a stop was already under way outlived the worker (seen here); the whole
# group is stopped, and killed if anything in it is still there after 15 s. TERM to a worker
# that is still starting its beat can also leave it waiting forever.
setsid .venv/bin/celery -A gis_service worker --beat -Q "${CELERY_QUEUE:-zelfbeheer}" --loglevel INFO \
  --concurrency 2 --schedule var/run/celerybeat-schedule >var/run/worker.log 2>&1 &
worker=$!
stop_worker() {
  # A second TERM or INT while waiting (timeout(1) and a process-group kill both send one) would
  # end this script here and leave the worker running: from now on they are ignored.
  trap '' INT TERM
  kill -TERM -- "-$worker" 2>/dev/null || return 0
  for _ in $(seq 1 30); do
    kill -0 -- "-$worker" 2>/dev/null || return 0
    sleep 0.5
  done
  kill -KILL -- "-$worker" 2>/dev/null
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
echo "worker started (pid $worker, log var/run/worker.log)"
echo "serving on http://127.0.0.1:$PORT/  (admin: /admin/, OGC API: /ogc/, health: /healthz)"
.venv/bin/gunicorn gis_service.wsgi --bind "127.0.0.1:$PORT" --workers 3 --threads 2 \
  --access-logfile - --timeout 120
