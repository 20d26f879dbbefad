"""WSGI entry point (gunicorn gis_service.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_service.settings")
application = get_wsgi_application()

# A process loading this module serves web requests and nothing else (gunicorn, runserver).
from gis_service.core.timeouts import keep_between_requests  # noqa: E402 - needs the settings set up above

keep_between_requests()
