"""Seed a migrated, empty PostgreSQL database with a benchmark volume, fast.

    DATABASE_URL=postgres://... SECRET_KEY=... python bench/seed.py --accounts 500

Everything goes in with bulk_create (no per-row save, no history rows) and
all users share one precomputed password hash. Per account: 12 team members
over 6 roles, 25 contacts, 15 RACI tasks with about 5 letters each (one A,
one or two R), a three-year plan with targets, objectives and potentials,
100 touchpoints in each of the last and this year, 4 team meetings, 10
relationship pairs, thank-yous and a coaching self-check. The people pool
is 6.5 x accounts (3,250 at 500 accounts); everybody sits on about two teams.

Two accounts are special, for the growth report: the second to last has 10
touchpoints this year, the last 200. Prints a JSON summary with the names
the benchmark drives (lead, manager, typical account, ...).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import (  # noqa: E402
    AccountTeamMember,
    BuyingCentreRole,
    CustomerContact,
    KeyAccount,
    KeyAccountPlan,
    PlanObjective,
    PlanPotential,
    PlanRevenueTarget,
    TeamRole,
)
from coaching.models import (  # noqa: E402
    Appreciation,
    CoachingAnswer,
    CoachingCheck,
    CoachingQuestion,
)
from portfolio.models import PlanReview  # noqa: E402
from profiles.models import MANAGERS_GROUP, Profile, User  # noqa: E402
from raci.models import RaciAssignment, RaciMatrix, RaciTask  # noqa: E402
from touchpoints.models import RelationshipPair, TeamMeeting, Touchpoint  # noqa: E402

BATCH = 2000
MEMBERS_PER_ACCOUNT = 12
CONTACTS_PER_ACCOUNT = 25
TASKS_PER_ACCOUNT = 15
TOUCHPOINTS_PER_YEAR = 100
# Slot on the team -> (role code, country, core team?)
SLOTS = [
    ("gkam", "", True),
    ("nkam", "DE", True),
    ("nkam", "FR", True),
    ("nkam", "CN", True),
    ("inside-sales", "", True),
    ("inside-sales", "", True),
    ("inside-sales", "", True),
    ("management", "", False),
    ("engineering", "", False),
    ("engineering", "", False),
    ("service", "", False),
    ("service", "", False),
]
ROLE_CODES = ["gkam", "nkam", "inside-sales", "management", "engineering", "service"]
COUNTRIES = ["DE", "FR", "US", "CN", "IT", "ES", "GB", "JP", "NL", "SE"]
INDUSTRIES = ["Machinery", "Automotive", "Chemicals", "Food", "Pharma", "Logistics"]
FIRST = ["Anna", "Ben", "Clara", "David", "Eva", "Felix", "Greta", "Hans", "Ida", "Jan"]
LAST = ["Albers", "Bauer", "Cramer", "Dietrich", "Engel", "Fischer", "Graf", "Hahn", "Iske"]
TASKS = [
    "Negotiate framework contract",
    "Prepare annual plan",
    "Quote national orders",
    "Handle complaints",
    "Technical workshops",
    "Price increases",
    "Forecast volumes",
    "Customer visits",
    "Sample shipments",
    "Trade fair invitations",
    "Quality audits",
    "Payment terms",
    "New product launches",
    "Service level reviews",
    "Executive sponsorship",
]


def bulk(model, rows):  # type: ignore[no-untyped-def]
    return model.objects.bulk_create(rows, batch_size=BATCH)


def seed(n_accounts: int, password: str) -> dict:
    rng = random.Random(7)
    today = timezone.localdate()
    year = today.year
    quarter = (today.month - 1) // 3 + 1
    now = timezone.now()
    counts: dict[str, int] = {}

    # The catalogue has five roles; the benchmark's matrices use six.
    TeamRole.objects.get_or_create(
        code="service",
        defaults={
            "name_en": "Service",
            "name_de": "Service",
            "description_en": "After-sales service",
            "description_de": "Kundendienst",
            "order": 60,
        },
    )
    roles = {r.code: r for r in TeamRole.objects.all()}
    buying = list(BuyingCentreRole.objects.all())
    questions = list(CoachingQuestion.objects.filter(is_active=True))

    # People: one hash for all (hashing 3,000 times would take minutes).
    hashed = make_password(password)
    n_users = n_accounts * 6 + 6 + n_accounts // 2
    users = bulk(
        User,
        [
            User(
                username=f"bench-{u:05d}",
                first_name=FIRST[u % len(FIRST)],
                last_name=f"{LAST[u % len(LAST)]}-{u}",
                email=f"bench-{u:05d}@example.com",
                password=hashed,
            )
            for u in range(n_users)
        ],
    )
    # User 6 is the GKAM of account 1 and inside sales on account 0: a typical lead.
    lead = users[6]
    lead.username = "bench-lead"
    lead.save(update_fields=["username"])
    manager = User.objects.create(
        username="bench-manager", first_name="Monika", last_name="Manager", password=hashed
    )
    manager.groups.add(Group.objects.get(name=MANAGERS_GROUP))
    counts["users"] = len(users) + 1
    bulk(
        Profile,
        [
            Profile(
                user=u,
                primary_colour=["red", "blue", "green", "orange"][i % 4],
                secondary_colour=["blue", "green", "orange", "red"][i % 4],
                share_with_team=True,
            )
            for i, u in enumerate(users)
            if i % 3 == 0
        ],
    )

    accounts = bulk(
        KeyAccount,
        [
            KeyAccount(
                name=f"Bench Account {i:04d}",
                slug=f"bench-{i:04d}",
                industry=INDUSTRIES[i % len(INDUSTRIES)],
                hq_country=COUNTRIES[i % len(COUNTRIES)],
                classification="ABC"[i % 3],
                attractiveness=1 + i % 5,
                relative_position=1 + (i * 3) % 5,
                revenue_last_year=Decimal(100_000 + 1_000 * i),
                revenue_target=Decimal(120_000 + 1_100 * i),
                description="Benchmark account.",
            )
            for i in range(n_accounts)
        ],
    )
    counts["accounts"] = len(accounts)

    members = bulk(
        AccountTeamMember,
        [
            AccountTeamMember(
                account=a,
                user=users[i * 6 + k],
                role=roles[SLOTS[k][0]],
                country=SLOTS[k][1],
                team="core" if SLOTS[k][2] else "extended",
                responsibilities="Benchmark responsibilities.",
            )
            for i, a in enumerate(accounts)
            for k in range(MEMBERS_PER_ACCOUNT)
        ],
    )
    team = {a.pk: members[i * 12 : i * 12 + 12] for i, a in enumerate(accounts)}
    counts["team_members"] = len(members)

    contacts = bulk(
        CustomerContact,
        [
            CustomerContact(
                account=a,
                first_name=FIRST[j % len(FIRST)],
                last_name=f"{LAST[j % len(LAST)]} {j}",
                position="Head of something",
                department=["Procurement", "Engineering", "Management", "Quality"][j % 4],
                country=COUNTRIES[(i + j) % len(COUNTRIES)],
                email=f"c{i}-{j}@customer.example",
                attitude=(j % 7) - 3,
                influence=1 + j % 5,
            )
            for i, a in enumerate(accounts)
            for j in range(CONTACTS_PER_ACCOUNT)
        ],
    )
    people = {a.pk: contacts[i * 25 : i * 25 + 25] for i, a in enumerate(accounts)}
    counts["contacts"] = len(contacts)
    # An organisation tree: contact j reports to contact (j - 1) // 3.
    with connection.cursor() as cursor:
        pairs = [
            (cs[j].pk, cs[(j - 1) // 3].pk) for cs in people.values() for j in range(1, len(cs))
        ]
        for start in range(0, len(pairs), 5000):
            chunk = pairs[start : start + 5000]
            values = ",".join(["(%s,%s)"] * len(chunk))
            cursor.execute(
                "UPDATE accounts_customercontact c SET reports_to_id = v.boss "
                f"FROM (VALUES {values}) AS v(id, boss) WHERE c.id = v.id",
                [x for pair in chunk for x in pair],
            )
    through = CustomerContact.buying_roles.through
    bulk(
        through,
        [
            through(customercontact_id=c.pk, buyingcentrerole_id=buying[j % len(buying)].pk)
            for cs in people.values()
            for j, c in enumerate(cs)
            if j < 14
        ],
    )
    bulk(
        Profile,
        [
            Profile(contact=c, primary_colour="red", secondary_colour="green")
            for cs in people.values()
            for j, c in enumerate(cs)
            if j % 5 == 0
        ],
    )

    # Plans: one three-year plan around this year, half agreed and reviewed.
    plans = bulk(
        KeyAccountPlan,
        [
            KeyAccountPlan(
                account=a,
                start_year=year - 1,
                end_year=year + 1,
                status="agreed" if i % 2 else "draft",
                workshop_date=datetime.date(year - 1, 11, 15) if i % 2 else None,
                account_profile="Profile text. " * 20,
                swot_strengths="Strengths. " * 10,
                swot_weaknesses="Weaknesses. " * 10,
                swot_opportunities="Opportunities. " * 10,
                swot_threats="Threats. " * 10,
                strategy="Strategy. " * 20,
                updated_by=team[a.pk][0].user,
            )
            for i, a in enumerate(accounts)
        ],
    )
    counts["plans"] = len(plans)
    bulk(
        PlanRevenueTarget,
        [
            PlanRevenueTarget(plan=p, year=y, amount=Decimal(200_000 + 10_000 * (y - year)))
            for p in plans
            for y in range(year - 1, year + 2)
        ],
    )
    bulk(
        PlanObjective,
        [
            PlanObjective(
                plan=p,
                text=f"Objective {k}",
                kind="business" if k % 2 else "relationship",
                target="+10 %",
                due_date=datetime.date(year, 3 * k + 3, 28),
                status=["open", "in_progress", "achieved", "open"][k],
            )
            for p in plans
            for k in range(4)
        ],
    )
    bulk(
        PlanPotential,
        [
            PlanPotential(
                plan=p, description=f"Potential {k}", estimated_value=Decimal(50_000), year=year
            )
            for p in plans
            for k in range(3)
        ],
    )
    participants = KeyAccountPlan.workshop_participants.through
    bulk(
        participants,
        [
            participants(keyaccountplan_id=p.pk, accountteammember_id=m.pk)
            for p in plans
            if p.status == "agreed"
            for m in team[p.account_id][:5]
        ],
    )
    bulk(
        PlanReview,
        [
            PlanReview(plan=p, reviewed_by=manager, comment="Convincing; add the China numbers.")
            for p in plans
            if p.status == "agreed"
        ],
    )

    # RACI: 15 tasks, per task one A, one or two R, one C, one I.
    bulk(RaciMatrix, [RaciMatrix(account=a) for a in accounts])
    tasks = bulk(
        RaciTask,
        [
            RaciTask(account=a, name=TASKS[t], order=t)
            for a in accounts
            for t in range(TASKS_PER_ACCOUNT)
        ],
    )
    assignments = []
    for n, task in enumerate(tasks):
        t = n % TASKS_PER_ACCOUNT
        letters = [(0, "A"), (1, "R"), (3, "C"), (4, "I")]
        if t % 2:
            letters.append((2, "R"))
        for offset, letter in letters:
            role = roles[ROLE_CODES[(t + offset) % 6]]
            assignments.append(RaciAssignment(task=task, role=role, letter=letter))
    bulk(RaciAssignment, assignments)
    counts["raci_tasks"] = len(tasks)
    counts["raci_assignments"] = len(assignments)

    # Touchpoints: one per contact and quarter, last year and this year.
    def tp_count(i: int, y: int) -> int:
        if y == year and i == n_accounts - 2:
            return 10
        if y == year and i == n_accounts - 1:
            return 200
        return TOUCHPOINTS_PER_YEAR

    touchpoints = []
    for i, a in enumerate(accounts):
        cs, ms = people[a.pk], team[a.pk]
        for y in (year - 1, year):
            for j in range(tp_count(i, y)):
                q = (j // 25) % 4 + 1
                past = y < year or q < quarter
                roll = rng.random()
                status = (
                    ("done" if roll < 0.85 else "planned" if roll < 0.95 else "cancelled")
                    if past
                    else "planned"
                )
                touchpoints.append(
                    Touchpoint(
                        account=a,
                        contact=cs[j % 25],
                        year=y,
                        quarter=q,
                        date=datetime.date(y, (q - 1) * 3 + 1 + j % 3, 1 + j % 28),
                        kind=["content", "meeting", "call", "event", "gift", "other"][j % 6],
                        title=f"Touchpoint {j}",
                        owner=ms[j % 12],
                        status=status,
                        outcome="Went well." if status == "done" else "",
                    )
                )
    bulk(Touchpoint, touchpoints)
    counts["touchpoints"] = len(touchpoints)
    bulk(
        TeamMeeting,
        [
            TeamMeeting(
                account=a,
                year=year,
                quarter=q,
                date=datetime.date(year, (q - 1) * 3 + 2, 10),
                format="in_person" if q == 2 else "video",
                purpose=f"Team meeting Q{q}",
                status="held" if q < quarter else "planned",
            )
            for a in accounts
            for q in range(1, 5)
        ],
    )
    bulk(
        RelationshipPair,
        [
            RelationshipPair(
                account=a,
                member=team[a.pk][k],
                contact=people[a.pk][k * 2],
                current_level=1 + k % 4,
                target_level=min(5, 2 + k % 4),
            )
            for a in accounts
            for k in range(10)
        ],
    )
    bulk(
        Appreciation,
        [
            Appreciation(
                account=a,
                member=team[a.pk][k],
                thanked_on=today - datetime.timedelta(days=30 * k),
                note="Quick quote",
                recorded_by=team[a.pk][0].user,
            )
            for a in accounts
            for k in (4, 5, 7)
        ],
    )
    checks = bulk(
        CoachingCheck,
        [
            CoachingCheck(account=a, answered_on=today, answered_by=team[a.pk][0].user)
            for a in accounts
        ],
    )
    bulk(
        CoachingAnswer,
        [
            CoachingAnswer(self_check=c, question=q, answer="Last week.")
            for c in checks
            for q in questions
        ],
    )
    lead_slug = accounts[1].slug
    return {
        "counts": counts,
        "year": year,
        "lead": lead.username,
        "manager": manager.username,
        "password": password,
        "typical_account": lead_slug,
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
