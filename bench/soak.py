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

Writes bench/soak-report.json and prints the numbers; exits 1 on a miss. The
parts are in bench/soaking/: cluster, load (steady), faults, writer and writes.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

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
)
from bench.soaking.cluster import ensure_cluster, pg_version
from bench.soaking.faults import phase_db_restart, phase_worker_kill
from bench.soaking.load import phase_steady
from bench.soaking.writes import phase_writes

DB = "kamteam_soak"
ACCOUNTS = 100
PHASES = ("steady", "db_restart", "worker_kill", "writes")


def parse_args() -> argparse.Namespace:
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
    return args


def prepare(args: argparse.Namespace, version: str) -> tuple[dict, str, dict]:
    """A fresh, migrated and seeded soak database and collected static files:
    the app's environment, the static root and the seed's summary."""
    static_root = tempfile.mkdtemp(prefix="kamteam-soak-static-")
    env = app_env(db_url(DB, args.pg_port), static_root, new_secret())
    log(f"seeding {DB} on the {version}/{args.cluster} cluster ({ACCOUNTS} accounts)")
    recreate_db(DB, args.pg_port)
    migrate(env)
    collectstatic(env)
    out = run_py(["bench/seed.py", "--accounts", str(ACCOUNTS)], env)
    seed = json.loads(out[out.index("{") :])
    return env, static_root, seed


def lead_paths(seed: dict) -> list[str]:
    """/healthz/ and the lead's heaviest pages, as bench/soak.lua rotates over them."""
    slug, year = seed["typical_account"], seed["year"]
    return [
        "/healthz/",
        f"/accounts/{slug}/",
        f"/accounts/{slug}/raci/",
        f"/accounts/{slug}/touchpoints/?year={year}",
        "/me/roles/",
        "/me/touchpoints/",
    ]


def run_phases(
    report: dict,
    server: Gunicorn,
    env: dict,
    seed: dict,
    cookie: str,
    paths: list[str],
    args: argparse.Namespace,
    version: str,
) -> None:
    """Warm every worker, then the four phases in order; each result into `report`."""
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


def write_report(report: dict, out: str, started: float) -> None:
    """Save and print the report; exit 1 if a phase missed its target."""
    report["seconds"] = round(time.monotonic() - started, 1)
    report["misses"] = [p for p in PHASES if not report[p]["ok"]]
    Path(out).write_text(json.dumps(report, indent=2))
    print(f"\nSoak report: {out} ({report['seconds']} s)")
    for p in PHASES:
        print(f"  {p:12s} {'OK' if report[p]['ok'] else 'MISS'}")
    if report["misses"]:
        raise SystemExit(1)
    print("All soak targets met.")


def main() -> None:
    args = parse_args()
    started = time.monotonic()
    (BENCH / "gunicorn-soak.log").unlink(missing_ok=True)
    version = pg_version()
    ensure_cluster(version, args.cluster, args.pg_port)
    env, static_root, seed = prepare(args, version)
    sessions = probe(env, "sessions", seed["lead"])
    cookie = sessions[seed["lead"]]
    paths = lead_paths(seed)

    server = Gunicorn(env, args.port, args.workers, BENCH / "gunicorn-soak.log")
    server.start()
    report: dict = {
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "cluster": f"{version}/{args.cluster} port {args.pg_port}",
        "accounts": ACCOUNTS,
        "gunicorn_workers": args.workers,
    }
    try:
        run_phases(report, server, env, seed, cookie, paths, args, version)
    finally:
        server.stop()
        shutil.rmtree(static_root, ignore_errors=True)
    write_report(report, args.out, started)


if __name__ == "__main__":
    main()
