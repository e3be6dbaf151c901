"""Counting the queries of a page's full render, for the query-count pins."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext


def measured_get(client: Client, url: str) -> tuple[HttpResponse, CaptureQueriesContext]:
    """GET `url` once to warm per-process caches (content types, sessions), then again.

    The fragment cache is emptied in between: the pins are about the work a
    page does when it renders, not about a cache hit (tests/test_fragments.py
    pins those).
    """
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, ctx


def page_queries(client: Client, url: str) -> int:
    response, ctx = measured_get(client, url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(ctx.captured_queries)
