"""In-process side of the benchmark, run with the same environment as gunicorn.

    python bench/probe.py sessions bench-lead bench-manager
        -> {"bench-lead": "sessionid=...; csrftoken=...", ...}: the cookies of a
           browser logged in with a session in the database
    python bench/probe.py queries pages.json
        -> for each page: status, SQL queries and median ms per request as a
           browser sees it (fragments cached) and for a full render, bytes

    python bench/probe.py interactions <username> <account slug>
        -> for the in-place edits a lead makes in that account (RACI letter
           toggle, a touchpoint added in a grid cell, a touchpoint marked
           done), each sent as htmx sends it: SQL queries and median ms
    python bench/probe.py profile <username> <path> [n] [--cold]
        -> cProfile of n requests (default 20), top functions by own time;
           --cold empties the fragment cache before each (full renders)

`queries` reads [{"name", "path", "cookie"}] and renders each page with
Django's test Client against the same database and settings: one warm-up
request, then queries counted with CaptureQueriesContext on the second, and
the median wall time of five more; then the same with the fragment cache
emptied before each request (the full render a change causes).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from http.cookies import SimpleCookie  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from users.models import User  # noqa: E402

BACKEND = "django.contrib.auth.backends.ModelBackend"


def session_for(username: str) -> str:
    """A logged-in session, as django.contrib.auth.login would store it."""
    user = User.objects.get(username=username)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(24 * 3600)
    store.create()
    return store.session_key


def cookie_for(username: str) -> str:
    """The Cookie header of a browser logged in as `username` that has seen a page.

    A browser keeps the CSRF cookie of its first page; without it every
    request would get a new CSRF secret (and miss the fragment cache, whose
    keys include it), which no browser does.
    """
    return (
        f"{settings.SESSION_COOKIE_NAME}={session_for(username)}; "
        f"{settings.CSRF_COOKIE_NAME}={_get_new_csrf_string()}"
    )


# Timed samples per page (after the one whose queries are counted) and
# requests per in-place edit (a warm-up, the counted one, the timed rest); the
# median is reported. Fifteen and twelve: on a 2-core machine shared with
# others, the median of five moved by a quarter from run to run.
SAMPLES = 15
EDITS = 12


def _client(cookie: str | None) -> Client:
    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else None)
    if cookie:
        for name, morsel in SimpleCookie(cookie).items():
            client.cookies[name] = morsel.value
    return client


def _timed(client: Client, path: str, *, cold: bool) -> tuple[dict, list[float]]:
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    # Read now: the next request clears the connection's query log.
    first = {
        "status": response.status_code,
        "queries": len(captured.captured_queries),
        "bytes": len(response.content),
        "sql": [(q["time"], q["sql"][:400]) for q in captured.captured_queries],
    }
    times = []
    for _ in range(SAMPLES):
        if cold:
            cache.clear()
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return first, times


def measure(path: str, cookie: str | None) -> dict:
    client = _client(cookie)
    client.get(path)  # warm up: imports, content types, this viewer's fragments
    cached, cached_times = _timed(client, path, cold=False)
    full, full_times = _timed(client, path, cold=True)
    show_sql = bool(os.environ.get("BENCH_SHOW_SQL"))
    return {
        "status": cached["status"],
        "queries": cached["queries"],
        "bytes": cached["bytes"],
        "inprocess_ms": round(statistics.median(cached_times), 2),
        "render_queries": full["queries"],
        "render_ms": round(statistics.median(full_times), 2),
        "sql": cached["sql"] if show_sql else None,
        "render_sql": full["sql"] if show_sql else None,
    }


def _interaction(client: Client, requests: list[tuple[str, dict]]) -> dict:
    """One warm-up, queries counted on the second request, median ms of the rest.

    Each request is a new change (a letter on and off again, another new
    touchpoint, another touchpoint marked done), as a lead clicking makes them.
    """
    statuses, times = [], []
    queries = 0
    for i, (path, data) in enumerate(requests):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.post(path, data, HTTP_HX_REQUEST="true")
            elapsed = (time.perf_counter() - started) * 1000
        statuses.append(response.status_code)
        if i == 1:
            queries = len(captured.captured_queries)
        if i >= 2:
            times.append(elapsed)
    return {
        "status": max(statuses),
        "queries": queries,
        "ms": round(statistics.median(times), 2),
        "path": requests[0][0],
    }


def interaction_requests(username: str, slug: str) -> dict[str, list[tuple[str, dict]]]:
    """EDITS requests for each interaction, on the lead's account's own data."""
    from django.urls import reverse

    from accounts.models import KeyAccount
    from touchpoints.models import Touchpoint

    account = KeyAccount.objects.get(slug=slug)
    seat = account.team_members.filter(user__username=username).first()
    if seat is None:
        raise SystemExit(f"{username} is not on the team of {slug}")
    task = account.raci_tasks.order_by("pk").first()
    # A role without the task's A or R: its C goes on and off again, always allowed.
    leading = set(task.assignments.filter(letter__in=["A", "R"]).values_list("role_id", flat=True))
    role_ids = account.team_members.order_by("role_id").values_list("role_id", flat=True)
    role = next(r for r in role_ids if r not in leading)
    toggle = reverse("raci:toggle", args=[slug])
    contact = account.contacts.order_by("pk").first()
    year = timezone.localdate().year
    create = reverse("touchpoints:create", args=[slug])
    new = {
        "contact": contact.pk,
        "quarter": 4,
        "year": year,
        "kind": "content",
        "title": "Bench touchpoint",
        "owner": seat.pk,
        "status": "planned",
        "date": "",
    }
    open_ones = account.touchpoints.filter(status=Touchpoint.Status.PLANNED).order_by("pk")
    open_ones = open_ones[:EDITS]
    done = [
        (
            reverse("touchpoints:done", args=[slug, tp.pk]),
            {"outcome": "Went well.", "version": tp.version},
        )
        for tp in open_ones
    ]
    if len(done) < EDITS:
        raise SystemExit(f"{slug} has fewer than {EDITS} planned touchpoints")
    return {
        "raci_toggle": [(toggle, {"cell": f"{task.pk}:{role}:C"})] * EDITS,
        "touchpoint_add": [
            (create, {**new, "title": f"Bench touchpoint {i}"}) for i in range(EDITS)
        ],
        "touchpoint_done": done,
    }


def measure_interactions(username: str, slug: str) -> dict:
    client = _client(cookie_for(username))
    client.get("/")  # warm up imports and this viewer's caches
    return {
        name: _interaction(client, requests)
        for name, requests in interaction_requests(username, slug).items()
    }


def print_profile(cookie: str, path: str, n: int, cold: bool) -> None:
    import cProfile
    import pstats

    client = _client(cookie)
    client.get(path)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    for _ in range(n):
        if cold:
            cache.clear()
        profiler.enable()
        client.get(path)
        profiler.disable()
    kind = "full render" if cold else "as a browser sees it"
    print(f"{path} ({kind}): {(time.perf_counter() - started) / n * 1000:.1f} ms per request")
    stats = pstats.Stats(profiler).sort_stats("tottime")
    stats.print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)


def main() -> None:
    command, *args = sys.argv[1:]
    if command == "sessions":
        result: object = {name: cookie_for(name) for name in args}
    elif command == "queries":
        pages = json.loads(Path(args[0]).read_text())
        result = {p["name"]: measure(p["path"], p.get("cookie")) for p in pages}
    elif command == "interactions":
        username, slug = args
        result = measure_interactions(username, slug)
    elif command == "profile":
        username, path, *rest = args
        cold = "--cold" in rest
        numbers = [int(r) for r in rest if r.isdigit()]
        print_profile(cookie_for(username), path, numbers[0] if numbers else 20, cold)
        return
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
