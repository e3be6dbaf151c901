"""Settings of the spreadsheet imports (imports/), from the environment.

- IMPORT_MAX_MB: the largest .xlsx or .csv an import reads, in MB (default
  10). A larger upload is refused by its Content-Length before its body is
  read (imports.views).
- IMPORT_MAX_ROWS: the most rows one import reads (default 10,000); reading
  stops with a message at the first row beyond it (imports.readers).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from kamteam.env import env_int


def imports_settings() -> dict[str, Any]:
    max_mb = env_int("IMPORT_MAX_MB", 10)
    if not 1 <= max_mb <= 200:
        raise ImproperlyConfigured(f"IMPORT_MAX_MB must be 1 to 200; got {max_mb}")
    max_rows = env_int("IMPORT_MAX_ROWS", 10_000)
    if not 10 <= max_rows <= 1_000_000:
        raise ImproperlyConfigured(f"IMPORT_MAX_ROWS must be 10 to 1,000,000; got {max_rows}")
    return {
        "IMPORT_MAX_MB": max_mb,
        "IMPORT_MAX_BYTES": max_mb * 1024 * 1024,
        "IMPORT_MAX_ROWS": max_rows,
    }
