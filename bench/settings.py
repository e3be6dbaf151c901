"""Production settings for the load instruments, with one change.

Everything comes from kamteam.settings (DEBUG off, whitenoise's manifest
storage, persistent connections with health checks). Only STATIC_ROOT moves
to a private directory (BENCH_STATIC_ROOT), so that `collectstatic` for a
benchmark never touches the checkout's staticfiles/ that others may use.
"""

import os
from pathlib import Path

from kamteam.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT", "/tmp/kamteam-bench-static"))
