"""The soak's fault phases: a database restart and a killed worker, each under
background load, with probers that time every request."""

from __future__ import annotations

import http.client
import itertools
import os
import threading
import time

from bench.common import Gunicorn, log
from bench.soaking.cluster import pg_ctl, pg_ready
from bench.soaking.load import load_in_background


class Prober(threading.Thread):
    """GETs one path in a loop; records (time, status, seconds) per request."""

    def __init__(self, port: int, path: str, cookie: str, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.port, self.path, self.cookie, self.stop_event = port, path, cookie, stop
        self.samples: list[tuple[float, int, float]] = []

    def run(self) -> None:
        while not self.stop_event.is_set():
            started = time.monotonic()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
                conn.request("GET", self.path, headers={"Cookie": self.cookie})
                response = conn.getresponse()
                response.read()
                status = response.status
                conn.close()
            except OSError:
                status = 0
            self.samples.append((started, status, time.monotonic() - started))
            time.sleep(0.05)


def run_probers(port: int, targets: list[tuple[str, str]], stop: threading.Event) -> list:
    probers = [Prober(port, path, cookie, stop) for path, cookie in targets]
    for p in probers:
        p.start()
    return probers


def finish(
    load: threading.Thread, stop: threading.Event, probers: list[Prober]
) -> tuple[list[tuple[float, int, float]], list[tuple[float, int, float]]]:
    """Wait for the load, stop the probers; their samples in time order, and the failed ones."""
    load.join()
    stop.set()
    for p in probers:
        p.join()
    samples = sorted(s for p in probers for s in p.samples)
    return samples, [s for s in samples if s[1] != 200]


def phase_db_restart(
    server: Gunicorn, cookie: str, paths: list[str], version: str, cluster: str, port: int
) -> dict:
    log("phase 2: PostgreSQL restart in the middle of a 40 s run")
    master = server.proc.pid
    stop = threading.Event()
    probers = run_probers(
        server.port, [("/healthz/", ""), (paths[1], cookie), (paths[2], cookie)], stop
    )
    load, box = load_in_background(server, cookie, paths, 40)
    time.sleep(15)
    t_down = time.monotonic()
    pg_ctl(version, cluster, "restart")
    while not pg_ready(port):
        time.sleep(0.1)
    t_back = time.monotonic()
    samples, failures = finish(load, stop, probers)
    # A request is affected by the restart only if it was still running when
    # the restart began: judge failures by the time they were answered.
    outside = [s for s in failures if not (t_down <= s[0] + s[2] <= t_back + 10)]
    after_back = [s for s in samples if s[0] >= t_back]
    first_ok = next((s for s in after_back if s[1] == 200), None)
    last_fail = max((s[0] + s[2] for s in failures), default=None)
    recovered_after = round(first_ok[0] + first_ok[2] - t_back, 2) if first_ok else None
    last_fail_after = round(last_fail - t_back, 2) if last_fail is not None else None
    same_master = server.proc.poll() is None and server.proc.pid == master
    ok = (
        not outside
        and recovered_after is not None
        and recovered_after <= 10
        and (last_fail_after is None or last_fail_after <= 10)
        and same_master
    )
    result = {
        "restart_seconds": round(t_back - t_down, 2),
        "probe_requests": len(samples),
        "probe_failures": len(failures),
        "probe_failures_outside_window": len(outside),
        "failure_statuses": sorted({s[1] for s in failures}),
        "first_200_after_db_back_s": recovered_after,
        "last_failure_after_db_back_s": last_fail_after,
        "gunicorn_master_unchanged": same_master,
        "wrk": box.get("wrk"),
        "ok": ok,
    }
    log(
        f"  restart took {result['restart_seconds']} s; probers: {len(samples)} requests, "
        f"{len(failures)} failed ({len(outside)} outside the window), first 200 "
        f"{recovered_after} s after the database was back, last failure "
        f"{last_fail_after} s; wrk errors {box.get('wrk', {}).get('errors')} -> "
        f"{'OK' if ok else 'MISS'}"
    )
    return result


def phase_worker_kill(server: Gunicorn, cookie: str, paths: list[str]) -> dict:
    log("phase 3: SIGKILL one gunicorn worker in the middle of a 30 s run")
    stop = threading.Event()
    probers = run_probers(server.port, [("/healthz/", ""), (paths[1], cookie)], stop)
    load, box = load_in_background(server, cookie, paths, 30)
    time.sleep(10)
    before = server.worker_pids()
    victim = before[0]
    t_kill = time.monotonic()
    os.kill(victim, 9)
    replaced_after = None
    while time.monotonic() - t_kill < 15:
        now = server.worker_pids()
        if victim not in now and len(now) == len(before):
            replaced_after = round(time.monotonic() - t_kill, 2)
            break
        time.sleep(0.1)
    samples, failures = finish(load, stop, probers)
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(samples)]
    result = {
        "killed_pid": victim,
        "workers_before": len(before),
        "replaced_after_s": replaced_after,
        "workers_after": len(server.worker_pids()),
        "probe_requests": len(samples),
        "probe_failures": len(failures),
        "longest_probe_gap_s": round(max(gaps, default=0), 2),
        "wrk": box.get("wrk"),
    }
    wrk_errors = box["wrk"]["error_count"] if box.get("wrk") else None
    # Sync workers hold one connection each: that one request may be lost.
    result["ok"] = (
        replaced_after is not None
        and len(failures) <= 1
        and wrk_errors is not None
        and wrk_errors <= 1
        and server.proc.poll() is None
    )
    log(
        f"  killed worker {victim}; replaced after {replaced_after} s; probers: "
        f"{len(samples)} requests, {len(failures)} failed, longest gap "
        f"{result['longest_probe_gap_s']} s; wrk {box['wrk']['requests']} requests, errors "
        f"{box['wrk']['errors']} -> {'OK' if result['ok'] else 'MISS'}"
    )
    return result
