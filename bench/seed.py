"""Seed a migrated, empty PostgreSQL database with a benchmark volume, fast.

    DATABASE_URL=postgres://... SECRET_KEY=... python bench/seed.py --accounts 500

Everything goes in with bulk_create (no per-row save, no history rows) and
all users share one precomputed password hash. Per account: 12 team members
over 6 roles, 25 contacts, 15 RACI tasks with about 5 letters each (one A,
one or two R), a three-year plan with targets, objectives and potentials,
100 touchpoints in each of the last and this year, 4 team meetings, 10
relationship pairs, thank-yous, a coaching self-check and last week's health
snapshot (the managers' home page compares with it). The people pool
is 10 x accounts (5,006 at 500 accounts): the first 6.5 x accounts sit on about
two teams each, the others are colleagues in the directory only.

Two accounts are special, for the growth report: the second to last has 10
touchpoints this year, the last 200. Prints a JSON summary with the names
the benchmark drives (lead, manager, typical account, ...). The rows of each
kind are made in bench/seeding/ (people, accounts, plans, raci, touchpoints,
coaching, health); seed() below calls them in a fixed order.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import BuyingCentreRole  # noqa: E402
from bench.seeding.accounts import seed_accounts, seed_contacts, seed_roles, seed_team  # noqa: E402
from bench.seeding.coaching import seed_appreciations, seed_coaching_checks  # noqa: E402
from bench.seeding.health import seed_health_snapshots  # noqa: E402
from bench.seeding.people import seed_user_profiles, seed_users  # noqa: E402
from bench.seeding.plans import seed_plans  # noqa: E402
from bench.seeding.raci import seed_raci  # noqa: E402
from bench.seeding.touchpoints import (  # noqa: E402
    seed_meetings,
    seed_relationships,
    seed_touchpoints,
)
from coaching.models import CoachingQuestion  # noqa: E402


def seed(n_accounts: int, password: str) -> dict:
    """Insert everything, in an order that fixes the primary keys; the JSON summary."""
    rng = random.Random(7)
    today = timezone.localdate()
    year = today.year
    quarter = (today.month - 1) // 3 + 1
    now = timezone.now()
    counts: dict[str, int] = {}

    roles = seed_roles()
    buying = list(BuyingCentreRole.objects.all())
    questions = list(CoachingQuestion.objects.filter(is_active=True))

    users, lead, manager = seed_users(n_accounts, password)
    counts["users"] = len(users) + 1
    seed_user_profiles(users)
    accounts = seed_accounts(n_accounts)
    counts["accounts"] = len(accounts)
    members, team = seed_team(accounts, users, roles)
    counts["team_members"] = len(members)
    contacts, people = seed_contacts(accounts, buying)
    counts["contacts"] = len(contacts)
    counts["plans"] = len(seed_plans(accounts, team, manager, year))
    tasks, assignments = seed_raci(accounts, roles)
    counts["raci_tasks"] = len(tasks)
    counts["raci_assignments"] = len(assignments)
    touchpoints = seed_touchpoints(accounts, people, team, rng, year, quarter)
    counts["touchpoints"] = len(touchpoints)
    seed_meetings(accounts, year, quarter)
    seed_relationships(accounts, people, team)
    seed_appreciations(accounts, team, today)
    seed_coaching_checks(accounts, team, questions, today)
    counts["health_snapshots"] = seed_health_snapshots(accounts, today)
    return {
        "counts": counts,
        "year": year,
        "lead": lead.username,
        "manager": manager.username,
        "password": password,
        "typical_account": accounts[1].slug,
        "tp10_account": accounts[-2].slug,
        "tp200_account": accounts[-1].slug,
        "seeded_at": now.isoformat(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=500)
    parser.add_argument("--password", default="bench-password")
    parser.add_argument("--out", help="write the JSON summary here too")
    args = parser.parse_args()
    started = time.monotonic()
    with transaction.atomic():
        summary = seed(args.accounts, args.password)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    summary["seconds"] = round(time.monotonic() - started, 1)
    text = json.dumps(summary, indent=2)
    if args.out:
        Path(args.out).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
