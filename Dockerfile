# Production image: the Django service, its Celery worker and beat all run from it.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY web/frontend/package.json web/frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.12-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# GeoDjango needs GDAL, GEOS and PROJ from the system; gdal-bin gives ogr2ogr for GIS teams;
# gettext's msgfmt compiles the translation catalogs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gdal-bin libgdal32 libgeos-c1v5 libproj25 fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml constraints.txt ./
RUN python - > /tmp/requirements.txt <<'PY'
import tomllib
print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))
PY
RUN pip install -r /tmp/requirements.txt -c constraints.txt
COPY . .
COPY --from=assets /build/node_modules web/frontend/node_modules
RUN DEBUG=true python manage.py collectstatic --noinput -v 0
RUN DEBUG=true python scripts/messages.py --compile-only
# PYTHONDONTWRITEBYTECODE: compiled once here, not again in every process (~0.1 s of CPU each).
RUN python -m compileall -q gis_service importers ogc web
RUN useradd --system --home /app zelfbeheer && mkdir -p /app/var/media /app/var/beat && chown -R zelfbeheer /app/var
USER zelfbeheer
EXPOSE 8000
CMD ["gunicorn", "gis_service.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
