"""Build the handbook's example as demo data. Safe to run again."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import (
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
from coaching.demo import coaching_demo
from portfolio.demo import USERS as PORTFOLIO_USERS
from portfolio.demo import portfolio_demo
from profiles.models import (
    MANAGERS_GROUP,
    Motive,
    Profile,
    ProfilePart,
    ProfileShare,
    ShareAudience,
    User,
)
from profiles.services import profile_save
from raci.models import (
    RaciAssignment,
    RaciMatrix,
    RaciTask,
    RaciTemplate,
    RaciTemplateAssignment,
    RaciTemplateTask,
)
from touchpoints.models import RelationshipPair, TeamMeeting, Touchpoint

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


class Command(BaseCommand):
    help = "Create or refresh the demo data: the handbook's key account example."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--password", default="demo", help="Password for every demo user (default: demo)."
        )

    @transaction.atomic
    def handle(self, *args: Any, password: str, **options: Any) -> None:
        users = self._users(password)
        roles = {r.code: r for r in TeamRole.objects.all()}
        buying = {r.code: r for r in BuyingCentreRole.objects.all()}

        nordstern = self._account(
            "nordstern",
            name="Nordstern Industrie AG",
            industry="Industrial machinery",
            hq_country="DE",
            classification="A",
            attractiveness=5,
            relative_position=3,
            revenue_last_year=Decimal("4200000"),
            revenue_target=Decimal("5000000"),
            description=(
                "Global manufacturer of packaging machines with plants in Germany and China. "
                "Framework contract negotiated at headquarters, orders placed nationally."
            ),
        )
        team = {
            "kam": self._member(
                nordstern,
                users["kam"],
                roles["gkam"],
                "core",
                "",
                "Global framework contract, relationship with headquarters.",
            ),
            "nkam": self._member(
                nordstern,
                users["nkam"],
                roles["nkam"],
                "core",
                "DE",
                "National offers and orders in Germany.",
            ),
            "nkam-china": self._member(
                nordstern,
                users["nkam-china"],
                roles["nkam"],
                "core",
                "CN",
                "National offers and orders in China.",
            ),
            "innendienst": self._member(
                nordstern,
                users["innendienst"],
                roles["inside-sales"],
                "core",
                "",
                "Quotes, order handling, delivery dates.",
            ),
            "management": self._member(
                nordstern,
                users["management"],
                roles["management"],
                "extended",
                "",
                "Signs the global framework contract.",
            ),
            "engineering": self._member(
                nordstern,
                users["engineering"],
                roles["engineering"],
                "extended",
                "",
                "Application engineering for new lines.",
            ),
        }

        hoffmann = self._contact(
            nordstern,
            "Clara",
            "Hoffmann",
            None,
            position="Chief Procurement Officer",
            department="Procurement",
            country="DE",
            attitude=1,
            influence=5,
            roles=[buying["decider"], buying["approver"]],
        )
        mueller = self._contact(
            nordstern,
            "Max",
            "Müller",
            hoffmann,
            position="Bereichsleiter",
            department="Packaging division",
            country="DE",
            attitude=0,
            influence=4,
            roles=[buying["decider"], buying["influencer"]],
            notes="Sees us as a parts supplier; we want him to see our "
            "wider skills, up to strategy consulting.",
        )
        koch = self._contact(
            nordstern,
            "Sabine",
            "Koch",
            hoffmann,
            position="Head of Purchasing",
            department="Procurement",
            country="DE",
            attitude=2,
            influence=4,
            roles=[buying["buyer"]],
        )
        self._contact(
            nordstern,
            "Jonas",
            "Richter",
            mueller,
            position="Head of Maintenance",
            department="Packaging division",
            country="DE",
            attitude=1,
            influence=2,
            roles=[buying["user"], buying["initiator"]],
        )
        self._contact(
            nordstern,
            "Petra",
            "Lang",
            mueller,
            position="Assistant to the division head",
            department="Packaging division",
            country="DE",
            attitude=0,
            influence=2,
            roles=[buying["gatekeeper"]],
        )
        self._contact(
            nordstern,
            "Fang",
            "Wang",
            koch,
            position="Purchasing Manager China",
            department="Procurement",
            country="CN",
            attitude=-1,
            influence=3,
            roles=[buying["buyer"]],
        )

        plan = self._plan(
            nordstern,
            2026,
            2028,
            status="agreed",
            workshop_date=datetime.date(2025, 9, 16),
            account_profile=(
                "Nordstern builds packaging machines for food and pharma; 9,000 employees, "
                "plants in Hamburg, Leipzig and Suzhou. We supply drives and controls since "
                "2012; purchasing is centralised, engineering decides locally."
            ),
            swot_strengths="Market leader in Europe\nStrong engineering culture",
            swot_weaknesses="Slow decisions between headquarters and plants",
            swot_opportunities="Expansion in China\nRetrofit business for installed machines",
            swot_threats="Price pressure from Asian competitors\nPossible merger",
            strategy=(
                "Move from parts supplier to solution partner: win the global framework "
                "contract 2027, grow retrofit business in Germany, and build the relationship "
                "with the Chinese plant."
            ),
            participants=[team[k] for k in ("kam", "nkam", "nkam-china", "innendienst")],
            updated_by=users["kam"],
        )
        for year, amount in ((2026, "4600000"), (2027, "5000000"), (2028, "5600000")):
            PlanRevenueTarget.objects.update_or_create(
                plan=plan, year=year, defaults={"amount": Decimal(amount)}
            )
        for description, value, year in (
            ("Retrofit packages for installed machines in Germany", "400000", 2026),
            ("Drives for the new Suzhou line", "650000", 2027),
            ("Service contract for all plants", "300000", 2028),
        ):
            PlanPotential.objects.update_or_create(
                plan=plan,
                description=description,
                defaults={"estimated_value": Decimal(value), "year": year},
            )
        for text, kind, target, due, status in (
            (
                "Renew the global framework contract",
                "business",
                "3-year contract signed",
                datetime.date(2027, 3, 31),
                "in_progress",
            ),
            (
                "Max Müller sees us as a solution partner",
                "relationship",
                "invited to strategy day",
                datetime.date(2026, 12, 15),
                "in_progress",
            ),
            (
                "Retrofit revenue in Germany",
                "business",
                "+400,000 EUR",
                datetime.date(2026, 12, 31),
                "open",
            ),
            (
                "Regular contact with the Suzhou plant management",
                "relationship",
                "two visits a year",
                datetime.date(2026, 6, 30),
                "achieved",
            ),
        ):
            PlanObjective.objects.update_or_create(
                plan=plan,
                text=text,
                defaults={"kind": kind, "target": target, "due_date": due, "status": status},
            )

        helios = self._account(
            "helios",
            name="Helios Medizintechnik GmbH",
            industry="Medical devices",
            hq_country="DE",
            classification="B",
            attractiveness=4,
            relative_position=4,
            revenue_last_year=Decimal("1350000"),
            revenue_target=Decimal("1600000"),
            description="Maker of imaging systems; one plant near Munich.",
        )
        self._member(helios, users["nkam"], roles["nkam"], "core", "DE", "Account lead.")
        self._member(helios, users["innendienst"], roles["inside-sales"], "core", "", "")
        self._member(helios, users["engineering"], roles["engineering"], "extended", "", "")
        self._contact(
            helios,
            "Julia",
            "Schmitt",
            None,
            position="Head of Purchasing",
            department="Purchasing",
            country="DE",
            attitude=2,
            influence=4,
            roles=[buying["buyer"], buying["decider"]],
        )
        self._plan(
            helios,
            2025,
            2027,
            status="draft",
            workshop_date=None,
            strategy="Become second source for motion control.",
            participants=[],
            updated_by=users["nkam"],
        )

        pacific = self._account(
            "pacific-components",
            name="Pacific Components Ltd.",
            industry="Electronics",
            hq_country="CN",
            classification="C",
            attractiveness=3,
            relative_position=2,
            revenue_last_year=Decimal("480000"),
            revenue_target=Decimal("700000"),
            description="Contract manufacturer in Shenzhen; growing fast.",
        )
        self._member(pacific, users["nkam-china"], roles["nkam"], "core", "CN", "Account lead.")
        self._member(
            pacific,
            users["kam"],
            roles["gkam"],
            "extended",
            "",
            "Supports with the global price list.",
        )
        self._contact(
            pacific,
            "Min",
            "Chen",
            None,
            position="General Manager",
            country="CN",
            attitude=0,
            influence=5,
            roles=[buying["decider"]],
        )

        self._profiles(users, mueller=mueller, hoffmann=hoffmann, koch=koch)
        self._raci(nordstern, roles, participants=list(team.values()))
        self._touchpoints(nordstern, team, mueller=mueller, hoffmann=hoffmann, koch=koch)
        portfolio_demo(users=users, roles=roles, buying=buying)
        coaching_demo(account=nordstern, team=team, lead=users["kam"])

        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(
            f"Log in at http://127.0.0.1:8000/ as kam, nkam, innendienst, manager, outsider "
            f"or admin, password: {password}"
        )

    def _profiles(
        self,
        users: dict[str, User],
        *,
        mueller: CustomerContact,
        hoffmann: CustomerContact,
        koch: CustomerContact,
    ) -> None:
        """The handbook's personalities: a Rot-Blau GKAM, an NKAM high on power and
        independence, Max Müller as Blau-Grün."""
        people: list[tuple[Profile, dict[str, str]]] = [
            (
                Profile(
                    user=users["kam"],
                    primary_colour="red",
                    secondary_colour="blue",
                    share_with_team=True,
                    goals="Renew the global framework contract; +20 % with Nordstern.",
                    bonus="Global revenue of her key accounts, contract renewals.",
                    interests="Sailing, economics podcasts.",
                    character_notes="Decides fast; appreciates a prepared one-pager.",
                ),
                {
                    "power": "1.6",
                    "independence": "0.9",
                    "curiosity": "1.2",
                    "order": "1.0",
                    "status": "1.1",
                    "social-contact": "-0.3",
                    "tranquility": "-1.0",
                },
            ),
            (
                Profile(
                    user=users["nkam"],
                    primary_colour="orange",
                    secondary_colour="red",
                    goals="Grow the German business of his accounts by 10 %.",
                    bonus="National revenue in Germany only.",
                    interests="Football, his two children.",
                    character_notes="Feels restricted by the global framework; involve "
                    "him early in global decisions.",
                ),
                {
                    "power": "1.8",
                    "independence": "1.7",
                    "acceptance": "0.9",
                    "order": "-1.1",
                    "social-contact": "1.3",
                    "family": "1.2",
                    "vengeance": "0.9",
                },
            ),
            (
                Profile(
                    user=users["innendienst"],
                    primary_colour="green",
                    secondary_colour="blue",
                    share_with_team=True,
                    interests="Choir, gardening.",
                ),
                {
                    "power": "-1.2",
                    "independence": "-0.9",
                    "order": "1.5",
                    "saving": "0.6",
                    "honor": "1.1",
                    "social-contact": "1.0",
                    "tranquility": "1.2",
                },
            ),
            (
                Profile(
                    user=users["nkam-china"],
                    primary_colour="blue",
                    secondary_colour="orange",
                    share_with_team=True,
                ),
                {"power": "0.9", "independence": "1.1", "curiosity": "1.4", "honor": "1.3"},
            ),
            (
                Profile(
                    contact=mueller,
                    primary_colour="blue",
                    secondary_colour="green",
                    interests="Management literature, classical music.",
                    character_notes="Wants everything in writing; dislikes being rushed.",
                    legal_basis=Profile.LegalBasis.LEGITIMATE_INTEREST,
                    legal_basis_note="Bereichsleiter behind our largest contract: we prepare "
                    "our meetings the way he works best.",
                ),
                {
                    "power": "0.4",
                    "independence": "0.2",
                    "curiosity": "1.5",
                    "order": "1.6",
                    "acceptance": "-0.9",
                    "status": "0.9",
                    "tranquility": "1.1",
                },
            ),
            (
                Profile(
                    contact=hoffmann,
                    primary_colour="red",
                    secondary_colour="orange",
                    legal_basis=Profile.LegalBasis.LEGITIMATE_INTEREST,
                    legal_basis_note="Decides on the framework contract; we tailor our visits.",
                ),
                {"power": "1.9", "status": "1.4", "saving": "1.2"},
            ),
            (
                Profile(
                    contact=koch,
                    primary_colour="green",
                    legal_basis=Profile.LegalBasis.CONSENT,
                    consent_date=datetime.date(2026, 1, 12),
                    legal_basis_note="Agreed by e-mail after the plant visit.",
                ),
                {"social-contact": "1.3"},
            ),
        ]
        motives = {m.code: m for m in Motive.objects.all()}
        for profile, scores in people:
            existing = Profile.objects.filter(user=profile.user, contact=profile.contact).first()
            if existing:
                profile.pk = existing.pk
            profile_save(
                profile=profile,
                scores={motives[code]: Decimal(value) for code, value in scores.items()},
            )
        # What the demo people chose to share with the Nordstern team themselves
        # (profiles.access): Katrin her motives with the team and her goals with
        # the leads; Ines and Wei their motives. Niklas shares nothing.
        nordstern = KeyAccount.objects.get(slug="nordstern")
        for username, part, audience in (
            ("kam", ProfilePart.MOTIVES, ShareAudience.TEAM),
            ("kam", ProfilePart.GOALS, ShareAudience.LEADS),
            ("innendienst", ProfilePart.MOTIVES, ShareAudience.TEAM),
            ("nkam-china", ProfilePart.MOTIVES, ShareAudience.TEAM),
        ):
            ProfileShare.objects.update_or_create(
                user=users[username], account=nordstern, part=part, defaults={"audience": audience}
            )

    # The handbook's worked example: (task, {letter: [role codes]}).
    HANDBOOK_RACI = [
        (
            "Globaler Rahmenvertrag (global framework contract)",
            {
                "R": ["gkam"],
                "A": ["management"],
                "S": ["inside-sales"],
                "C": ["nkam"],
                "I": ["nkam"],
            },
        ),
        (
            "Globales Beziehungsmanagement (global relationship management)",
            {"R": ["gkam"], "A": ["gkam"], "S": ["inside-sales"]},
        ),
        (
            "Nationale Angebote basierend auf Rahmenvertrag (national offers based on the "
            "framework contract)",
            {"R": ["nkam"], "A": ["nkam"]},
        ),
    ]

    def _raci(
        self,
        account: KeyAccount,
        roles: dict[str, TeamRole],
        participants: list[AccountTeamMember],
    ) -> None:
        template, _ = RaciTemplate.objects.update_or_create(
            name="Global key account (handbook)",
            defaults={"description": "The handbook's three key tasks of a global account."},
        )
        for order, (name, letters) in enumerate(self.HANDBOOK_RACI, start=1):
            ttask, _ = RaciTemplateTask.objects.update_or_create(
                template=template, name=name, defaults={"order": order}
            )
            task, _ = RaciTask.objects.update_or_create(
                account=account, name=name, defaults={"order": order}
            )
            wanted = [(roles[code], letter) for letter, codes in letters.items() for code in codes]
            for parent, model in ((ttask, RaciTemplateAssignment), (task, RaciAssignment)):
                keep = [
                    model.objects.get_or_create(task=parent, role=r, letter=letter)[0].pk
                    for r, letter in wanted
                ]
                model.objects.filter(task=parent).exclude(pk__in=keep).delete()
        matrix, _ = RaciMatrix.objects.update_or_create(
            account=account,
            defaults={"status": RaciMatrix.Status.AGREED, "agreed_on": datetime.date(2025, 9, 16)},
        )
        matrix.participants.set(participants)

    def _touchpoints(
        self,
        account: KeyAccount,
        team: dict[str, AccountTeamMember],
        *,
        mueller: CustomerContact,
        hoffmann: CustomerContact,
        koch: CustomerContact,
    ) -> None:
        """The handbook's plan for Max Müller, other touchpoints, pairs and rhythm."""
        year = 2026
        wang = account.contacts.get(last_name="Wang")
        plan = [
            (
                mueller,
                1,
                None,
                "content",
                "Article from a management magazine",
                "kam",
                "done",
                "He replied and asked for more on the topic.",
            ),
            (
                mueller,
                2,
                None,
                "content",
                "Reference story prepared as a letter",
                "kam",
                "done",
                "Forwarded it to his production manager.",
            ),
            (
                mueller,
                3,
                datetime.date(year, 9, 8),
                "meeting",
                "Meeting with our partner Max Meier to show our wider skill set",
                "kam",
                "done",
                "Interested in the retrofit study.",
            ),
            (
                mueller,
                4,
                datetime.date(year, 12, 15),
                "gift",
                "Christmas gift linked to the strategy consulting offer",
                "kam",
                "planned",
                "",
            ),
            (
                hoffmann,
                3,
                None,
                "call",
                "Call about the framework renewal timeline",
                "nkam",
                "planned",
                "",
            ),
            (
                hoffmann,
                4,
                datetime.date(year, 12, 3),
                "meeting",
                "Annual review at headquarters",
                "kam",
                "planned",
                "",
            ),
            (
                koch,
                4,
                datetime.date(year, 12, 8),
                "content",
                "Send the 2027 price list early",
                "innendienst",
                "planned",
                "",
            ),
            (
                koch,
                2,
                None,
                "event",
                "Invitation to the trade fair",
                "innendienst",
                "cancelled",
                "",
            ),
        ]
        for contact, quarter, date, kind, title, owner, status, outcome in plan:
            Touchpoint.objects.update_or_create(
                account=account,
                contact=contact,
                year=year,
                quarter=quarter,
                title=title,
                defaults={
                    "date": date,
                    "kind": kind,
                    "owner": team[owner],
                    "status": status,
                    "outcome": outcome,
                },
            )
        for member, contact, now, target, cadence, occasion in (
            ("kam", hoffmann, 2, 4, "quarterly", "Annual review in December"),
            ("innendienst", koch, 3, 4, "monthly", "Price list 2027"),
            ("nkam-china", wang, 1, 3, "quarterly", "Visit to Suzhou"),
        ):
            RelationshipPair.objects.update_or_create(
                member=team[member],
                contact=contact,
                defaults={
                    "account": account,
                    "current_level": now,
                    "target_level": target,
                    "cadence": cadence,
                    "next_occasion": occasion,
                },
            )
        core = [m for m in team.values() if m.team == "core"]
        for quarter, date, fmt, purpose, status in (
            (
                1,
                datetime.date(year, 2, 10),
                "in_person",
                "International sales meeting with in-person key account team meeting",
                "held",
            ),
            (2, datetime.date(year, 5, 12), "video", "Video conference", "held"),
            (
                3,
                datetime.date(year, 9, 16),
                "in_person",
                "Key account plan workshop (feeds budget planning)",
                "held",
            ),
            (4, datetime.date(year, 12, 10), "video", "Video conference", "planned"),
        ):
            meeting, _ = TeamMeeting.objects.update_or_create(
                account=account,
                year=year,
                quarter=quarter,
                purpose=purpose,
                defaults={"date": date, "format": fmt, "status": status},
            )
            meeting.participants.set(core)

    def _users(self, password: str) -> dict[str, User]:
        managers, _ = Group.objects.get_or_create(name=MANAGERS_GROUP)
        users: dict[str, User] = {}
        for username, first, last in USERS + PORTFOLIO_USERS:
            user, _ = User.objects.update_or_create(
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
            user.set_password(password)
            user.save(update_fields=["password"])
            if username == "manager":
                user.groups.add(managers)
            users[username] = user
        return users

    def _account(self, slug: str, **fields: Any) -> KeyAccount:
        account, _ = KeyAccount.objects.update_or_create(
            slug=slug, defaults={**fields, "status": KeyAccount.Status.ACTIVE, "archived_at": None}
        )
        return account

    def _member(
        self,
        account: KeyAccount,
        user: User,
        role: TeamRole,
        team: str,
        country: str,
        responsibilities: str,
    ) -> AccountTeamMember:
        member, _ = AccountTeamMember.objects.active().update_or_create(
            account=account,
            user=user,
            role=role,
            country=country,
            defaults={
                "team": team,
                "responsibilities": responsibilities,
                "is_lead": role.grants_lead,
            },
        )
        return member

    def _contact(
        self,
        account: KeyAccount,
        first: str,
        last: str,
        reports_to: CustomerContact | None,
        *,
        roles: list[BuyingCentreRole],
        **fields: Any,
    ) -> CustomerContact:
        contact, _ = CustomerContact.objects.update_or_create(
            account=account,
            first_name=first,
            last_name=last,
            defaults={**fields, "reports_to": reports_to, "archived_at": None},
        )
        contact.buying_roles.set(roles)
        return contact

    def _plan(
        self,
        account: KeyAccount,
        start: int,
        end: int,
        *,
        participants: list[AccountTeamMember],
        updated_by: User,
        **fields: Any,
    ) -> KeyAccountPlan:
        plan, _ = KeyAccountPlan.objects.update_or_create(
            account=account,
            start_year=start,
            defaults={
                **fields,
                "end_year": end,
                "updated_by": updated_by,
                "updated_at": timezone.now(),
            },
        )
        plan.workshop_participants.set(participants)
        return plan
