"""Accounts: team roles, the accounts, their teams and their contacts."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.utils import timezone

from accounts.models import (
    AccountTeamMember,
    BuyingCentreRole,
    CustomerContact,
    KeyAccount,
    RevenueActual,
    TeamRole,
)
from bench.seeding.base import COUNTRIES, FIRST, LAST, bulk
from profiles.models import Profile
from users.models import User

MEMBERS_PER_ACCOUNT = 12
CONTACTS_PER_ACCOUNT = 25
INDUSTRIES = ["Machinery", "Automotive", "Chemicals", "Food", "Pharma", "Logistics"]
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


def seed_roles() -> dict[str, TeamRole]:
    """The team roles by code, with a `service` role added."""
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
    return {r.code: r for r in TeamRole.objects.all()}


def seed_accounts(n_accounts: int) -> list[KeyAccount]:
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
                description="Benchmark account.",
            )
            for i in range(n_accounts)
        ],
    )
    # Revenue is kept per year (issue 13): the actual of this year so far.
    year = timezone.localdate().year
    bulk(
        RevenueActual,
        [
            RevenueActual(account=a, year=year, amount=Decimal(100_000 + 1_000 * i))
            for i, a in enumerate(accounts)
        ],
    )
    return accounts


def seed_team(
    accounts: list[KeyAccount], users: list[User], roles: dict[str, TeamRole]
) -> tuple[list[AccountTeamMember], dict[int, list[AccountTeamMember]]]:
    """12 members per account (SLOTS); account i takes users 6i to 6i + 11."""
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
    return members, team


def seed_contacts(
    accounts: list[KeyAccount], buying: list[BuyingCentreRole]
) -> tuple[list[CustomerContact], dict[int, list[CustomerContact]]]:
    """25 contacts per account in an organisation tree, with buying roles and profiles."""
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
    _link_org_tree(people)
    _seed_contact_roles_and_profiles(people, buying)
    return contacts, people


def _link_org_tree(people: dict[int, list[CustomerContact]]) -> None:
    """An organisation tree: contact j reports to contact (j - 1) // 3."""
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


def _seed_contact_roles_and_profiles(
    people: dict[int, list[CustomerContact]], buying: list[BuyingCentreRole]
) -> None:
    """A buying role for the first 14 contacts of an account, a profile for every fifth."""
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
