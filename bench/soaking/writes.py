"""The soak's write phase: 32 leads write at once, then every accepted write is
checked in the database."""

from __future__ import annotations

import time
from typing import Any

from bench.common import Gunicorn, log, probe
from bench.soaking.writer import Writer

WRITE_ACCOUNTS = range(10, 18)
EDITS_PER_WRITER = 12


def writer_specs(cur: Any, year: int) -> tuple[list[tuple], list[str]]:
    """(username, slug, plan id, touchpoints) for the GKAM and three NKAMs of each
    write account: each lead gets every fourth of 48 planned touchpoints."""
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
    return writers_spec, usernames


def run_writers(
    server: Gunicorn, sessions: dict, writers_spec: list[tuple], seconds: int
) -> tuple[list[Writer], float]:
    """Start every writer at once and wait for all; the writers and the seconds taken."""
    deadline = time.monotonic() + seconds
    writers = [
        Writer(n, server.port, sessions[u], slug, plan_id, tps, EDITS_PER_WRITER, deadline)
        for n, (u, slug, plan_id, tps) in enumerate(writers_spec)
    ]
    started = time.monotonic()
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    return writers, round(time.monotonic() - started, 1)


def check_touchpoints(cur: Any, writers: list[Writer]) -> tuple[list, list[int]]:
    """The accepted "done" posts, and those whose touchpoint is not done with their outcome."""
    done_accepted = [x for w in writers for x in w.done_accepted]
    cur.execute(
        "SELECT id, status, outcome FROM touchpoints_touchpoint WHERE id = ANY(%s)",
        [[tp for tp, _ in done_accepted]],
    )
    rows = {r[0]: (r[1], r[2]) for r in cur.fetchall()}
    done_missing = [tp for tp, marker in done_accepted if rows.get(tp) != ("done", marker)]
    return done_accepted, done_missing


def check_plans(
    cur: Any, writers: list[Writer], plan_ids: list[int], start_versions: dict[int, int]
) -> tuple[list, list[str]]:
    """The accepted plan saves, and what is wrong with the plans in the database."""
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
    return plan_accepted, plan_problems


def status_totals(writers: list[Writer], kind: str) -> dict[int, int]:
    """Answers by HTTP status over all writers, for "done", "plan" or "get"."""
    out: dict[int, int] = {}
    for w in writers:
        for status, n in w.statuses[kind].items():
            out[status] = out.get(status, 0) + n
    return out


def phase_writes(server: Gunicorn, env: dict, seed: dict, seconds: int) -> dict:
    log("phase 4: 32 leads writing at once (touchpoints done, plan saves)")
    import psycopg2

    dsn = env["DATABASE_URL"]
    db = psycopg2.connect(dsn)
    db.autocommit = True
    cur = db.cursor()
    writers_spec, usernames = writer_specs(cur, seed["year"])
    plan_ids = sorted({spec[2] for spec in writers_spec})
    cur.execute("SELECT id, version FROM accounts_keyaccountplan WHERE id = ANY(%s)", [plan_ids])
    start_versions = dict(cur.fetchall())

    sessions = probe(env, "sessions", *usernames)
    writers, elapsed = run_writers(server, sessions, writers_spec, seconds)

    # Every accepted write must be in the database.
    done_accepted, done_missing = check_touchpoints(cur, writers)
    plan_accepted, plan_problems = check_plans(cur, writers, plan_ids, start_versions)
    db.close()
    return summarize(
        writers, elapsed, done_accepted, done_missing, plan_accepted, plan_problems, plan_ids
    )


def summarize(
    writers: list[Writer],
    elapsed: float,
    done_accepted: list,
    done_missing: list[int],
    plan_accepted: list,
    plan_problems: list[str],
    plan_ids: list[int],
) -> dict:
    """The phase's result, logged; ok if writes were accepted, every accepted one is in
    the database, and no request failed otherwise than with a plan conflict (409)."""
    errors = [e for w in writers for e in w.errors]
    requests = sum(sum(status_totals(writers, k).values()) for k in ("done", "plan", "get"))
    result = {
        "writers": len(writers),
        "seconds": elapsed,
        "requests": requests,
        "requests_per_s": round(requests / elapsed, 1),
        "touchpoint_done_posts": status_totals(writers, "done"),
        "plan_posts": status_totals(writers, "plan"),
        "form_gets": status_totals(writers, "get"),
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
