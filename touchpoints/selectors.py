"""Reads for the touchpoint pages: the grid, coverage, rhythm, my touchpoints."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.http import Http404
from django.utils import timezone

from accounts.models import AccountTeamMember, BuyingRole, CustomerContact, KeyAccount
from core import facts as union
from core.prepared import prepared
from profiles.access import NOTHING, colleague_visibility
from profiles.colours import FIT_LABELS, Fit, fit
from profiles.models import ProfilePart
from touchpoints.models import (
    RelationshipPair,
    TeamMeeting,
    Touchpoint,
    TouchpointQuerySet,
    quarter_of,
)
from users.models import User

# The overview names the oldest overdue touchpoints, and counts them all: an
# account whose plan nobody kept could have hundreds.
OVERDUE_SHOWN = 5
# The buying-centre roles that decide: each needs a relationship owner.
DECISION_MAKERS = frozenset({BuyingRole.DECIDER, BuyingRole.APPROVER})


def this_quarter() -> tuple[int, int]:
    today = timezone.localdate()
    return today.year, quarter_of(today)


def with_people() -> TouchpointQuerySet:
    """Touchpoints with their owner (person and role) and contact, as lists show them."""
    return Touchpoint.objects.select_related("owner__user", "owner__role", "contact")


@dataclass
class GridRow:
    contact: CustomerContact
    quarters: list[list[Touchpoint]]


def touchpoint_grid(account: KeyAccount, year: int) -> list[GridRow]:
    """Active contacts x Q1..Q4, each cell the touchpoints planned there."""
    cells: dict[tuple[int, int], list[Touchpoint]] = defaultdict(list)
    for tp in _year_touchpoints(account.pk, year):
        cells[(tp.contact_id, tp.quarter)].append(tp)
    contacts = _active_contacts(account.pk)
    for contact in contacts:
        contact.account = account  # as account.contacts would: its address needs the slug
    return [GridRow(c, [cells[(c.pk, q)] for q in range(1, 5)]) for c in contacts]


@prepared
def _year_touchpoints(account_id: int, year: int) -> QuerySet[Touchpoint]:
    return with_people().filter(account_id=account_id, year=year)


@prepared
def _active_contacts(account_id: int) -> QuerySet[CustomerContact]:
    return CustomerContact.objects.active().filter(account_id=account_id).select_related("profile")


def touchpoint_of(account: KeyAccount, pk: int) -> Touchpoint:
    """The account's touchpoint `pk` with its owner and contact (404 for any other)."""
    return _on_account(_touchpoint_of.first(account.pk, pk), account)


def _on_account(found: Touchpoint | None, account: KeyAccount) -> Touchpoint:
    if found is None:
        raise Http404("no such touchpoint on this account")  # the page names nothing
    found.account = account  # as account.touchpoints would: no query to reach it
    return found


@prepared
def _touchpoint_of(account_id: int, pk: int) -> QuerySet[Touchpoint]:
    return Touchpoint.objects.filter(account_id=account_id, pk=pk).select_related(
        "owner", "contact"
    )


def touchpoint_to_mark_done(account: KeyAccount, pk: int) -> tuple[Touchpoint, list[Any]]:
    """`touchpoint_of`, and the rows of its companions' link table, which the
    history entry of its "done" copies (touchpoints.services.touchpoint_done).
    On PostgreSQL both come in one query, the links as two arrays."""
    if connection.vendor != "postgresql":
        touchpoint = touchpoint_of(account, pk)
        return touchpoint, list(companion_links(pk))
    found = _on_account(_touchpoint_with_links.first(account.pk, pk), account)
    through = Touchpoint.companions.through
    links = [
        through(id=link_id, touchpoint_id=found.pk, accountteammember_id=seat_id)
        for link_id, seat_id in zip(found.link_ids, found.link_seat_ids, strict=True)
    ]
    return found, links


@prepared
def _touchpoint_with_links(account_id: int, pk: int) -> QuerySet[Touchpoint]:
    from django.contrib.postgres.expressions import ArraySubquery

    links = Touchpoint.companions.through.objects.filter(touchpoint_id=OuterRef("pk"))
    links = links.order_by("pk")
    return _touchpoint_of.build(account_id, pk).annotate(
        link_ids=ArraySubquery(links.values("pk")),
        link_seat_ids=ArraySubquery(links.values("accountteammember_id")),
    )


@prepared
def companion_links(touchpoint_id: int) -> QuerySet[Any]:
    """The touchpoint's rows of its companions' link table."""
    return Touchpoint.companions.through.objects.filter(touchpoint_id=touchpoint_id)


def touchpoint_cell(
    account: KeyAccount, contact_id: int, year: int, quarter: int
) -> list[Touchpoint]:
    """The touchpoints of one cell of the grid, in the grid's order."""
    return _cell_touchpoints(account.pk, contact_id, year, quarter)


@prepared
def _cell_touchpoints(
    account_id: int, contact_id: int, year: int, quarter: int
) -> QuerySet[Touchpoint]:
    return with_people().filter(
        account_id=account_id, contact_id=contact_id, year=year, quarter=quarter
    )


@dataclass
class Coverage:
    no_touchpoint_this_quarter: list[CustomerContact] = field(default_factory=list)
    no_touchpoint_this_year: list[CustomerContact] = field(default_factory=list)
    deciders_without_owner: list[CustomerContact] = field(default_factory=list)
    overdue: list[Touchpoint] = field(default_factory=list)  # the OVERDUE_SHOWN oldest
    overdue_count: int = 0  # all of them
    no_in_person_meeting: bool = False

    @property
    def overdue_more(self) -> int:
        """The overdue touchpoints the list leaves out."""
        return self.overdue_count - len(self.overdue)

    @property
    def gaps(self) -> int:
        return (
            len(self.no_touchpoint_this_quarter)
            + len(self.deciders_without_owner)
            + self.overdue_count
            + int(self.no_in_person_meeting)
        )


@dataclass
class CoverageFacts:
    """What the coverage rules ask of some accounts' plans, as plain numbers."""

    touched: list[tuple[int, int, int]] = field(default_factory=list)  # account, contact, quarter
    owned: set[int] = field(default_factory=set)  # contacts with a relationship owner
    meetings: set[int] = field(default_factory=set)  # accounts with a meeting this year
    in_person: set[int] = field(default_factory=set)  # ... with an in-person one

    def take(self, row: union.Row) -> bool:
        """Keep `row` if it is one of coverage_facts' rows; False for any other."""
        fact, account_id, n1, n2 = row
        if fact == "touched":
            self.touched.append((account_id, n1, n2))
        elif fact == "owned":
            self.owned.add(n1)
        elif fact == "meeting":
            self.meetings.add(account_id)
            if n1:
                self.in_person.add(account_id)
        else:
            return False
        return True


def coverage_facts(ids: list[int], year: int) -> list[QuerySet[Any]]:
    """The branches (core.facts) of what CoverageFacts holds for the accounts `ids`:
    `year`'s touchpoints that are not cancelled, the relationship owners, `year`'s
    team meetings that are not cancelled (n1: 1 in person, as TeamMeeting.in_person)."""
    not_cancelled = Q(status__in=[Touchpoint.Status.PLANNED, Touchpoint.Status.DONE])
    in_person = Case(When(format=TeamMeeting.Format.IN_PERSON, then=Value(1)), default=Value(0))
    return [
        union.tagged(
            Touchpoint.objects.filter(not_cancelled, account_id__in=ids, year=year),
            "touched", account="account_id", n1=F("contact_id"), n2=F("quarter"),
        ),
        union.tagged(
            RelationshipPair.objects.filter(account_id__in=ids),
            "owned", account="account_id", n1=F("contact_id"),
        ),
        union.tagged(
            TeamMeeting.objects.filter(account_id__in=ids, year=year).exclude(
                status=TeamMeeting.Status.CANCELLED
            ),
            "meeting", account="account_id", n1=in_person,
        ),
    ]  # fmt: skip


def coverage(account: KeyAccount, contacts: list[CustomerContact] | None = None) -> Coverage:
    """Where the information plan has gaps, for the workspace. Four queries; two
    when the caller read the active contacts with their buying roles (`contacts`):
    the facts (coverage_facts) and the oldest overdue touchpoints."""
    year, quarter = this_quarter()
    if contacts is None:
        contacts = list(account.contacts.active().prefetch_related("buying_roles"))
    facts = CoverageFacts()
    for row in _coverage_rows([account.pk], year):
        facts.take(row)
    in_year = {c for _a, c, _q in facts.touched}
    in_quarter = {c for _a, c, q in facts.touched if q == quarter}
    result = Coverage(
        no_touchpoint_this_quarter=[c for c in contacts if c.pk not in in_quarter],
        no_touchpoint_this_year=[c for c in contacts if c.pk not in in_year],
        deciders_without_owner=[
            c
            for c in contacts
            if c.pk not in facts.owned
            and any(r.code in DECISION_MAKERS for r in c.buying_roles.all())
        ],
        no_in_person_meeting=account.pk not in facts.in_person,
    )
    result.overdue, result.overdue_count = _oldest_overdue(account)
    return result


@prepared
def _coverage_rows(ids: list[int], year: int) -> QuerySet[Any]:
    """coverage_facts as one query (core.facts.united), its SQL kept per number of ids."""
    return union.united(coverage_facts(ids, year))


def _oldest_overdue(account: KeyAccount) -> tuple[list[Touchpoint], int]:
    """The OVERDUE_SHOWN oldest overdue touchpoints, and how many there are, in
    one query (the count a window over the rows the LIMIT cuts). In SQL:
    filtering in Python would load every planned touchpoint of every year."""
    today = timezone.localdate()
    rows = _overdue_rows(account.pk, today.year, quarter_of(today), today)
    return rows, rows[0].overdue_count if rows else 0


@prepared
def _overdue_rows(
    account_id: int, year: int, quarter: int, today: datetime.date
) -> QuerySet[Touchpoint]:
    # The year and quarter of today come in as arguments: computed here from a
    # date they would not be the query's plain values (core.prepared).
    return (
        with_people()
        .filter(account_id=account_id)
        .overdue_in(year, quarter, today)
        .annotate(overdue_count=Window(Count("pk")))
        .order_by("year", "quarter", "date", "pk")[:OVERDUE_SHOWN]
    )


def core_met_in_person(account: KeyAccount, year: int) -> bool:
    """Whether an in-person team meeting is planned or held this year."""
    return account.meetings.in_person(year).exists()


def meetings(account: KeyAccount, year: int) -> list[TeamMeeting]:
    return list(
        account.meetings.filter(year=year).prefetch_related(
            Prefetch("participants", queryset=AccountTeamMember.objects.select_related("user"))
        )
    )


@dataclass
class PairView:
    pair: RelationshipPair
    fit: Fit | None
    # The profiles whose colour badges the viewer may see, else None.
    member_profile: object = None
    contact_profile: object = None

    @property
    def fit_label(self) -> str:
        return str(FIT_LABELS[self.fit]) if self.fit else ""


def relationship_plan(account: KeyAccount, viewer: User) -> dict[str, object]:
    """Pairs with their colour fit, and owner suggestions for uncovered contacts.

    Everything derived from a colour (the badge, the fit, the suggestions)
    follows the rule of the colour itself: a colleague's colour only where the
    viewer may see it, a contact's only for the account's own team. Managers
    and staff who merely review the account get no fit and no suggestions.
    """
    pairs = list(
        account.relationships.select_related(
            "member__user__profile", "member__role", "contact__profile", "contact__account"
        )
    )
    members = list(account.team_members.active().select_related("user__profile", "role"))
    visible = colleague_visibility(viewer, [m.user_id for m in members])
    # Contact profiles belong to the account's team (profiles.access).
    on_team = any(m.user_id == viewer.pk for m in members)

    def visible_profile(member: AccountTeamMember) -> object:
        if ProfilePart.COLOURS in visible.get(member.user_id, NOTHING):
            return getattr(member.user, "profile", None)
        return None

    def colour(member: AccountTeamMember) -> str:
        profile = visible_profile(member)
        return profile.primary_colour if profile else ""

    def contact_profile(contact: CustomerContact) -> object:
        return getattr(contact, "profile", None) if on_team else None

    def contact_colour(contact: CustomerContact) -> str:
        profile = contact_profile(contact)
        return profile.primary_colour if profile else ""

    views = []
    for p in pairs:
        a, b = colour(p.member), contact_colour(p.contact)
        views.append(
            PairView(
                p,
                fit(a, b) if a and b else None,
                member_profile=visible_profile(p.member),
                contact_profile=contact_profile(p.contact),
            )
        )
    owned = {p.contact_id for p in pairs}
    order = {Fit.SAME: 0, Fit.NEIGHBOUR: 1, Fit.OPPOSITE: 2}
    suggestions = []
    for contact in account.contacts.active().select_related("profile"):
        if contact.pk in owned:
            continue
        theirs = contact_colour(contact)
        ranked = sorted(
            ((m, fit(colour(m), theirs)) for m in members if colour(m) and theirs),
            key=lambda mf: order[mf[1]],
        )
        best = [m for m, f in ranked if f != Fit.OPPOSITE][:3]
        suggestions.append((contact, best))
    return {"pairs": views, "suggestions": suggestions, "shows_fit": on_team}


def owned_or_joined_by(user_id: int) -> Q:
    """Touchpoints owned through one of the user's active seats or joined as a companion.

    A subquery, not a join: a touchpoint with several companions is listed once.
    The union of two indexed lookups, not an OR of them: with an OR PostgreSQL
    reads every touchpoint (200 ms at a million), with the union 5 ms.
    """
    owned = (
        Touchpoint.objects.filter(owner__user_id=user_id, owner__archived_at__isnull=True)
        .order_by()
        .values("pk")
    )
    joined = (
        Touchpoint.companions.through.objects.filter(
            accountteammember__user_id=user_id, accountteammember__archived_at__isnull=True
        )
        .order_by()
        .values("touchpoint_id")
    )
    return Q(pk__in=owned.union(joined))
