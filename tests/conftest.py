"""The actors every test can use: lead, member, manager, outsider, staff."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import AccountTeamMember, CustomerContact, KeyAccount, KeyAccountPlan
from profiles.models import User
from tests.factories import (
    ContactFactory,
    KeyAccountFactory,
    ObjectiveFactory,
    PlanFactory,
    PotentialFactory,
    TeamMemberFactory,
    UserFactory,
    role,
)


@dataclass
class World:
    """One account with a lead, a read-only member, and everything under it."""

    account: KeyAccount
    lead: User
    member: User
    manager: User
    outsider: User
    staff: User
    lead_membership: AccountTeamMember
    membership: AccountTeamMember
    former_membership: AccountTeamMember
    plan: KeyAccountPlan
    contact: CustomerContact
    archived_contact: CustomerContact

    def client_for(self, who: str | None) -> Client:
        client = Client()
        if who:
            client.force_login(getattr(self, who))
        return client


@pytest.fixture
def world(db: None) -> World:
    account = KeyAccountFactory(name="Nordwind AG", slug="nordwind")
    lead = UserFactory(username="lead", first_name="Lena", last_name="Lead")
    member = UserFactory(username="member", first_name="Max", last_name="Member")
    former = UserFactory(username="former")
    lead_membership = TeamMemberFactory(account=account, user=lead, role=role("gkam"))
    membership = TeamMemberFactory(account=account, user=member, role=role("inside-sales"))
    former_membership = TeamMemberFactory(account=account, user=former, role=role("engineering"))
    former_membership.archived_at = timezone.now()
    former_membership.save()
    plan = PlanFactory(account=account)
    PotentialFactory(plan=plan)
    ObjectiveFactory(plan=plan)
    contact = ContactFactory(account=account, first_name="Max", last_name="Müller")
    archived = ContactFactory(account=account, archived_at=timezone.now())
    return World(
        account=account,
        lead=lead,
        member=member,
        manager=UserFactory(username="manager", manager=True),
        outsider=UserFactory(username="outsider"),
        staff=UserFactory(username="staff", is_staff=True),
        lead_membership=lead_membership,
        membership=membership,
        former_membership=former_membership,
        plan=plan,
        contact=contact,
        archived_contact=archived,
    )


@pytest.fixture
def lead_client(world: World) -> Client:
    return world.client_for("lead")
