"""RACI: a matrix and 15 tasks per account; per task one A, one or two R, one C, one I."""

from __future__ import annotations

from accounts.models import KeyAccount, TeamRole
from bench.seeding.base import bulk
from raci.models import RaciAssignment, RaciMatrix, RaciTask

TASKS_PER_ACCOUNT = 15
ROLE_CODES = ["gkam", "nkam", "inside-sales", "management", "engineering", "service"]
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


def seed_raci(
    accounts: list[KeyAccount], roles: dict[str, TeamRole]
) -> tuple[list[RaciTask], list[RaciAssignment]]:
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
    return tasks, assignments
