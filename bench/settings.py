"""Production settings for the load instruments, with two changes.

Everything comes from kamteam.settings (DEBUG off, whitenoise's manifest
storage, persistent connections with health checks). Only STATIC_ROOT moves
to a private directory (BENCH_STATIC_ROOT), so that `collectstatic` for a
benchmark never touches the checkout's staticfiles/ that others may use; and
the URLs add the bare reference page (bench/urls.py) that first renders are
compared with.
"""

import os
from pathlib import Path

from kamteam.settings import *  # noqa: F403
from kamteam.settings import TEMPLATES

STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT", "/tmp/kamteam-bench-static"))
ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]
