"""gunicorn's settings for every server started from the project root (`make run`, the benchmarks, the
Docker image): gunicorn reads ./gunicorn.conf.py by itself, and options on its command line win."""

import os

# gunicorn (25.1+) opens a control socket for `gunicornc` at $XDG_RUNTIME_DIR/gunicorn.ctl or
# ~/.gunicorn/gunicorn.ctl, the same path for every server of the user: a second one (another
# PORT, a benchmark's) took the first's socket over, and stopping either removed it, so gunicornc
# reached the wrong server or none. Each master (this file is read in it) gets its own, named
# after its process id: `gunicornc -s var/run/gunicorn-<pid>.ctl`.
control_socket = f"var/run/gunicorn-{os.getpid()}.ctl"
