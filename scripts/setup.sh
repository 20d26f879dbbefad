#!/usr/bin/env bash
# Installs what the service needs and prepares the database. Safe to run again: every step
# checks first and does nothing when its work is already done.
#   scripts/setup.sh          runtime: system packages, Python env, front-end assets, database
#   scripts/setup.sh --test   also what the test suite drives (Chromium, MapServer, QGIS)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WITH_TEST=false
[ "${1:-}" = "--test" ] && WITH_TEST=true
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

# --- .env: created once from the example with a fresh secret key ------------------------------
if [ ! -f .env ]; then
  say "creating .env from .env.example"
  key=$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')
  sed "s/^SECRET_KEY=$/SECRET_KEY=$key/" .env.example > .env
fi
# A .env made from an older example pinned the links to port 8000, whatever PORT said; those two
# lines, unchanged, are commented out so SITE_URL follows PORT. Any other value is left alone.
if grep -qxE '(SITE_URL|CSRF_TRUSTED_ORIGINS)=http://127\.0\.0\.1:8000' .env; then
  say "un-pinning SITE_URL in .env (it now follows PORT)"
  sed -i -E 's|^((SITE_URL\|CSRF_TRUSTED_ORIGINS)=http://127\.0\.0\.1:8000)$|# \1  (default: follows PORT)|' .env
fi
source scripts/lib.sh; load_dotenv .env

# --- system packages (Debian/Ubuntu) ----------------------------------------------------------
missing_packages() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}
# Another apt or dpkg at work (a second setup started at the same time, `make run` beside `make
# test`, unattended-upgrades) holds their locks; apt waits this long (seconds) for them instead of
# failing at once. Installing the --test packages (Chromium, QGIS) takes minutes, hence 10 of them.
APT_LOCK_WAIT=600
apt_sudo=""
[ "$(id -u)" = 0 ] || apt_sudo="sudo"
apt_errors=""
# apt-get quietly, its errors kept in $apt_errors (in English: apt_locked reads them), waiting up
# to APT_LOCK_WAIT for dpkg's locks (DPkg::Lock::Timeout, apt >= 1.9). env passes the variables
# through sudo, whose env_reset would drop them.
apt_get() {
  local status=0
  apt_errors=$($apt_sudo env LC_ALL=C DEBIAN_FRONTEND=noninteractive \
    apt-get -qq -o DPkg::Lock::Timeout="$APT_LOCK_WAIT" "$@" 2>&1 >/dev/null) || status=$?
  return "$status"
}
# A held lock, in the words of apt 2.6: the lists' "Could not get lock …", dpkg's "Unable to
# acquire the dpkg frontend lock (…), is another process using it?" once the wait is over.
apt_locked() { grep -qE "Could not get lock|is another process using it" <<<"$apt_errors"; }
apt_warnings() { [ -z "$apt_errors" ] || printf '%s\n' "$apt_errors" >&2; } # what apt-get said on stderr
apt_failed() {
  apt_warnings
  apt_locked && die "apt-get $1: another apt or dpkg still held the package lock after ${APT_LOCK_WAIT}s" \
    "(apt's message above); run setup again once it has finished"
  die "apt-get $1 failed (above)"
}
apt_install() {
  local need
  need=$(missing_packages "$@")
  [ -z "$need" ] && return 0
  command -v apt-get >/dev/null || die "missing system packages ($need) and no apt-get: install them by hand"
  say "installing system packages: $(echo $need)"
  # apt-get update takes the package lists' lock without waiting, whatever DPkg::Lock::Timeout says
  # (that covers dpkg's locks only; measured with apt 2.6: a held lists lock fails it in 0.03 s),
  # so it is tried again while another apt holds that lock, up to the same wait.
  local deadline=$((SECONDS + APT_LOCK_WAIT)) waiting=false
  until apt_get update; do
    { apt_locked && [ "$SECONDS" -lt "$deadline" ]; } || apt_failed update
    $waiting || say "another apt is updating the package lists; waiting up to ${APT_LOCK_WAIT}s"
    waiting=true
    sleep 5
  done
  apt_warnings
  apt_get install -y --no-install-recommends $need || apt_failed install
  apt_warnings
}

db_host=$(python3 -c 'import os,urllib.parse as u;print(u.urlsplit(os.environ["DATABASE_URL"]).hostname or "")')
local_db=false
case "$db_host" in 127.0.0.1|localhost|"") local_db=true ;; esac

# Tools are checked by command, since some come from elsewhere (npm ships inside nodesource's nodejs).
packages=()
command -v ogr2ogr >/dev/null || packages+=(gdal-bin)
command -v redis-cli >/dev/null || packages+=(redis-tools)
command -v psql >/dev/null || packages+=(postgresql-client)
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
# makemessages and compilemessages run GNU gettext's xgettext, msgmerge and msgfmt.
command -v msgfmt >/dev/null || packages+=(gettext)
# The marker PDF and PNG (web/marker.py) set their text in DejaVu Sans.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || packages+=(fonts-dejavu-core)
if $local_db && ! command -v pg_lsclusters >/dev/null; then
  packages+=(postgresql)
fi
[ ${#packages[@]} -eq 0 ] || apt_install "${packages[@]}"

# PostGIS for the PostgreSQL this machine runs (the major version decides the package name).
if $local_db; then
  if ! pg_isready -q -h 127.0.0.1 -p "${PGPORT:-5432}"; then
    say "starting PostgreSQL"
    cluster=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
    [ -n "$cluster" ] || die "no PostgreSQL cluster on this machine: create one with pg_createcluster"
    pg_ctlcluster --skip-systemctl-redirect "$cluster" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
  fi
  major=$(psql "postgresql://${PGUSER:-postgres}@127.0.0.1:${PGPORT:-5432}/postgres" -tAc "SHOW server_version_num" | cut -c1-2)
  apt_install "postgresql-$major-postgis-3"
fi

# Redis (broker and cache) when the broker is local and not answering.
broker_host=$(python3 -c 'import os,urllib.parse as u;print(u.urlsplit(os.environ["CELERY_BROKER_URL"]).hostname or "")')
case "$broker_host" in 127.0.0.1|localhost)
  if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
    apt_install redis-server
    say "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
      --dir /tmp --logfile /tmp/zelfbeheer-redis.log
    for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.5; done
  fi ;;
esac

if $WITH_TEST; then
  # What the tests drive for real: Chromium (Playwright), MapServer (WFS), QGIS (OAPIF client);
  # poppler-utils' pdftoppm renders the marker PDF to an image whose QR code the test decodes;
  # GNU time measures the benchmarks' peak memory per process (bench/bench_import.py).
  apt_install chromium mapserver-bin cgi-mapserver python3-qgis xauth poppler-utils time
fi

# --- Python 3.12+ virtual environment ----------------------------------------------------------
find_python() {
  local candidate
  for candidate in python3.12 python3.13 "$HOME"/.pyenv/versions/3.12*/bin/python3 \
                   "$HOME"/.pyenv/versions/3.13*/bin/python3 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  return 1
}
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
  python=$(find_python) || die "Python 3.12 or newer is needed (Django 6 and pygeoapi 0.24): install python3.12"
  say "creating .venv with $($python --version)"
  rm -rf .venv
  "$python" -m venv .venv
fi
stamp=.venv/.installed-$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  say "installing Python packages"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python - > .venv/requirements.txt <<'PY'
import tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
print("\n".join(project["dependencies"] + project["optional-dependencies"]["dev"]))
PY
  .venv/bin/python -m pip install -q -r .venv/requirements.txt -c constraints.txt
  rm -f .venv/.installed-*
  touch "$stamp"
fi

# --- ogctests (the OGC API Features conformance suites) in an environment of its own ---------------
# It pins pytest < 9 and pyarrow < 18, which clash with ours; tests/ogc/test_ogctests.py runs it.
OGCTESTS_REQUIREMENT=ogctests==0.1.15
if $WITH_TEST && ! .venv-ogctests/bin/python -c 'import ogctests' 2>/dev/null; then
  say "installing $OGCTESTS_REQUIREMENT in .venv-ogctests"
  [ -x .venv-ogctests/bin/python ] || .venv/bin/python -m venv .venv-ogctests
  .venv-ogctests/bin/python -m pip install -q "$OGCTESTS_REQUIREMENT"
fi

# --- front-end assets ----------------------------------------------------------------------------
if [ ! -f web/frontend/node_modules/.package-lock.json ] ||
   [ web/frontend/package-lock.json -nt web/frontend/node_modules/.package-lock.json ]; then
  say "installing front-end packages"
  (cd web/frontend && npm ci --no-audit --no-fund --silent)
fi

# --- database --------------------------------------------------------------------------------------
.venv/bin/python scripts/ensure_database.py
.venv/bin/python manage.py migrate --noinput | grep -v '^  No migrations to apply' || true
.venv/bin/python manage.py collectstatic --noinput -v 0
# The English catalogs (.po, committed) compiled to the .mo files Django reads (not committed).
.venv/bin/python scripts/messages.py --compile-only
# The project's modules compiled to bytecode once, as pip does for the packages: with
# PYTHONDONTWRITEBYTECODE set (as on our machines and in the image), every process compiled them
# again at start, ~0.1 s of CPU for a web process (docs/benchmarks.md).
.venv/bin/python -m compileall -q gis_service importers ogc web bench scripts >/dev/null
say "setup done"
