"""`make bench`: seed PostgreSQL, run gunicorn, drive wrk, report and compare.

Two volumes (--volumes 500,50 by default), each in its own database created
from one migrated template. For each: seed (bench/seed.py), start gunicorn
with production settings, create logged-in sessions, count SQL queries per
page in-process (bench/probe.py), then wrk each page for a fixed time at a
fixed concurrency (/healthz/ first and last; its mean is the reference).
At the largest volume also the touchpoint grid of an account with 10 and
one with 200 touchpoints. Writes bench/report.json, prints the tables, and
exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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
    psql,
    recreate_db,
    run_py,
    wrk,
)
from bench.results import (
    INTERACTION_MS,
    INTERACTION_QUERIES,
    RENDER_GROWTH,
    RENDER_MULTIPLE,
    RENDER_TARGET_MS,
    TARGET_RATIO,
    check_targets,
    first_renders,
    print_tables,
)

TEMPLATE_DB = "kamteam_bench_tmpl"


def db_name(volume: int, largest: int) -> str:
    return "kamteam_bench" if volume == largest else f"kamteam_bench{volume}"


def pages_for(summary: dict, sessions: dict, with_growth: bool) -> list[dict]:
    slug, year = summary["typical_account"], summary["year"]
    lead, manager = sessions[summary["lead"]], sessions[summary["manager"]]
    pages = [
        # The reference for first renders: one query and a 50-row table through
        # the base template, behind the same middleware (bench/urls.py).
        {"name": "bare", "path": "/bench/bare/", "cookie": lead},
        {"name": "workspace", "path": f"/accounts/{slug}/", "cookie": lead},
        {"name": "raci", "path": f"/accounts/{slug}/raci/", "cookie": lead},
        {
            "name": "touchpoint_grid",
            "path": f"/accounts/{slug}/touchpoints/?year={year}",
            "cookie": lead,
        },
        {"name": "my_roles", "path": "/me/roles/", "cookie": lead},
        {"name": "my_touchpoints", "path": "/me/touchpoints/", "cookie": lead},
        {"name": "portfolio", "path": "/portfolio/", "cookie": manager},
        # The home page: the lead's items, and the manager's portfolio summary.
        {"name": "home", "path": "/", "cookie": lead},
        {"name": "home_manager", "path": "/", "cookie": manager},
        # People pickers (users/pickers.py): the team page, the add form whose
        # <select> holds every active colleague (3,257 at 500 accounts), and
        # the type-ahead's suggestions for three letters.
        {"name": "team", "path": f"/accounts/{slug}/team/", "cookie": lead},
        {"name": "team_add", "path": f"/accounts/{slug}/team/add/", "cookie": lead},
        {"name": "people_pick", "path": f"/pickers/people/?account={slug}&q=bau", "cookie": lead},
        # Global search (search/): the top bar's type-ahead for three letters, as
        # the lead (their accounts) and as the manager (every account), and the
        # results page for a word in every account's RACI tasks.
        {"name": "search_suggest", "path": "/search/suggest/?q=bau", "cookie": lead},
        {"name": "search_suggest_mgr", "path": "/search/suggest/?q=bau", "cookie": manager},
        {"name": "search_page", "path": "/search/?q=framework", "cookie": manager},
    ]
    if with_growth:
        for key, label in (("tp10_account", "grid_10_tp"), ("tp200_account", "grid_200_tp")):
            pages.append(
                {
                    "name": label,
                    "path": f"/accounts/{summary[key]}/touchpoints/?year={year}",
                    "cookie": manager,
                }
            )
    return pages


def seed_volume(volume: int, name: str, env: dict[str, str]) -> tuple[dict, float]:
    """A fresh database from the template, seeded and vacuumed: the seed's summary, seconds."""
    log(f"{volume} accounts: creating database {name}")
    recreate_db(name, template=TEMPLATE_DB)
    started = time.monotonic()
    out = run_py(["bench/seed.py", "--accounts", str(volume)], env)
    summary = json.loads(out[out.index("{") :])
    seed_seconds = round(time.monotonic() - started, 1)
    log(f"{volume} accounts: seeded in {seed_seconds} s: {summary['counts']}")
    # Bulk inserts wake autovacuum, which would then compete with the pages
    # for the CPU in the middle of a measurement: vacuum now, as a database
    # in production long has been.
    psql("VACUUM (ANALYZE)", db=name)
    # And write the seeded pages out now: otherwise the checkpointer writes the
    # 5,000 accounts' gigabyte while the next volume is measured (its bare page
    # took twice as long as the same page measured before it).
    psql("CHECKPOINT", db=name)
    return summary, seed_seconds


def measure_inprocess(env: dict[str, str], pages: list[dict]) -> dict:
    """Queries and in-process times per page (bench/probe.py); every page must answer 200."""
    pages_file = Path(tempfile.mkstemp(suffix=".json")[1])
    pages_file.write_text(json.dumps(pages))
    inprocess = probe(env, "queries", str(pages_file))
    pages_file.unlink()
    for page in pages:
        if inprocess[page["name"]]["status"] != 200:
            raise SystemExit(f"{page['path']} answered {inprocess[page['name']]['status']}")
    return inprocess


def run_wrk(server: Gunicorn, pages: list[dict], args: argparse.Namespace, volume: int) -> dict:
    """Warm every worker, then wrk /healthz/, each page and /healthz/ again."""
    results: dict[str, dict] = {}
    cookie_of = {p["name"]: p["cookie"] for p in pages}
    for page in pages:  # warm every worker's caches and imports
        for _ in range(3 * args.workers):
            server.status(page["path"], cookie_of[page["name"]])
    opts = {"seconds": args.seconds, "connections": args.connections, "threads": args.threads}
    runs = [("healthz", "/healthz/", "")]
    runs += [(p["name"], p["path"], cookie_of[p["name"]]) for p in pages]
    runs += [("healthz_end", "/healthz/", "")]
    for label, path, cookie in runs:
        result = wrk(server.base + path, cookie=cookie, **opts)
        result["path"] = path
        results[label] = result
        log(
            f"{volume} accounts: {label:15s} {result['rps']:8.1f} req/s  "
            f"p95 {result['latency_ms']['p95']:7.1f} ms  errors {result['error_count']}"
        )
    return results


def page_rows(results: dict, inprocess: dict, health_rps: float) -> dict:
    """The report's row per wrk run, with the in-process numbers of the page."""
    rows = {}
    for label, result in results.items():
        row = {
            "path": result["path"],
            "rps": round(result["rps"], 1),
            "latency_ms": result["latency_ms"],
            "requests": result["requests"],
            "errors": result["errors"],
            "error_count": result["error_count"],
            "ratio": round(result["rps"] / health_rps, 3),
        }
        if label in inprocess:
            row.update(
                {
                    key: inprocess[label][key]
                    for key in ("queries", "bytes", "inprocess_ms", "render_queries", "render_ms")
                }
            )
        rows[label] = row
    return rows


def run_volume(volume: int, args: argparse.Namespace, static_root: str, largest: int) -> dict:
    name = db_name(volume, largest)
    secret = new_secret()
    env = app_env(db_url(name), static_root, secret)
    summary, seed_seconds = seed_volume(volume, name, env)

    sessions = probe(env, "sessions", summary["lead"], summary["manager"])
    pages = pages_for(summary, sessions, with_growth=volume == largest)
    inprocess = measure_inprocess(env, pages)

    server = Gunicorn(env, args.port, args.workers, BENCH / "gunicorn-bench.log")
    server.start()
    try:
        results = run_wrk(server, pages, args, volume)
    finally:
        server.stop()

    # After wrk: these write (a letter toggled, touchpoints added and marked done).
    interactions = probe(env, "interactions", summary["lead"], summary["typical_account"])
    health_rps = (results["healthz"]["rps"] + results["healthz_end"]["rps"]) / 2
    return {
        "interactions": interactions,
        "accounts": volume,
        "database": name,
        "seed": summary,
        "seed_seconds": seed_seconds,
        "healthz_rps_mean": round(health_rps, 1),
        "pages": page_rows(results, inprocess, health_rps),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volumes", default="500,50")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--out", default=str(BENCH / "report.json"))
    args = parser.parse_args()
    if not 8101 <= args.port <= 8199:
        raise SystemExit("use a port from 8101 to 8199")
    volumes = [int(v) for v in args.volumes.split(",")]
    largest = max(volumes)
    started = time.monotonic()
    (BENCH / "gunicorn-bench.log").unlink(missing_ok=True)

    static_root = tempfile.mkdtemp(prefix="kamteam-bench-static-")
    env = app_env(db_url(TEMPLATE_DB), static_root, new_secret())
    log(f"migrating the template database {TEMPLATE_DB}")
    recreate_db(TEMPLATE_DB)
    migrate(env)
    collectstatic(env)

    report = {
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "config": {
            "seconds": args.seconds,
            "connections": args.connections,
            "threads": args.threads,
            "gunicorn_workers": args.workers,
        },
        "targets": {
            "ratio": TARGET_RATIO,
            "errors": 0,
            "queries": "same at every volume",
            "first_render_ms": RENDER_TARGET_MS,
            "first_render_multiple_of_bare": RENDER_MULTIPLE,
            "first_render_growth": RENDER_GROWTH,
            "interaction_queries": INTERACTION_QUERIES,
            "interaction_ms": INTERACTION_MS,
        },
        "volumes": {},
    }
    for volume in volumes:
        report["volumes"][str(volume)] = run_volume(volume, args, static_root, largest)
    shutil.rmtree(static_root, ignore_errors=True)
    report["first_renders"] = first_renders(report, largest)
    report["misses"] = check_targets(report, largest)
    report["seconds"] = round(time.monotonic() - started, 1)
    Path(args.out).write_text(json.dumps(report, indent=2))
    print_tables(report, largest)
    print(f"\nReport: {args.out} ({report['seconds']} s)")
    if report["misses"]:
        print("Targets missed:\n  " + "\n  ".join(report["misses"]))
        raise SystemExit(1)
    print("All targets met.")


if __name__ == "__main__":
    main()
