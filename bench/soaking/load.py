"""The soak's wrk load: the steady phase, and the background load of the fault phases."""

from __future__ import annotations

import threading

from bench.common import Gunicorn, log, wrk

FAULT_CONNECTIONS = 8  # 8 accounts x 4 leads (GKAM + 3 NKAMs) = 32 writers


def phase_steady(server: Gunicorn, cookie: str, paths: list[str], seconds: int) -> dict:
    log(f"phase 1: 32 connections for {seconds} s over {len(paths)} paths")
    result = wrk(
        server.base + "/", cookie=cookie, seconds=seconds, connections=32, timeout=30, paths=paths
    )
    ok = result["error_count"] == 0
    log(
        f"  {result['requests']} requests, {result['rps']:.1f} req/s, p99 "
        f"{result['latency_ms']['p99']:.0f} ms, errors {result['errors']} -> "
        f"{'OK' if ok else 'MISS'}"
    )
    return {"wrk": result, "ok": ok}


def load_in_background(server: Gunicorn, cookie: str, paths: list[str], seconds: int) -> tuple:
    """Background load for the fault phases: 8 connections over the lighter pages,
    so that queueing does not hide how fast the app itself recovers."""
    box: dict = {}

    def go() -> None:
        box["wrk"] = wrk(
            server.base + "/",
            cookie=cookie,
            seconds=seconds,
            connections=FAULT_CONNECTIONS,
            timeout=30,
            paths=paths,
        )

    thread = threading.Thread(target=go, daemon=True)
    thread.start()
    return thread, box
