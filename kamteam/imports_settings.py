"""Settings of the spreadsheet imports (imports/), from the environment.

- IMPORT_MAX_MB: the largest .xlsx or .csv an import reads, in MB (default
  10). A larger upload is refused by its Content-Length before its body is
  read (imports.views).
- IMPORT_MAX_ROWS: the most rows one import reads (default 10,000); reading
  stops with a message at the first row beyond it (imports.readers).
- IMPORT_ACCOUNT_MAX_ROWS: the most rows (all sections together) one key
  account's export may bring in (default 200,000; workspace.moving_in).
"""

from __future__ import annotations

from typing import Any

from kamteam.env import env_int_between


def imports_settings() -> dict[str, Any]:
    max_mb = env_int_between("IMPORT_MAX_MB", 10, 1, 200)
    return {
        "IMPORT_MAX_MB": max_mb,
        "IMPORT_MAX_BYTES": max_mb * 1024 * 1024,
        "IMPORT_MAX_ROWS": env_int_between("IMPORT_MAX_ROWS", 10_000, 10, 1_000_000),
        "IMPORT_ACCOUNT_MAX_ROWS": env_int_between(
            "IMPORT_ACCOUNT_MAX_ROWS", 200_000, 100, 5_000_000
        ),
    }
