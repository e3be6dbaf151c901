"""Values (not HTML) kept in the cache under the change counters of core.fragments.

A fragment is per viewer, language and day; some values are the same for
everyone (the options of a people picker) or name their one viewer in `parts`
(what a person may see of colleagues). They are cached the same way: the key
holds the current counters of the data they come from, so a change makes the
next read build afresh and old entries age out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from core.fragments import TIMEOUT_SECONDS, read_counters

T = TypeVar("T")
_MISSING = object()


def cached_value(name: str, scopes: list[str], build: Callable[[], T], *parts: object) -> T:
    """`build()`, or the value it gave at the current counters of `scopes` and `parts`.

    Costs one small query for the counters; `build` runs on a miss only. The
    value must pickle.
    """
    counters = read_counters(scopes)
    raw = "|".join([name, *(f"{s}={counters[s]}" for s in sorted(counters)), *map(str, parts)])
    cache_key = "value1:" + hashlib.sha256(raw.encode()).hexdigest()
    found = cache.get(cache_key, _MISSING)
    if found is _MISSING:
        found = build()
        cache.set(cache_key, found, TIMEOUT_SECONDS)
    return found
