"""Races: two leads saving the same plan, two requests giving a task its A.

Real transactions in real threads, on PostgreSQL (as in CI); SQLite
serialises writers anyway, so the race cannot happen there.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections

from accounts import services
from accounts.models import KeyAccountPlan
from core.concurrency import VersionConflict
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


def test_two_leads_demoting_each_other_at_once_leave_one_lead(seeded: None, monkeypatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks; CI runs it")
    from django.core.exceptions import ValidationError

    from accounts.models import AccountTeamMember
    from tests.factories import KeyAccountFactory, TeamMemberFactory, role

    account = KeyAccountFactory(slug="race-leads")
    leads = [
        TeamMemberFactory(account=account, role=role("engineering"), is_lead=True) for _ in range(2)
    ]
    # Each takes its time between counting the leads and saving: without the
    # lock, both would count the other as the remaining lead.
    counted = services.last_lead_reason

    def slow_count(member: AccountTeamMember) -> str | None:
        reason = counted(member)
        time.sleep(0.5)
        return reason

    monkeypatch.setattr(services, "last_lead_reason", slow_count)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def demote(pk: int) -> None:
        try:
            member = AccountTeamMember.objects.get(pk=pk)
            member.is_lead = False
            barrier.wait()
            services.member_save(member=member, expected_version=member.version)
            outcomes.append("demoted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=demote, args=(m.pk,)) for m in leads]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["demoted", "refused"]
    assert account.team_members.leads().count() == 1


def test_overlapping_plans_created_at_once_one_is_refused_with_the_form_message(
    seeded: None,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's exclusion constraint; CI runs it")
    from django.test import Client
    from django.urls import reverse

    from accounts.forms import KeyAccountPlanCreateForm
    from tests.factories import KeyAccountFactory, TeamMemberFactory, role

    lead = TeamMemberFactory(account=KeyAccountFactory(slug="race-plans"), role=role("gkam"))
    url = reverse("accounts:plan_create", args=["race-plans"])
    # Both forms are validated before either plan is saved.
    validated = threading.Barrier(2)
    original = KeyAccountPlanCreateForm._post_clean

    def post_clean(self) -> None:
        original(self)
        if not self.errors:
            validated.wait(timeout=10)

    KeyAccountPlanCreateForm._post_clean = post_clean
    statuses: list[int] = []

    def create(start: int) -> None:
        try:
            client = Client()
            client.force_login(lead.user)
            response = client.post(url, {"start_year": start, "end_year": start + 2})
            statuses.append(response.status_code)
            if response.status_code == 400:
                assert "overlaps the plan" in response.text
        finally:
            connections.close_all()

    try:
        threads = [threading.Thread(target=create, args=(y,)) for y in (2030, 2031)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    finally:
        KeyAccountPlanCreateForm._post_clean = original
    assert sorted(statuses) == [302, 400]
    assert KeyAccountPlan.objects.filter(account__slug="race-plans").count() == 1
