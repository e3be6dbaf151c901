"""gunicorn's configuration for kamteam behind nginx (deploy/nginx/kamteam.conf).

Run from the checkout, with the environment file loaded (the systemd unit
deploy/systemd/kamteam-web.service does both):

    .venv/bin/gunicorn -c deploy/gunicorn.conf.py

Everything an installation may want to change comes from the environment
(deploy/env.example lists it); the rest is fixed here, with the reason.
"""

from __future__ import annotations

import os

# Server hooks for Prometheus (README, "Observability"): with
# PROMETHEUS_MULTIPROC_DIR set, /metrics adds up every worker's counters;
# without it they do nothing. gunicorn puts the working directory (the
# checkout) on the import path before it reads this file.
from core.metrics import child_exit, on_starting  # noqa: F401


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number; got {raw!r}") from None
    if value < 1:
        raise SystemExit(f"{name} must be 1 or more; got {value}")
    return value


def _cores() -> int:
    # The cores this process may run on (a cgroup or taskset may allow fewer
    # than the machine has).
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


wsgi_app = "kamteam.wsgi:application"
proc_name = "kamteam"

# Loopback only: nginx in front terminates TLS and is the only client. A unix
# socket works too: GUNICORN_BIND=unix:/run/kamteam/gunicorn.sock, and the
# same address in the nginx site (render.py --upstream).
bind = [os.environ.get("GUNICORN_BIND", "").strip() or "127.0.0.1:8000"]

# Rendering a page is Python work under the GIL, with short waits on
# PostgreSQL in between: gunicorn's rule of two processes per core plus one
# keeps every core busy while some workers wait on the database. One thread
# each (the sync worker) is what `make bench` and `make soak` measure, and
# nginx buffers slow clients, so no worker waits on the network. Each worker
# keeps its own fragment cache and a database connection (CONN_MAX_AGE) per
# thread: PostgreSQL's max_connections must exceed workers x threads on every
# app server, plus the task worker's.
workers = _env_int("GUNICORN_WORKERS", 2 * _cores() + 1)
threads = _env_int("GUNICORN_THREADS", 1)  # above 1, gunicorn runs the gthread worker

# A worker silent for 30 s is stuck, not slow: gunicorn kills and replaces it
# (nginx answers 502 for that request). A reload or stop lets the requests in
# flight finish for up to 20 s.
timeout = _env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 20

# Only the proxy on this machine may say the request came over HTTPS
# (X-Forwarded-Proto); Django trusts that header with BEHIND_TLS_PROXY=1.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "").strip() or "127.0.0.1,::1"

# Both logs to stdout/stderr: the journal keeps them (journalctl -u kamteam-web).
# An access line names the client as nginx saw it (X-Forwarded-For), carries
# the request id kamteam's own log lines show (nginx's X-Request-ID), and ends
# with the request's duration in milliseconds.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "").strip() or "info"
access_log_format = (
    '%({x-forwarded-for}i)s [%({x-request-id}i)s] "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
)
