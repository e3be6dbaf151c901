"""In-process side of the benchmark, run with the same environment as gunicorn.

    python bench/probe.py sessions bench-lead bench-manager
        -> {"bench-lead": "<session key>", ...}: logged-in sessions in the database
    python bench/probe.py queries pages.json
        -> for each page: status, SQL queries per request, bytes, median ms

    python bench/probe.py profile <username> <path> [n]
        -> cProfile of n renders (default 20), top functions by own time

`queries` reads [{"name", "path", "session"}] and renders each page with
Django's test Client against the same database and settings: one warm-up
request, then queries counted with CaptureQueriesContext on the second, and
the median wall time of five more.
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

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from profiles.models import User  # noqa: E402

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


def measure(path: str, session: str | None) -> dict:
    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else None)
    if session:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    # Read now: the next request clears the connection's query log.
    queries = list(captured.captured_queries)
    times = []
    for _ in range(5):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "status": response.status_code,
        "queries": len(queries),
        "bytes": len(response.content),
        "inprocess_ms": round(statistics.median(times), 2),
        "sql": [(q["time"], q["sql"][:400]) for q in queries]
        if os.environ.get("BENCH_SHOW_SQL")
        else None,
    }


def print_profile(session: str, path: str, n: int) -> None:
    import cProfile
    import pstats

    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else None)
    client.cookies[settings.SESSION_COOKIE_NAME] = session
    client.get(path)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(n):
        client.get(path)
    profiler.disable()
    print(f"{path}: {(time.perf_counter() - started) / n * 1000:.1f} ms per request")
    stats = pstats.Stats(profiler).sort_stats("tottime")
    stats.print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)


def main() -> None:
    command, *args = sys.argv[1:]
    if command == "sessions":
        result: object = {name: session_for(name) for name in args}
    elif command == "queries":
        pages = json.loads(Path(args[0]).read_text())
        result = {p["name"]: measure(p["path"], p.get("session")) for p in pages}
    elif command == "profile":
        username, path, *rest = args
        print_profile(session_for(username), path, int(rest[0]) if rest else 20)
        return
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
