"""Settings of the spreadsheet imports (imports/), from the environment.

- IMPORT_MAX_MB: the largest .xlsx or .csv an import reads, in MB (default
  10). A larger upload is refused by its Content-Length before its body is
  read (imports.views).
- IMPORT_MAX_ROWS: the most rows one import reads (default 10,000); reading
  stops with a message at the first row beyond it (imports.readers). Empty
  rows count too, against five times the limit: a file may not run on for a
  million empty rows.
- IMPORT_ACCOUNT_MAX_ROWS: the most rows (all sections together) one key
  account's export may bring in (default 200,000; workspace.moving_in).
- IMPORT_BACKGROUND_ROWS: a confirmed file of more rows than this is imported
  by the task worker while its page shows a progress bar (default 1,000: about
  a second's work); smaller ones are imported within the request.
- PROGRESS_DIR: where the progress of a background import is kept when there
  is no Redis (REDIS_URL): a folder the web server and the worker both write
  (default var/progress beside manage.py; imports.progress).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kamteam.env import env_int_between, env_str


def progress_cache(*, base_dir: Path, redis_url: str) -> dict[str, Any]:
    """The cache "progress" (imports.progress): Redis when the app servers share one,
    else files on this machine, where the worker and the web server both find them.
    Not the fragment cache: with one machine that is each process's own memory."""
    if redis_url:
        return {
            "BACKEND": "core.cache.ForgivingRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "kamteam-progress",
            "TIMEOUT": 3600,
        }
    return {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(Path(env_str("PROGRESS_DIR").strip() or base_dir / "var" / "progress")),
        "TIMEOUT": 3600,
    }


def imports_settings() -> dict[str, Any]:
    max_mb = env_int_between("IMPORT_MAX_MB", 10, 1, 200)
    return {
        "IMPORT_MAX_MB": max_mb,
        "IMPORT_MAX_BYTES": max_mb * 1024 * 1024,
        "IMPORT_MAX_ROWS": env_int_between("IMPORT_MAX_ROWS", 10_000, 10, 1_000_000),
        "IMPORT_ACCOUNT_MAX_ROWS": env_int_between(
            "IMPORT_ACCOUNT_MAX_ROWS", 200_000, 100, 5_000_000
        ),
        "IMPORT_BACKGROUND_ROWS": env_int_between("IMPORT_BACKGROUND_ROWS", 1_000, 0, 1_000_000),
    }
