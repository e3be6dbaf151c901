"""How much memory one request takes, measured deterministically with tracemalloc.

A gunicorn worker keeps what a request allocated at its peak (the allocator
rarely gives it back), so a request that builds a large object even briefly
grows the worker for good. tracemalloc counts Python's own allocations, so the
figure is the same on every run and machine, unlike the process's RSS.
"""

from __future__ import annotations

import tracemalloc
from typing import Any

from django.conf import settings
from django.test import Client

# "A few MB": what any page, a form with 100 kB answers re-rendered included,
# stays under.
MAX_REQUEST_PEAK = 8 * 2**20
# Python's urllib.parse.unquote, which Django's QueryDict uses, allocates about
# 77 bytes per byte of urlencoded escapes ("%00%00..."): a 2.4 MB body cost
# 185 MB. core.middleware.BoundedFormDecodingMiddleware refuses a request
# with more than MAX_PERCENT_ESCAPES escapes before anything decodes it, so
# what decoding may cost is bounded too: at most 8 MB plus that.
PERCENT_DECODING_COST = 80


def request_limit(environ: dict[str, Any]) -> int:
    """The most a request may allocate at its peak."""
    urlencoded = len(environ.get("QUERY_STRING", ""))
    if environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        urlencoded += int(environ.get("CONTENT_LENGTH") or 0)
    decodable = min(urlencoded, 3 * settings.MAX_PERCENT_ESCAPES)
    return MAX_REQUEST_PEAK + PERCENT_DECODING_COST * decodable


def traced_peak(call: Any) -> tuple[Any, int]:
    """call()'s result and the bytes it allocated at its peak, above its start."""
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        result = call()
        return result, tracemalloc.get_traced_memory()[1] - before
    finally:
        if started:
            tracemalloc.stop()


class MeteredHandler:
    """Wraps a test client's handler: what the server side of a request allocated.

    Only the handler is measured, not the test client building the request
    body, so the figure is what a worker would allocate for the same request.
    """

    def __init__(self, handler: Any) -> None:
        self.handler = handler
        self.last_peak = 0
        self.last_limit = MAX_REQUEST_PEAK

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        response, self.last_peak = traced_peak(lambda: self.handler(*args, **kwargs))
        self.last_limit = request_limit(args[0])
        return response

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handler, name)


def metered(client: Client) -> MeteredHandler:
    """Measure every request `client` sends; the meter holds the last one's peak."""
    meter = client.handler if isinstance(client.handler, MeteredHandler) else None
    if meter is None:
        meter = client.handler = MeteredHandler(client.handler)
    return meter
