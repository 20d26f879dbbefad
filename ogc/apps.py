import logging

from django.apps import AppConfig


class OgcConfig(AppConfig):
    name = "ogc"
    label = "ogc"

    def ready(self) -> None:
        # pygeoapi logs a line or two at INFO/WARNING on every request (no locale support, no
        # offset given) and every client error at ERROR; keep its errors, drop the chatter.
        logging.getLogger("pygeoapi").setLevel(logging.ERROR)
