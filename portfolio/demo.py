"""Demo data for the portfolio: nine more accounts, so the portfolio, its
matrix and filters have something real to show (mixed classification,
countries and health), and a manager's review of one plan.

Called by `manage.py demo`; idempotent like the rest of it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    AccountTeamMember,
    BuyingCentreRole,
    CustomerContact,
    KeyAccount,
    KeyAccountPlan,
    PlanRevenueTarget,
    RevenueActual,
    TeamRole,
)
from core.demo import update_or_create_by_text
from portfolio.demo_health import health_demo
from portfolio.models import PlanReview
from raci.models import RaciAssignment, RaciTask
from touchpoints.models import TeamMeeting, Touchpoint
from users.models import User

YEAR = 2026  # the demo's plan year, as in the rest of the demo

# Users the accounts below need, with the same password as the others.
USERS = [
    ("lena", "Lena", "Vogel"),
    ("james", "James", "Walker"),
    ("lucia", "Lucía", "Martín"),
    ("sophie", "Sophie", "Laurent"),
    ("marco", "Marco", "Rossi"),
    ("pieter", "Pieter", "de Vries"),
]


@dataclass(frozen=True)
class DemoAccount:
    slug: str
    name: str
    industry: str
    hq: str
    classification: str
    attractiveness: int
    position: int
    revenue: str  # booked last year
    target: str  # this year's target; the plan's later years grow from it
    lead: str
    lead_role: str  # gkam, or nkam (then serving the HQ country)
    health: str  # full, good, watch or risk: which signals the account gets
    contacts: tuple[tuple[str, str, str], ...]  # first, last, position; the first decides


# fmt: off
ACCOUNTS = [
    DemoAccount(
        "alpina-foods", "Alpina Foods AG", _("Food and beverages"), "CH", "A", 4, 4,
        "3100000", "3500000", "lena", "gkam", "full",
        (("Urs", "Brunner", _("COO")), ("Nina", "Keller", _("Head of Engineering")),
         ("Reto", "Frei", _("Category Buyer"))),
    ),
    DemoAccount(
        "brightline-pharma", "Brightline Pharma plc", _("Pharmaceuticals"), "GB", "A", 5, 2,
        "2600000", "4000000", "james", "gkam", "risk",
        (("Oliver", "Hughes", _("Director of Operations")),
         ("Emma", "Clarke", _("Procurement Lead"))),
    ),
    DemoAccount(
        "cordoba-automocion", "Córdoba Automoción S.A.", _("Automotive"), "ES", "A", 4, 3,
        "1900000", "2400000", "lucia", "nkam", "watch",
        (("Javier", "Navarro", _("Plant Director")), ("Carmen", "Ortega", _("Purchasing Manager"))),
    ),
    DemoAccount(
        "delta-logistik", "Delta Logistik GmbH", _("Logistics"), "DE", "B", 3, 4,
        "950000", "1000000", "lena", "gkam", "good",
        (("Thomas", "Becker", _("Managing Director")), ("Julia", "Wolf", _("Fleet Manager"))),
    ),
    DemoAccount(
        "etoile-cosmetiques", "Étoile Cosmétiques SA", _("Cosmetics"), "FR", "B", 3, 2,
        "720000", "900000", "sophie", "nkam", "watch",
        (("Claire", "Dubois", "Directrice industrielle"), ("Hugo", "Moreau", "Acheteur")),
    ),
    DemoAccount(
        "fjord-energy", "Fjord Energy ASA", _("Energy"), "NO", "B", 4, 2,
        "1250000", "1800000", "pieter", "gkam", "risk",
        (("Ingrid", "Hansen", _("VP Operations")), ("Lars", "Berg", _("Maintenance Lead"))),
    ),
    DemoAccount(
        "gruppo-vela", "Gruppo Vela S.p.A.", _("Textile machinery"), "IT", "C", 2, 3,
        "380000", "450000", "marco", "nkam", "good",
        (("Giulia", "Ferrari", "Amministratore delegato"), ("Paolo", "Conti", "Ufficio acquisti")),
    ),
    DemoAccount(
        "hollandse-bouw", "Hollandse Bouw B.V.", _("Construction"), "NL", "C", 2, 1,
        "210000", "400000", "pieter", "nkam", "risk",
        (("Daan", "Visser", "Directeur"),),
    ),
    DemoAccount(
        "kestrel-aero", "Kestrel Aerospace Ltd", _("Aerospace"), "GB", "A", 5, 4,
        "5400000", "6000000", "james", "gkam", "good",
        (("Sarah", "Mitchell", _("Head of Supply Chain")), ("David", "Evans", _("Chief Engineer")),
         ("Priya", "Shah", _("Commodity Manager"))),
    ),
]
# fmt: on

RACI_TASKS = [
    # name, letters by role code; the "good" accounts lose the A on the second task
    (
        _("Framework contract"),
        {"R": ["gkam", "nkam"], "A": ["management"], "S": ["inside-sales"]},
    ),
    (_("Quarterly business review"), {"R": ["gkam", "nkam"], "A": ["gkam", "nkam"]}),
    (_("Quotes and order handling"), {"R": ["inside-sales"], "A": ["gkam", "nkam"]}),
]


def portfolio_demo(
    *, users: dict[str, User], roles: dict[str, TeamRole], buying: dict[str, BuyingCentreRole]
) -> None:
    for spec in ACCOUNTS:
        _account(spec, users=users, roles=roles, buying=buying)
    # A manager reviewed one plan already; Nordstern's is left for the demo walk.
    plan = KeyAccountPlan.objects.get(account__slug="kestrel-aero", start_year=YEAR)
    PlanReview.objects.get_or_create(
        plan=plan,
        reviewed_by=users["manager"],
        defaults={
            "comment": _(
                "Convincing growth path. Please add the service potential at the "
                "Bristol site before the budget round."
            )
        },
    )
    # Twelve weeks of health snapshots, the last one real: the manager's home
    # page compares with last week's and names the account that dropped a band.
    health_demo(today=timezone.localdate())


def _account(
    spec: DemoAccount,
    *,
    users: dict[str, User],
    roles: dict[str, TeamRole],
    buying: dict[str, BuyingCentreRole],
) -> None:
    account, _created = KeyAccount.objects.update_or_create(
        slug=spec.slug,
        defaults={
            "name": spec.name,
            "industry": str(spec.industry),
            "hq_country": spec.hq,
            "classification": spec.classification,
            "attractiveness": spec.attractiveness,
            "relative_position": spec.position,
            "status": KeyAccount.Status.ACTIVE,
            "archived_at": None,
        },
    )
    country = spec.hq if spec.lead_role == "nkam" else ""
    lead = _member(account, users[spec.lead], roles[spec.lead_role], "core", country)
    inside = _member(account, users["innendienst"], roles["inside-sales"], "core", "")
    _member(account, users["engineering"], roles["engineering"], "extended", "")
    if spec.classification == "A":
        _member(account, users["management"], roles["management"], "extended", "")
    contacts = _contacts(spec, account, buying=buying)
    _plan(spec, account, users=users)
    _revenue(spec, account)
    _raci(spec, account, roles=roles)
    _touchpoints(spec, account, contacts, lead=lead, inside=inside)
    _meeting(spec, account)


def _contacts(
    spec: DemoAccount, account: KeyAccount, *, buying: dict[str, BuyingCentreRole]
) -> list[CustomerContact]:
    contacts: list[CustomerContact] = []
    for index, (first, last, position) in enumerate(spec.contacts):
        contact, _created = CustomerContact.objects.update_or_create(
            account=account,
            first_name=first,
            last_name=last,
            defaults={
                "position": str(position),
                "country": spec.hq,
                "influence": 5 - index,
                "attitude": 1 if spec.health in ("full", "good") else 0,
                "reports_to": contacts[0] if contacts else None,
                "archived_at": None,
            },
        )
        contact.buying_roles.set([buying["decider"] if index == 0 else buying["buyer"]])
        contacts.append(contact)
    return contacts


def _plan(spec: DemoAccount, account: KeyAccount, *, users: dict[str, User]) -> None:
    if spec.health != "risk":
        KeyAccountPlan.objects.update_or_create(
            account=account,
            start_year=YEAR,
            defaults={
                "end_year": YEAR + 2,
                "status": "draft" if spec.health == "watch" else "agreed",
                "strategy": _("Grow %(name)s from %(revenue)s EUR towards %(target)s EUR.")
                % {
                    "name": spec.name,
                    "revenue": _amount(spec.revenue),
                    "target": _amount(spec.target),
                },
                "workshop_date": datetime.date(YEAR - 1, 9, 20),
                "updated_by": users[spec.lead],
            },
        )
    elif spec.slug == "fjord-energy":
        # An old plan that ran out: the portfolio shows it, the health counts it as none.
        KeyAccountPlan.objects.update_or_create(
            account=account,
            start_year=YEAR - 3,
            defaults={"end_year": YEAR - 1, "status": "agreed", "updated_by": users[spec.lead]},
        )


# How far this year's revenue has come against last year's, by health.
SO_FAR = {"full": "1.08", "good": "1.02", "watch": "0.93", "risk": "0.81"}
# Each plan year's target against the first year's.
GROWTH = ("1", "1.1", "1.2")


def _revenue(spec: DemoAccount, account: KeyAccount) -> None:
    """Actuals of last year and this year so far; the targets of the plan's years."""
    last_year = Decimal(spec.revenue)
    actuals = {YEAR - 1: last_year, YEAR: last_year * Decimal(SO_FAR[spec.health])}
    plan = account.plans.order_by("-start_year").first()
    targets: dict[int, Decimal] = {}
    if plan and plan.start_year == YEAR:
        targets = {YEAR + i: Decimal(spec.target) * Decimal(g) for i, g in enumerate(GROWTH)}
    elif plan:
        # Fjord's expired plan: three years that led up to last year's revenue.
        actuals[YEAR - 2] = last_year * Decimal("0.9")
        targets = {plan.start_year + i: Decimal(spec.target) for i in range(3)}
    for year, amount in actuals.items():
        RevenueActual.objects.update_or_create(
            account=account, year=year, defaults={"amount": _thousands(amount)}
        )
    for year, amount in targets.items():
        PlanRevenueTarget.objects.update_or_create(
            plan=plan, year=year, defaults={"amount": _thousands(amount)}
        )


def _amount(digits: str) -> str:
    """A whole amount in the demo language's number format (3,100,000 or 3.100.000)."""
    return number_format(int(Decimal(digits)), force_grouping=True)


def _thousands(amount: Decimal) -> Decimal:
    return (amount / 1000).quantize(Decimal(1)) * 1000


def _raci(spec: DemoAccount, account: KeyAccount, *, roles: dict[str, TeamRole]) -> None:
    tasks = {"full": 3, "good": 3, "watch": 1, "risk": 0}[spec.health]
    for order, (name, letters) in enumerate(RACI_TASKS[:tasks], start=1):
        task, _created = update_or_create_by_text(
            RaciTask.objects.all(),
            account=account,
            field="name",
            text=name,
            defaults={"order": order},
        )
        for letter, codes in letters.items():
            if spec.health == "good" and order == 2 and letter == "A":
                continue  # an open question the matrix check shows
            for code in codes:
                if code == spec.lead_role or code not in ("gkam", "nkam"):
                    RaciAssignment.objects.get_or_create(task=task, role=roles[code], letter=letter)


# One per quarter, in the demo language.
TOUCHPOINT_TITLES = (
    _("Visit"),
    _("Reference story"),
    _("Plant tour"),
    _("Year-end call"),
)


def _touchpoints(
    spec: DemoAccount,
    account: KeyAccount,
    contacts: list[CustomerContact],
    *,
    lead: AccountTeamMember,
    inside: AccountTeamMember,
) -> None:
    """One per contact and quarter up to Q4."""
    for contact in contacts:
        for quarter in (1, 2, 3, 4):
            if spec.health == "risk" and quarter == 1:
                continue
            status = "done"
            if quarter == 4 or (spec.health == "risk" and quarter == 3):
                status = "planned"
            if spec.health in ("good", "risk") and quarter == 2 and contact is contacts[-1]:
                status = "planned"  # overdue
            Touchpoint.objects.update_or_create(
                account=account,
                contact=contact,
                year=YEAR,
                quarter=quarter,
                defaults={
                    "kind": "meeting" if quarter in (1, 3) else "content",
                    "title": TOUCHPOINT_TITLES[quarter - 1],
                    "owner": lead if quarter != 2 else inside,
                    "status": status,
                    "outcome": _("Good conversation.") if status == "done" else "",
                },
            )


def _meeting(spec: DemoAccount, account: KeyAccount) -> None:
    meeting = {"full": "held", "good": "planned"}.get(spec.health)
    if meeting:
        TeamMeeting.objects.update_or_create(
            account=account,
            year=YEAR,
            quarter=1 if meeting == "held" else 4,
            defaults={
                "format": TeamMeeting.Format.IN_PERSON,
                "purpose": _("Key account team meeting"),
                "status": meeting,
            },
        )


def _member(
    account: KeyAccount, user: User, role: TeamRole, team: str, country: str
) -> AccountTeamMember:
    member, _created = AccountTeamMember.objects.active().update_or_create(
        account=account,
        user=user,
        role=role,
        country=country,
        defaults={"team": team, "is_lead": role.grants_lead},
    )
    return member
