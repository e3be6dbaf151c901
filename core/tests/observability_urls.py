"""The project's URLs plus a few views that are slow, log or fail on purpose.

For core/tests/test_observability.py (ROOT_URLCONF overridden): the real
pages are too fast, and none fails, to test the slow log and error mails
deterministically.
"""

from __future__ import annotations

import logging
import time

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django_tasks import task

from core.observability import probe

logger = logging.getLogger(__name__)

SLOW_SECONDS = 0.05  # the slow views take at least this long
SLOW_VIEW_QUERIES = 2


@task()
def note_in_worker() -> None:
    """A task that only writes a log line (which request id does it carry?)."""
    logger.info("inside the task")


@login_not_required
def logs(request: HttpRequest) -> HttpResponse:
    logger.info("inside the request")
    try:
        raise ValueError("something to report")
    except ValueError:
        logger.exception("with a traceback")
    return HttpResponse("logged")


@login_not_required
def queues_a_task(request: HttpRequest) -> HttpResponse:
    note_in_worker.enqueue()
    return HttpResponse("queued")


@login_not_required
def slow(request: HttpRequest) -> HttpResponse:
    if request.GET.get("who") == "me":
        request.user.is_authenticated  # noqa: B018 - look the user up, as most pages do
    for _ in range(SLOW_VIEW_QUERIES):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    time.sleep(SLOW_SECONDS)
    return HttpResponse("slow")


@probe
@login_not_required
def slow_probe(request: HttpRequest) -> HttpResponse:
    time.sleep(SLOW_SECONDS)
    return HttpResponse("ok")


@login_not_required
def boom(request: HttpRequest, username: str) -> HttpResponse:
    raise RuntimeError(f"failed for {username}")


urlpatterns = [
    path("obs/logs/", logs),
    path("obs/task/", queues_a_task),
    path("obs/slow/", slow),
    path("obs/slow-probe/", slow_probe),
    path("obs/people/<str:username>/boom/", boom, name="obs_boom"),
    path("", include("kamteam.urls")),
]
