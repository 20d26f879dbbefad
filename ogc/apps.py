import logging

from django.apps import AppConfig


class OgcConfig(AppConfig):
    name = "ogc"
    label = "ogc"

    def ready(self) -> None:
        from ogc.logs import ClientErrorsAreWarnings

        # pygeoapi logs a line or two at INFO/WARNING on every request (no locale support, no
        # offset given): drop that chatter. It logs every error response at ERROR: client errors
        # become one WARNING line (ogc/logs.py), which the level here still lets through.
        pygeoapi = logging.getLogger("pygeoapi")
        pygeoapi.setLevel(logging.ERROR)
        logging.getLogger("pygeoapi.api").addFilter(ClientErrorsAreWarnings())
