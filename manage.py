#!/usr/bin/env python
"""Django's command-line utility, with configuration errors reported as one line."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_service.settings")
    from gis_service.core.startup import run_reporting_config_errors

    run_reporting_config_errors(sys.argv)


if __name__ == "__main__":
    main()
