"""Demo data for the customers: the demo users and the handbook's example
accounts (Nordstern with its team, buying centre and plan, plus Helios and
Pacific Components).

`manage.py demo` calls `accounts_demo` first; the apps above build on the
`AccountsDemo` it returns. Every row is found by its natural key and updated,
so running the demo again changes nothing and resets what a demo user edited.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.demo_national import national_demo
from accounts.models import (
    AccountTeamMember,
    BuyingCentreRole,
    CustomerContact,
    KeyAccount,
    KeyAccountPlan,
    PlanObjective,
    PlanPotential,
    PlanRevenueTarget,
    RevenueActual,
    TeamRole,
)
from core.demo import rendered, update_or_create_by_text
from users.models import MANAGERS_GROUP, User

# username, first name, last name
USERS = [
    ("kam", "Katrin", "Albers"),
    ("nkam", "Niklas", "Kramer"),
    ("nkam-china", "Wei", "Li"),
    ("innendienst", "Ines", "Dietrich"),
    ("management", "Hans", "Bauer"),
    ("engineering", "Eva", "Weber"),
    ("manager", "Monika", "Berger"),
    ("outsider", "Otto", "Fremd"),
    ("admin", "Anna", "Admin"),
]


# Demo texts are marked for translation: `manage.py demo --language de` writes them
# in German (core.demo).
Text = str | Promise


@dataclass(frozen=True)
class DemoPlan:
    start: int
    end: int
    updated_by: str  # username
    participants: tuple[str, ...]  # usernames of workshop participants in the team
    fields: dict[str, Any]
    targets: tuple[tuple[int, str], ...] = ()  # year, amount
    potentials: tuple[tuple[Text, str, int], ...] = ()  # description, value, year
    # text, kind, target, due date, status
    objectives: tuple[tuple[Text, str, Text, datetime.date, str], ...] = ()


@dataclass(frozen=True)
class DemoAccount:
    slug: str
    fields: dict[str, Any]
    # username, role code, team, country, responsibilities; one membership per user
    team: tuple[tuple[str, str, str, str, Text], ...]
    # first, last, reports to (last name, created earlier), buying role codes, fields.
    # The fields are exactly those the demo owns: the others keep what a user typed.
    contacts: tuple[tuple[str, str, str | None, tuple[str, ...], dict[str, Any]], ...]
    plan: DemoPlan | None = None
    # The revenue booked per year (the demo's 2026 is the year so far).
    actuals: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class AccountsDemo:
    """What the apps above need from this step."""

    users: dict[str, User]  # by username, including the extra users
    roles: dict[str, TeamRole]  # by code
    buying: dict[str, BuyingCentreRole]  # by code
    nordstern: KeyAccount
    team: dict[str, AccountTeamMember]  # Nordstern's team, by username
    contacts: dict[str, CustomerContact]  # Nordstern's contacts, by last name


# fmt: off
NORDSTERN = DemoAccount(
    slug="nordstern",
    fields={
        "name": "Nordstern Industrie AG",
        "industry": _("Industrial machinery"),
        "hq_country": "DE",
        "classification": "A",
        "attractiveness": 5,
        "relative_position": 3,
        "description": _(
            "Global manufacturer of packaging machines with plants in Germany and China. "
            "Framework contract negotiated at headquarters, orders placed nationally."
        ),
    },
    team=(
        ("kam", "gkam", "core", "",
         _("Global framework contract, relationship with headquarters.")),
        ("nkam", "nkam", "core", "DE", _("National offers and orders in Germany.")),
        ("nkam-china", "nkam", "core", "CN", _("National offers and orders in China.")),
        ("innendienst", "inside-sales", "core", "", _("Quotes, order handling, delivery dates.")),
        ("management", "management", "extended", "", _("Signs the global framework contract.")),
        ("engineering", "engineering", "extended", "", _("Application engineering for new lines.")),
    ),
    contacts=(
        ("Clara", "Hoffmann", None, ("decider", "approver"), {
            "position": _("Chief Procurement Officer"), "department": _("Procurement"),
            "country": "DE", "attitude": 1, "influence": 5,
        }),
        ("Max", "Müller", "Hoffmann", ("decider", "influencer"), {
            "position": "Bereichsleiter", "department": _("Packaging division"),
            "country": "DE", "attitude": 0, "influence": 4,
            "notes": _("Sees us as a parts supplier; we want him to see our "
                       "wider skills, up to strategy consulting."),
        }),
        ("Sabine", "Koch", "Hoffmann", ("buyer",), {
            "position": _("Head of Purchasing"), "department": _("Procurement"),
            "country": "DE", "attitude": 2, "influence": 4,
        }),
        ("Jonas", "Richter", "Müller", ("user", "initiator"), {
            "position": _("Head of Maintenance"), "department": _("Packaging division"),
            "country": "DE", "attitude": 1, "influence": 2,
        }),
        ("Petra", "Lang", "Müller", ("gatekeeper",), {
            "position": _("Assistant to the division head"), "department": _("Packaging division"),
            "country": "DE", "attitude": 0, "influence": 2,
        }),
        ("Fang", "Wang", "Koch", ("buyer",), {
            "position": _("Purchasing Manager China"), "department": _("Procurement"),
            "country": "CN", "attitude": -1, "influence": 3,
        }),
    ),
    plan=DemoPlan(
        start=2026,
        end=2028,
        updated_by="kam",
        participants=("kam", "nkam", "nkam-china", "innendienst"),
        fields={
            "status": "agreed",
            "workshop_date": datetime.date(2025, 9, 16),
            "account_profile": _(
                "Nordstern builds packaging machines for food and pharma; 9,000 employees, "
                "plants in Hamburg, Leipzig and Suzhou. We supply drives and controls since "
                "2012; purchasing is centralised, engineering decides locally."
            ),
            "swot_strengths": _("Market leader in Europe\nStrong engineering culture"),
            "swot_weaknesses": _("Slow decisions between headquarters and plants"),
            "swot_opportunities": _("Expansion in China\nRetrofit business for installed machines"),
            "swot_threats": _("Price pressure from Asian competitors\nPossible merger"),
            "strategy": _(
                "Move from parts supplier to solution partner: win the global framework "
                "contract 2027, grow retrofit business in Germany, and build the relationship "
                "with the Chinese plant."
            ),
        },
        targets=((2026, "4600000"), (2027, "5000000"), (2028, "5600000")),
        potentials=(
            (_("Retrofit packages for installed machines in Germany"), "400000", 2026),
            (_("Drives for the new Suzhou line"), "650000", 2027),
            (_("Service contract for all plants"), "300000", 2028),
        ),
        objectives=(
            (_("Renew the global framework contract"), "business", _("3-year contract signed"),
             datetime.date(2027, 3, 31), "in_progress"),
            (_("Max Müller sees us as a solution partner"), "relationship",
             _("invited to strategy day"), datetime.date(2026, 12, 15), "in_progress"),
            (_("Retrofit revenue in Germany"), "business", _("+400,000 EUR"),
             datetime.date(2026, 12, 31), "open"),
            (_("Regular contact with the Suzhou plant management"), "relationship",
             _("two visits a year"), datetime.date(2026, 6, 30), "achieved"),
        ),
    ),
    actuals=((2024, "3900000"), (2025, "4200000"), (2026, "4350000")),
)


OTHER_ACCOUNTS = (
    DemoAccount(
        slug="helios",
        fields={
            "name": "Helios Medizintechnik GmbH",
            "industry": _("Medical devices"),
            "hq_country": "DE",
            "classification": "B",
            "attractiveness": 4,
            "relative_position": 4,
            "description": _("Maker of imaging systems; one plant near Munich."),
        },
        team=(
            ("nkam", "nkam", "core", "DE", _("Account lead.")),
            ("innendienst", "inside-sales", "core", "", ""),
            ("engineering", "engineering", "extended", "", ""),
        ),
        contacts=(
            ("Julia", "Schmitt", None, ("buyer", "decider"), {
                "position": _("Head of Purchasing"), "department": _("Purchasing"),
                "country": "DE", "attitude": 2, "influence": 4,
            }),
        ),
        plan=DemoPlan(
            start=2025,
            end=2027,
            updated_by="nkam",
            participants=(),
            fields={
                "status": "draft",
                "workshop_date": None,
                "strategy": _("Become second source for motion control."),
            },
            targets=((2025, "1400000"), (2026, "1600000"), (2027, "1750000")),
        ),
        actuals=((2024, "1200000"), (2025, "1350000"), (2026, "1480000")),
    ),
    DemoAccount(
        slug="pacific-components",
        fields={
            "name": "Pacific Components Ltd.",
            "industry": _("Electronics"),
            "hq_country": "CN",
            "classification": "C",
            "attractiveness": 3,
            "relative_position": 2,
            "description": _("Contract manufacturer in Shenzhen; growing fast."),
        },
        team=(
            ("nkam-china", "nkam", "core", "CN", _("Account lead.")),
            ("kam", "gkam", "extended", "", _("Supports with the global price list.")),
        ),
        contacts=(
            ("Min", "Chen", None, ("decider",), {
                "position": _("General Manager"), "country": "CN", "attitude": 0, "influence": 5,
            }),
        ),
        actuals=((2025, "480000"), (2026, "560000")),
    ),
)
# fmt: on


def accounts_demo(
    *, password: str, extra_users: Sequence[tuple[str, str, str]] = ()
) -> AccountsDemo:
    """Create the demo users (ours plus `extra_users` for the apps above, so every
    step finds everyone by username) and the handbook's accounts."""
    users = _users([*USERS, *extra_users], password)
    roles = {r.code: r for r in TeamRole.objects.all()}
    buying = {r.code: r for r in BuyingCentreRole.objects.all()}
    nordstern, team, contacts = _seed(NORDSTERN, users=users, roles=roles, buying=buying)
    if NORDSTERN.plan:  # national plans for Germany and China under the global plan
        plan = nordstern.plans.get(start_year=NORDSTERN.plan.start)
        national_demo(plan, [objective[0] for objective in NORDSTERN.plan.objectives])
    for spec in OTHER_ACCOUNTS:
        _seed(spec, users=users, roles=roles, buying=buying)
    return AccountsDemo(users, roles, buying, nordstern, team, contacts)


def _users(people: Sequence[tuple[str, str, str]], password: str) -> dict[str, User]:
    managers, _created = Group.objects.get_or_create(name=MANAGERS_GROUP)
    users: dict[str, User] = {}
    for username, first, last in people:
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.com",
                "is_staff": username == "admin",
                "is_superuser": username == "admin",
                "is_active": True,
            },
        )
        # Always reset: the password printed at the end must be the one that works.
        user.set_password(password)
        user.save(update_fields=["password"])
        if username == "manager":
            user.groups.add(managers)
        users[username] = user
    return users


def _seed(
    spec: DemoAccount,
    *,
    users: dict[str, User],
    roles: dict[str, TeamRole],
    buying: dict[str, BuyingCentreRole],
) -> tuple[KeyAccount, dict[str, AccountTeamMember], dict[str, CustomerContact]]:
    # An archived demo account comes back active.
    account, _created = KeyAccount.objects.update_or_create(
        slug=spec.slug,
        defaults={**rendered(spec.fields), "status": KeyAccount.Status.ACTIVE, "archived_at": None},
    )
    team: dict[str, AccountTeamMember] = {}
    for username, role, kind, country, responsibilities in spec.team:
        # Only current memberships are matched: an archived one stays in the history
        # and the demo adds a fresh one.
        team[username], _created = AccountTeamMember.objects.active().update_or_create(
            account=account,
            user=users[username],
            role=roles[role],
            country=country,
            defaults={
                "team": kind,
                "responsibilities": str(responsibilities),
                "is_lead": roles[role].grants_lead,
            },
        )
    contacts: dict[str, CustomerContact] = {}
    for first, last, boss, codes, fields in spec.contacts:
        contact, _created = CustomerContact.objects.update_or_create(
            account=account,
            first_name=first,
            last_name=last,
            defaults={
                **rendered(fields),
                "reports_to": contacts[boss] if boss else None,
                "archived_at": None,
            },
        )
        contact.buying_roles.set([buying[code] for code in codes])
        contacts[last] = contact
    if spec.plan:
        _plan(account, spec.plan, users=users, team=team)
    for year, amount in spec.actuals:
        RevenueActual.objects.update_or_create(
            account=account, year=year, defaults={"amount": Decimal(amount)}
        )
    return account, team, contacts


def _plan(
    account: KeyAccount,
    spec: DemoPlan,
    *,
    users: dict[str, User],
    team: dict[str, AccountTeamMember],
) -> None:
    plan, _created = KeyAccountPlan.objects.update_or_create(
        account=account,
        start_year=spec.start,
        defaults={
            **rendered(spec.fields),
            "end_year": spec.end,
            "updated_by": users[spec.updated_by],
            "updated_at": timezone.now(),
        },
    )
    plan.workshop_participants.set([team[username] for username in spec.participants])
    for year, amount in spec.targets:
        PlanRevenueTarget.objects.update_or_create(
            plan=plan, year=year, defaults={"amount": Decimal(amount)}
        )
    for description, value, year in spec.potentials:
        update_or_create_by_text(
            PlanPotential.objects.all(),
            plan=plan,
            field="description",
            text=description,
            defaults={"estimated_value": Decimal(value), "year": year},
        )
    for text, kind, target, due, status in spec.objectives:
        update_or_create_by_text(
            PlanObjective.objects.all(),
            plan=plan,
            field="text",
            text=text,
            defaults={"kind": kind, "target": target, "due_date": due, "status": status},
        )
