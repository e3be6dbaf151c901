"""Prometheus metrics at /metrics, for a scraper that holds METRICS_TOKEN.

django-prometheus counts requests and their latency by view (its two
middlewares) and SQL queries by database (its database wrappers, which
add no query of their own). This module serves them:

- METRICS_TOKEN unset: /metrics answers 404, as if it did not exist;
- set: the scraper sends `Authorization: Bearer <token>` (Prometheus:
  `authorization: {credentials: ...}`); no header answers 401, a wrong
  token 403, compared in constant time.

Several gunicorn workers are several processes, each with its own counters:
a scrape would see whichever worker answered. With PROMETHEUS_MULTIPROC_DIR
set (an empty folder the workers may write to), prometheus_client keeps
every process's values in files there and /metrics adds them up. gunicorn's
configuration then needs the two hooks below (README, "Observability"):

    from core.metrics import child_exit, on_starting  # noqa: F401

This module is imported by gunicorn's master before Django is set up: it
reads no setting at import.
"""

from __future__ import annotations

import hmac
import os
from pathlib import Path
from typing import Any

import prometheus_client
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import multiprocess

from core.observability import probe

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


@probe
@login_not_required
@never_cache
@require_safe
def metrics_view(request: HttpRequest) -> HttpResponse:
    """The metrics of every worker process, in Prometheus' text format."""
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    scheme, _space, offered = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not offered:
        response = HttpResponse("a bearer token is needed", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if not hmac.compare_digest(offered.strip().encode(), token.encode()):
        return HttpResponse("wrong token", status=403, content_type="text/plain")
    return HttpResponse(
        prometheus_client.generate_latest(_registry()),
        content_type=prometheus_client.CONTENT_TYPE_LATEST,
    )


def _registry() -> Any:
    if not os.environ.get(MULTIPROC_ENV):
        return prometheus_client.REGISTRY  # one process: its own counters
    registry = prometheus_client.CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


# gunicorn server hooks (deploy/gunicorn.conf.py imports them) ----------------


def on_starting(server: Any) -> None:
    """Make PROMETHEUS_MULTIPROC_DIR, or empty it, before the first worker starts.

    prometheus_client asks for an empty one: files of a former run would be
    added to this run's counters (and a former worker's pid may be a new one's).
    """
    folder = os.environ.get(MULTIPROC_ENV)
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for stale in Path(folder).glob("*.db"):
            stale.unlink(missing_ok=True)


def child_exit(server: Any, worker: Any) -> None:
    """A worker ended: drop its live gauges (its counters stay in the sums)."""
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(worker.pid)
