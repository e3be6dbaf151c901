"""Settings of the REST API (api/), from the environment.

- API_RATE_PER_MINUTE: requests one token (or one browser session) may make a
  minute (default 300); more get 429 with Retry-After (api.service).
- API_TOKENS_PER_PERSON: active tokens one person may hold (default 10).
- API_PAGE_SIZE: rows on a page of every list (default 50; ?page_size= up to 500).
"""

from __future__ import annotations

from typing import Any

from kamteam.env import env_int_between


def api_settings() -> dict[str, Any]:
    return {
        "API_RATE_PER_MINUTE": env_int_between("API_RATE_PER_MINUTE", 300, 1, 100_000),
        "API_TOKENS_PER_PERSON": env_int_between("API_TOKENS_PER_PERSON", 10, 1, 100),
        "API_PAGE_SIZE": env_int_between("API_PAGE_SIZE", 50, 1, 500),
    }
