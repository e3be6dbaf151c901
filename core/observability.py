"""What an operator sees of a running kamteam: request ids, log formats, slow requests.

- Every request gets an id: the proxy's `X-Request-ID` when it looks sane
  (nginx's `$request_id`, a uuid), otherwise a fresh uuid4. It is sent back
  in the `X-Request-ID` header and stamped on every log line written while
  the request runs (RequestIdFilter), so one line of an error report finds
  all the others. Log lines outside a request show "-"; those of a task run
  by the worker show "task-<task id>" (from the task's start on), and the
  request that queued the task logs that id ("Task ... queued").
- LOG_FORMAT=json writes one JSON object per line (JsonFormatter) for a log
  collector; the default stays plain text for people reading the journal.
- A request slower than SLOW_REQUEST_MS is logged as a warning on the logger
  "kamteam.slow_requests", with its SQL query count.

Health checks and the metrics endpoint are marked with @probe: they are
polled every few seconds and are never worth a slow-request line.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.functional import LazyObject, empty
from django_tasks.signals import task_enqueued, task_finished, task_started

HEADER = "X-Request-ID"
NO_REQUEST = "-"
TASK_PREFIX = "task-"

# What an incoming id may look like: a uuid (with or without dashes), nginx's
# 32 hex digits, or a similar token. Anything else (too long, spaces, CR/LF,
# quotes) could forge or break log lines, so it is replaced by our own id.
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")

_request_id: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)

logger = logging.getLogger(__name__)
slow_logger = logging.getLogger("kamteam.slow_requests")

View = TypeVar("View", bound=Callable[..., Any])


def current_request_id() -> str:
    """The id of the request being answered, "task-<id>" in a task, else "-"."""
    return _request_id.get()


def request_id_from(incoming: str | None) -> str:
    """The incoming id if it looks sane, else a new one."""
    if incoming and SANE_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def probe(view: View) -> View:
    """Mark a view polled by machines (health, readiness, metrics): no slow-request log."""
    view.kamteam_probe = True  # type: ignore[attr-defined]
    return view


class RequestIdMiddleware:
    """Give the request its id, for the log lines and the `X-Request-ID` answer header.

    First in MIDDLEWARE, so redirects and refusals of the other middleware
    carry the id too, and their log lines have it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get(HEADER))
        token = _request_id.set(request_id)
        try:
            _tag_sentry_event(request_id)
            response = self.get_response(request)
            response[HEADER] = request_id
            return response
        finally:
            _request_id.reset(token)


def _tag_sentry_event(request_id: str) -> None:
    # Only when settings started Sentry (SENTRY_DSN): an error there then
    # names the request id of the log lines.
    sentry_sdk = sys.modules.get("sentry_sdk")
    if sentry_sdk is not None and sentry_sdk.is_initialized():
        sentry_sdk.set_tag("request_id", request_id)


class _QueryCounter:
    """An execute wrapper (connection.execute_wrapper) that only counts."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], *args: Any) -> Any:
        self.count += 1
        return execute(*args)


class SlowRequestMiddleware:
    """Log a warning for a request slower than SLOW_REQUEST_MS (0: off).

    The line names the method, the path without its query string (which may
    hold a person's search words), the status, the time, the user's id and
    the number of SQL queries: enough to find the page and the person's
    report again without storing what they searched for.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        threshold = settings.SLOW_REQUEST_MS  # read per request: tests override it
        if threshold <= 0:
            return self.get_response(request)
        queries = _QueryCounter()
        started = time.perf_counter()
        with connection.execute_wrapper(queries):
            response = self.get_response(request)
        elapsed_ms = round((time.perf_counter() - started) * 1000)
        if elapsed_ms >= threshold and not _is_probe(request):
            _log_slow(request, response, elapsed_ms, queries.count)
        return response


def _is_probe(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return bool(match and getattr(match.func, "kamteam_probe", False))


def _log_slow(request: HttpRequest, response: HttpResponse, ms: int, queries: int) -> None:
    fields = {
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "duration_ms": ms,
        "user_id": _user_id(request),
        "queries": queries,
    }
    slow_logger.warning(
        "Slow request: %(method)s %(path)s %(status)s in %(duration_ms)d ms "
        "(user %(user_id)s, %(queries)d SQL queries)",
        {**fields, "user_id": fields["user_id"] or "-"},
        extra=fields,
    )


def _user_id(request: HttpRequest) -> int | None:
    """The signed-in user's id, if the request has looked the user up already.

    Looking it up here would cost a session and a user query, counted in the
    pinned query counts of the pages; public pages (login, health) never
    needed the user and get None.
    """
    user = request.__dict__.get("user")
    if user is None or (isinstance(user, LazyObject) and user._wrapped is empty):
        return None
    return user.pk if user.is_authenticated else None


class RequestIdFilter(logging.Filter):
    """Add `request_id` to every record a handler writes (its console format shows it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


# Fields a log call may add with extra={...} that the JSON lines carry on.
JSON_EXTRA_FIELDS = ("method", "path", "status", "duration_ms", "user_id", "queries")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, exception.

    Ours rather than python-json-logger: these few lines are all we need,
    and a fixed set of keys keeps whatever else a library attaches to a
    record (a request object, personal data) out of the log collector.
    """

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", _request_id.get()),
        }
        line.update({k: getattr(record, k) for k in JSON_EXTRA_FIELDS if hasattr(record, k)})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


# Tasks: the worker's lines carry the task's id; the request that queued the
# task logs that id, which links the two. (The request's own id cannot ride
# along: a task's arguments are its function's, and the queue keeps nothing else.)


@receiver(task_enqueued)
def _log_queued(sender: Any, task_result: Any, **kwargs: Any) -> None:
    if _request_id.get() != NO_REQUEST:
        logger.info("Task %s queued: %s", task_result.id, task_result.task.module_path)


@receiver(task_started)
def _task_id_for_logs(sender: Any, task_result: Any, **kwargs: Any) -> None:
    current = _request_id.get()
    # A task run inside a request (the immediate backend) keeps the request's id.
    if current == NO_REQUEST or current.startswith(TASK_PREFIX):
        _request_id.set(f"{TASK_PREFIX}{task_result.id}")


@receiver(task_finished)
def _task_done(sender: Any, task_result: Any, **kwargs: Any) -> None:
    if _request_id.get() == f"{TASK_PREFIX}{task_result.id}":
        _request_id.set(NO_REQUEST)
