"""Races: two leads saving the same plan, two requests giving a task its A.

Real transactions in real threads, on PostgreSQL (as in CI); SQLite
serialises writers anyway, so the race cannot happen there.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from accounts import services
from accounts.models import KeyAccountPlan
from kamteam.concurrency import VersionConflict
from tests.factories import PlanFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_plan_saves_give_one_conflict_and_lose_nothing() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks; CI runs it")
    plan = PlanFactory(account__slug="race")
    users = [UserFactory(), UserFactory()]
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(name: str, user) -> None:
        try:
            mine = KeyAccountPlan.objects.get(pk=plan.pk)  # both loaded at version 1
            mine.strategy = f"strategy of {name}"
            barrier.wait()
            services.plan_save(
                plan=mine, expected_version=1, revenue_targets={}, participants=[], user=user
            )
            outcomes[name] = "saved"
        except VersionConflict:
            outcomes[name] = "conflict"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(n, u)) for n, u in zip("ab", users, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(n for n, o in outcomes.items() if o == "saved")
    plan.refresh_from_db()
    assert plan.strategy == f"strategy of {winner}" and plan.version == 2


def test_two_transactions_giving_a_task_its_a_exactly_one_wins(seeded: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks; CI runs it")
    from accounts.models import TeamRole
    from raci.models import RaciAssignment, RaciTask
    from raci.services import RaciError, assignment_toggle

    task = RaciTask.objects.create(account=PlanFactory(account__slug="race-a").account, name="T")
    roles = list(TeamRole.objects.filter(code__in=["gkam", "management"]))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def give_a(role) -> None:
        try:
            barrier.wait()
            assignment_toggle(task=task, role=role, letter="A")
            outcomes.append("won")
        except RaciError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=give_a, args=(r,)) for r in roles]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["refused", "won"]
    assert RaciAssignment.objects.filter(task=task, letter="A").count() == 1
