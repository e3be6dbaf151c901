"""`make soak`: load and faults against gunicorn on loopback, bounded in time.

Runs on a dedicated throwaway PostgreSQL cluster (default: version from
/etc/postgresql, name kamsoak, port 5544), created on first use with trust
authentication for local TCP, because phase 2 restarts it: the shared main
cluster on 5432 is never touched. Phases:

1. steady: wrk, 32 connections for 60 s over /healthz/ and a lead's heaviest
   pages. Target: zero errors.
2. database restart: wrk load plus timed probers; `pg_ctlcluster ... restart`
   of the soak cluster mid-run. Target: failures only inside the restart
   window, the app answers 200 again within 10 s of the database being back,
   same gunicorn master throughout.
3. worker kill: wrk load plus probers; SIGKILL one gunicorn worker mid-run.
   Target: the master replaces it, the probers see no gap, errors at most
   the killed worker's one request in flight.
4. writes: 32 leads at once mark touchpoints done and save plans (4 leads per
   plan, so optimistic-version conflicts happen and are answered 409). Then
   every accepted write (302) is checked in the database: each touchpoint
   done with the outcome sent, each accepted plan save present in the plan's
   history, version = start + accepted saves, current text = last accepted.

Writes bench/soak-report.json and prints the numbers; exits 1 on a miss.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BENCH,
    Gunicorn,
    app_env,
    collectstatic,
    db_url,
    log,
    migrate,
    new_secret,
    probe,
    recreate_db,
    run_py,
    wrk,
)

DB = "kamteam_soak"
ACCOUNTS = 100
WRITE_ACCOUNTS = range(10, 18)
FAULT_CONNECTIONS = 8  # 8 accounts x 4 leads (GKAM + 3 NKAMs) = 32 writers


# --- the throwaway cluster -------------------------------------------------


def pg_version() -> str:
    versions = sorted(os.listdir("/etc/postgresql"), key=lambda v: float(v))
    return versions[-1]


def pg_ctl(version: str, cluster: str, action: str) -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, action],
        check=True,
        capture_output=True,
    )


def pg_ready(port: int) -> bool:
    return (
        subprocess.run(
            ["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(port)], check=False
        ).returncode
        == 0
    )


def ensure_cluster(version: str, cluster: str, port: int) -> None:
    conf = Path("/etc/postgresql") / version / cluster
    if not conf.exists():
        log(f"creating PostgreSQL cluster {version}/{cluster} on port {port}")
        subprocess.run(
            ["pg_createcluster", version, cluster, "--port", str(port)],
            check=True,
            capture_output=True,
        )
        (conf / "pg_hba.conf").write_text(
            "# kamteam soak cluster: throwaway, loopback only, trust.\n"
            "local all all trust\n"
            "host all all 127.0.0.1/32 trust\n"
            "host all all ::1/128 trust\n"
        )
        with (conf / "postgresql.conf").open("a") as f:
            f.write("\nlisten_addresses = '127.0.0.1'\nmax_connections = 100\n")
    if not pg_ready(port):
        pg_ctl(version, cluster, "start")
        for _ in range(60):
            if pg_ready(port):
                break
            time.sleep(0.5)
        else:
            raise SystemExit(f"cluster {version}/{cluster} did not start")


# --- timed probers ----------------------------------------------------------


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


# --- phases -----------------------------------------------------------------


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


# --- writes -----------------------------------------------------------------


class FormParser(HTMLParser):
    """The fields of every <form method=post> of a page, as a browser would send them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file"):
                return
            self._form["fields"].append(
                [name, a.get("value") or ("on" if kind == "checkbox" else "")]
            )
        elif tag == "textarea" and name:
            self._textarea = name
            self._form["fields"].append([name, ""])
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self._form["fields"].append([self._select, a.get("value") or ""])

    def handle_data(self, data: str) -> None:
        if self._textarea and self._form:
            self._form["fields"][-1][1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


class Writer(threading.Thread):
    """One lead: marks their share of touchpoints done and saves their account's plan."""

    def __init__(self, n: int, port: int, cookie: str, slug: str, plan_id: int, tps: list[int],
                 edits: int, deadline: float) -> None:  # fmt: skip
        super().__init__(daemon=True)
        self.n, self.port, self.slug = n, port, slug
        self.plan_id, self.tps, self.edits, self.deadline = plan_id, tps, edits, deadline
        # `cookie` is "sessionid=...; csrftoken=...", as probe.py's sessions gives it.
        jar = dict(part.strip().split("=", 1) for part in cookie.split(";"))
        self.session, self.csrf = jar["sessionid"], jar.get("csrftoken", "")
        self.statuses: dict[str, dict[int, int]] = {"done": {}, "plan": {}, "get": {}}
        self.done_accepted: list[tuple[int, str]] = []
        self.plan_accepted: list[tuple[int, int, str]] = []  # (plan, expected version, marker)
        self.conflicts = 0
        self.errors: list[str] = []

    def _request(self, method: str, path: str, body: str = "") -> tuple[int, str]:
        cookie = f"sessionid={self.session}" + (f"; csrftoken={self.csrf}" if self.csrf else "")
        headers = {"Cookie": cookie}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie" and value.startswith("csrftoken="):
                    self.csrf = value.split(";", 1)[0].split("=", 1)[1]
            return response.status, text
        finally:
            conn.close()

    def _form(self, path: str, must_have: str) -> list[list[str]] | None:
        status, html = self._request("GET", path)
        self.statuses["get"][status] = self.statuses["get"].get(status, 0) + 1
        if status != 200:
            self.errors.append(f"GET {path}: {status}")
            return None
        parser = FormParser()
        parser.feed(html)
        for form in parser.forms:
            if any(name == must_have for name, _ in form["fields"]):
                return form["fields"]
        self.errors.append(f"GET {path}: no form with {must_have}")
        return None

    def mark_done(self, tp: int) -> None:
        path = f"/accounts/{self.slug}/touchpoints/{tp}/done/"
        fields = self._form(path, "outcome")
        if fields is None:
            return
        marker = f"soak-done-{self.n}-{tp}-{time.monotonic_ns()}"
        data = [(k, v) for k, v in fields if k != "outcome"] + [("outcome", marker)]
        status, _ = self._request("POST", path, urlencode(data))
        self.statuses["done"][status] = self.statuses["done"].get(status, 0) + 1
        if status == 302:
            self.done_accepted.append((tp, marker))
        else:
            self.errors.append(f"POST {path}: {status}")

    def edit_plan(self, attempt: int) -> None:
        path = f"/accounts/{self.slug}/plans/{self.plan_id}/edit/"
        fields = self._form(path, "version")
        if fields is None:
            return
        version = int(next(v for k, v in fields if k == "version"))
        marker = f"soak-plan-{self.n}-{attempt}-{time.monotonic_ns()}"
        data = [(k, v) for k, v in fields if k != "strategy"] + [("strategy", marker)]
        status, _ = self._request("POST", path, urlencode(data))
        self.statuses["plan"][status] = self.statuses["plan"].get(status, 0) + 1
        if status == 302:
            self.plan_accepted.append((self.plan_id, version, marker))
        elif status == 409:
            self.conflicts += 1
        else:
            self.errors.append(f"POST {path}: {status}")

    def run(self) -> None:
        jobs = [("done", tp) for tp in self.tps] + [("plan", i) for i in range(self.edits)]
        # Interleave: done, plan, done, plan, ...
        jobs.sort(key=lambda job: job[1] if job[0] == "plan" else self.tps.index(job[1]))
        for kind, arg in jobs:
            if time.monotonic() > self.deadline:
                break
            try:
                if kind == "done":
                    self.mark_done(arg)
                else:
                    self.edit_plan(arg)
            except OSError as exc:
                self.errors.append(f"{kind} {arg}: {exc}")


def phase_writes(server: Gunicorn, env: dict, seed: dict, seconds: int) -> dict:
    log("phase 4: 32 leads writing at once (touchpoints done, plan saves)")
    import psycopg2

    dsn = env["DATABASE_URL"]
    db = psycopg2.connect(dsn)
    db.autocommit = True
    cur = db.cursor()
    year = seed["year"]
    writers_spec = []
    usernames = []
    for i in WRITE_ACCOUNTS:
        slug = f"bench-{i:04d}"
        cur.execute(
            "SELECT p.id, p.version FROM accounts_keyaccountplan p JOIN accounts_keyaccount a "
            "ON a.id = p.account_id WHERE a.slug = %s",
            [slug],
        )
        plan_id, _ = cur.fetchone()
        cur.execute(
            "SELECT t.id FROM touchpoints_touchpoint t JOIN accounts_keyaccount a "
            "ON a.id = t.account_id WHERE a.slug = %s AND t.year = %s AND t.status = 'planned' "
            "ORDER BY t.id LIMIT 48",
            [slug, year],
        )
        tps = [r[0] for r in cur.fetchall()]
        for k in range(4):  # GKAM and the three NKAMs lead the account
            username = f"bench-{i * 6 + k:05d}"
            usernames.append(username)
            writers_spec.append((username, slug, plan_id, tps[k::4]))
    plan_ids = sorted({spec[2] for spec in writers_spec})
    cur.execute("SELECT id, version FROM accounts_keyaccountplan WHERE id = ANY(%s)", [plan_ids])
    start_versions = dict(cur.fetchall())

    sessions = probe(env, "sessions", *usernames)
    deadline = time.monotonic() + seconds
    writers = [
        Writer(n, server.port, sessions[u], slug, plan_id, tps, 12, deadline)
        for n, (u, slug, plan_id, tps) in enumerate(writers_spec)
    ]
    started = time.monotonic()
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    elapsed = round(time.monotonic() - started, 1)

    # Every accepted write must be in the database.
    done_accepted = [x for w in writers for x in w.done_accepted]
    cur.execute(
        "SELECT id, status, outcome FROM touchpoints_touchpoint WHERE id = ANY(%s)",
        [[tp for tp, _ in done_accepted]],
    )
    rows = {r[0]: (r[1], r[2]) for r in cur.fetchall()}
    done_missing = [tp for tp, marker in done_accepted if rows.get(tp) != ("done", marker)]
    plan_accepted = [x for w in writers for x in w.plan_accepted]
    cur.execute("SELECT id, version, strategy FROM accounts_keyaccountplan WHERE id = ANY(%s)",
                [plan_ids])  # fmt: skip
    final = {r[0]: (r[1], r[2]) for r in cur.fetchall()}
    cur.execute(
        "SELECT strategy FROM accounts_historicalkeyaccountplan WHERE id = ANY(%s) "
        "AND strategy LIKE 'soak-plan-%%'",
        [plan_ids],
    )
    in_history = {r[0] for r in cur.fetchall()}
    plan_problems = []
    for plan_id in plan_ids:
        accepted = sorted((v, m) for p, v, m in plan_accepted if p == plan_id)
        versions = [v for v, _ in accepted]
        expected_final = start_versions[plan_id] + len(accepted)
        if final[plan_id][0] != expected_final:
            plan_problems.append(
                f"plan {plan_id}: version {final[plan_id][0]}, expected {expected_final}"
            )
        if len(set(versions)) != len(versions):
            plan_problems.append(f"plan {plan_id}: two saves accepted from one version")
        if accepted and final[plan_id][1] != accepted[-1][1]:
            plan_problems.append(f"plan {plan_id}: current text is not the last accepted save")
        missing = [m for _, m in accepted if m not in in_history]
        if missing:
            plan_problems.append(f"plan {plan_id}: {len(missing)} accepted saves not in history")
    db.close()

    def total(kind: str) -> dict[int, int]:
        out: dict[int, int] = {}
        for w in writers:
            for status, n in w.statuses[kind].items():
                out[status] = out.get(status, 0) + n
        return out

    errors = [e for w in writers for e in w.errors]
    requests = sum(sum(total(k).values()) for k in ("done", "plan", "get"))
    result = {
        "writers": len(writers),
        "seconds": elapsed,
        "requests": requests,
        "requests_per_s": round(requests / elapsed, 1),
        "touchpoint_done_posts": total("done"),
        "plan_posts": total("plan"),
        "form_gets": total("get"),
        "touchpoints_accepted": len(done_accepted),
        "touchpoints_missing_in_db": len(done_missing),
        "plan_saves_accepted": len(plan_accepted),
        "plan_conflicts_409": sum(w.conflicts for w in writers),
        "plans": len(plan_ids),
        "plan_problems": plan_problems,
        "unexpected": errors[:20],
        "unexpected_count": len(errors),
    }
    result["ok"] = not done_missing and not plan_problems and not errors and len(done_accepted) > 0
    log(
        f"  {len(writers)} writers, {requests} requests in {elapsed} s: touchpoints done "
        f"{len(done_accepted)} accepted, {len(done_missing)} missing; plan saves "
        f"{len(plan_accepted)} accepted, {result['plan_conflicts_409']} conflicts (409), "
        f"problems {plan_problems or 'none'}; unexpected answers {len(errors)} -> "
        f"{'OK' if result['ok'] else 'MISS'}"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cluster", default="kamsoak")
    parser.add_argument("--pg-port", type=int, default=5544)
    parser.add_argument("--port", type=int, default=8102)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--steady-seconds", type=int, default=60)
    parser.add_argument("--write-seconds", type=int, default=60)
    parser.add_argument("--out", default=str(BENCH / "soak-report.json"))
    args = parser.parse_args()
    if not 8101 <= args.port <= 8199:
        raise SystemExit("use a port from 8101 to 8199")
    if args.pg_port == 5432:
        raise SystemExit("the soak restarts its cluster: never use the shared one on 5432")
    started = time.monotonic()
    (BENCH / "gunicorn-soak.log").unlink(missing_ok=True)
    version = pg_version()
    ensure_cluster(version, args.cluster, args.pg_port)

    static_root = tempfile.mkdtemp(prefix="kamteam-soak-static-")
    env = app_env(db_url(DB, args.pg_port), static_root, new_secret())
    log(f"seeding {DB} on the {version}/{args.cluster} cluster ({ACCOUNTS} accounts)")
    recreate_db(DB, args.pg_port)
    migrate(env)
    collectstatic(env)
    out = run_py(["bench/seed.py", "--accounts", str(ACCOUNTS)], env)
    seed = json.loads(out[out.index("{") :])
    sessions = probe(env, "sessions", seed["lead"])
    cookie = sessions[seed["lead"]]
    slug, year = seed["typical_account"], seed["year"]
    paths = [
        "/healthz/",
        f"/accounts/{slug}/",
        f"/accounts/{slug}/raci/",
        f"/accounts/{slug}/touchpoints/?year={year}",
        "/me/roles/",
        "/me/touchpoints/",
    ]

    server = Gunicorn(env, args.port, args.workers, BENCH / "gunicorn-soak.log")
    server.start()
    report: dict = {
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "cluster": f"{version}/{args.cluster} port {args.pg_port}",
        "accounts": ACCOUNTS,
        "gunicorn_workers": args.workers,
    }
    try:
        for _ in range(3 * args.workers):
            for path in paths:
                server.status(path, cookie)
        report["steady"] = phase_steady(server, cookie, paths, args.steady_seconds)
        # The fault phases: /healthz/, the workspace and my touchpoints.
        light = [paths[0], paths[1], paths[5]]
        report["db_restart"] = phase_db_restart(
            server, cookie, light, version, args.cluster, args.pg_port
        )
        report["worker_kill"] = phase_worker_kill(server, cookie, light)
        report["writes"] = phase_writes(server, env, seed, args.write_seconds)
    finally:
        server.stop()
        shutil.rmtree(static_root, ignore_errors=True)
    report["seconds"] = round(time.monotonic() - started, 1)
    phases = ("steady", "db_restart", "worker_kill", "writes")
    report["misses"] = [p for p in phases if not report[p]["ok"]]
    Path(args.out).write_text(json.dumps(report, indent=2))
    print(f"\nSoak report: {args.out} ({report['seconds']} s)")
    for p in phases:
        print(f"  {p:12s} {'OK' if report[p]['ok'] else 'MISS'}")
    if report["misses"]:
        raise SystemExit(1)
    print("All soak targets met.")


if __name__ == "__main__":
    main()
