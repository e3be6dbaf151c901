"""What the home page asks of a lead about the accounts they lead: thank-yous due,
gaps in the contact coverage, and the onboarding checklist of an account with
little set up yet. Four queries for any number of accounts (lead_facts and the
thank-yous)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Max, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import AccountTeamMember, CustomerContact, KeyAccount
from coaching.models import Appreciation
from coaching.selectors import ThanksDue
from core import facts as union
from core.prepared import prepared
from raci.models import Letter, RaciAssignment
from touchpoints.models import quarter_of
from touchpoints.selectors import DECISION_MAKERS, CoverageFacts, coverage_facts
from users.models import User
from workspace.today_types import Item, Link, MyAccount

# Contacts without a touchpoint this quarter named on the item; the rest counted.
NAMED = 5
# The onboarding checklist shows while an account is this young, or while at
# most half its steps are done; after that the other items take over.
NEW_ACCOUNT_DAYS = 90
MIN_CORE_TEAM = 2


@dataclass(frozen=True)
class Step:
    label: str
    done: bool
    url: str  # where to do it


@dataclass
class Checklist:
    """The first steps of a key account, ticked as they get done."""

    account: KeyAccount
    steps: list[Step] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def total(self) -> int:
        return len(self.steps)


@dataclass
class LeadSetup:
    items: list[Item] = field(default_factory=list)
    checklists: list[Checklist] = field(default_factory=list)


@dataclass
class LeadFacts:
    """What the lead's accounts hold, read once for all of them."""

    members: list[AccountTeamMember]
    contacts: list[CustomerContact]
    plans: CoverageFacts  # this year's touchpoints, the owners, the meetings
    deciders: set[int]  # contacts with a decider's or an approver's role
    raci_complete: set[int]  # accounts with a task that has an A and an R held


def lead_facts(ids: list[int], year: int) -> LeadFacts:
    """Three queries for the accounts `ids`, however many: the team, the contacts,
    and the rest as one UNION of plain numbers (core.facts): the coverage facts
    of touchpoints.selectors, the decision makers, the A and R letters.

    Each small list cost a round trip and Django's building of a query, more
    than the database's work; the letters are held against the team already
    read (RaciTask.complete's rule, in Python).
    """
    members = _members(ids)
    contacts = _contacts(ids)
    facts = LeadFacts(members, contacts, CoverageFacts(), set(), set())
    held = {(m.account_id, m.role_id) for m in members}
    lettered: dict[tuple[int, int], set[str]] = {}
    for row in _fact_rows(ids, year):
        fact, account_id, n1, n2 = row
        if facts.plans.take(row):
            continue
        if fact == "decider":
            facts.deciders.add(n1)
        elif (account_id, n2) in held:  # an A or R on a role somebody on the team holds
            lettered.setdefault((account_id, n1), set()).add(fact)
    facts.raci_complete = {a for (a, _task), found in lettered.items() if len(found) == 2}
    return facts


@prepared
def _members(ids: list[int]) -> QuerySet[AccountTeamMember]:
    return (
        AccountTeamMember.objects.active().filter(account_id__in=ids).select_related("user", "role")
    )


@prepared
def _contacts(ids: list[int]) -> QuerySet[CustomerContact]:
    return CustomerContact.objects.active().filter(account_id__in=ids)


@prepared
def _fact_rows(ids: list[int], year: int) -> QuerySet[Any]:
    deciders = union.tagged(
        CustomerContact.buying_roles.through.objects.filter(
            customercontact__account_id__in=ids, buyingcentrerole__code__in=DECISION_MAKERS
        ),
        "decider", account="customercontact__account_id", n1=F("customercontact_id"),
    )  # fmt: skip
    letters = union.tagged(
        RaciAssignment.objects.filter(task__account_id__in=ids, letter__in=[Letter.A, Letter.R]),
        F("letter"), account="task__account_id", n1=F("task_id"), n2=F("role_id"),
    )  # fmt: skip
    return union.united([*coverage_facts(ids, year), deciders, letters])


def lead_setup(*, user: User, leads: list[MyAccount], today: datetime.date) -> LeadSetup:
    """Thank-yous due, coverage gaps and onboarding checklists of the accounts `user` leads."""
    if not leads:
        return LeadSetup()
    ids = [a.account.pk for a in leads]
    facts = lead_facts(ids, today.year)
    setup = LeadSetup()
    setup.items += thanks_items(user=user, leads=leads, members=facts.members)
    for entry in leads:
        setup.items += coverage_items(entry.account, facts, today)
        checklist = onboarding(entry, facts, today)
        if checklist is not None:
            setup.checklists.append(checklist)
    return setup


def thanks_items(
    *, user: User, leads: list[MyAccount], members: list[AccountTeamMember]
) -> list[Item]:
    """Team members a lead has not thanked for a while, per account (ThanksDue.is_due).

    The rule of coaching.selectors.appreciation_status, read for every account
    the person leads at once; the person is not reminded to thank themselves.
    """
    by_id = {a.account.pk: a.account for a in leads}
    last = dict(_last_thanks(sorted(by_id)))
    due: dict[int, list[ThanksDue]] = {}
    for member in members:
        thanks = ThanksDue(member, last.get(member.pk))
        if member.user_id != user.pk and thanks.is_due:
            due.setdefault(member.account_id, []).append(thanks)
    items = []
    for account_id, people in due.items():
        account = by_id[account_id]
        add = reverse("coaching:thanks_create", args=[account.slug])
        items.append(
            Item(
                "thanks",
                account,
                _("Time to say thank you?"),
                reverse("coaching:page", args=[account.slug]),
                _("Appreciation log"),
                detail=_("Not thanked for their support for a while:"),
                links=[Link(_thanks_label(t), f"{add}?member={t.member.pk}") for t in people],
            )
        )
    return items


@prepared
def _last_thanks(account_ids: list[int]) -> QuerySet[Any]:
    return (
        Appreciation.objects.filter(account_id__in=account_ids)
        .values("member_id")
        .annotate(last=Max("thanked_on"))
        .values_list("member_id", "last")
    )


def _thanks_label(thanks: ThanksDue) -> str:
    who = f"{thanks.member.user.display_name} ({thanks.member.role_label})"
    if thanks.days_ago is None:
        return _("%(who)s: not thanked yet") % {"who": who}
    return ngettext(
        "%(who)s: last thanked %(days)s day ago",
        "%(who)s: last thanked %(days)s days ago",
        thanks.days_ago,
    ) % {"who": who, "days": thanks.days_ago}


def coverage_items(account: KeyAccount, facts: LeadFacts, today: datetime.date) -> list[Item]:
    """Decision makers without a relationship owner; contacts without a touchpoint this
    quarter. The rules of touchpoints.selectors.coverage, for one of the lead's accounts."""
    quarter = quarter_of(today)
    contacts = [c for c in facts.contacts if c.account_id == account.pk]
    in_quarter = {c for a, c, q in facts.plans.touched if a == account.pk and q == quarter}
    deciders = [c for c in contacts if c.pk in facts.deciders and c.pk not in facts.plans.owned]
    untouched = [c for c in contacts if c.pk not in in_quarter]
    items = []
    if deciders:
        add = reverse("touchpoints:relationship_create", args=[account.slug])
        items.append(
            Item(
                "coverage",
                account,
                _("Decision makers without a relationship owner"),
                reverse("touchpoints:relationships", args=[account.slug]),
                _("Open the relationship plan"),
                detail=_("Give each one an owner in the team:"),
                links=[Link(c.full_name, f"{add}?contact={c.pk}") for c in deciders],
            )
        )
    if untouched:
        names = ", ".join(c.full_name for c in untouched[:NAMED])
        if len(untouched) > NAMED:
            names += " " + _("and %(n)s more") % {"n": len(untouched) - NAMED}
        items.append(
            Item(
                "coverage",
                account,
                ngettext(
                    "%(n)s contact without a touchpoint this quarter",
                    "%(n)s contacts without a touchpoint this quarter",
                    len(untouched),
                )
                % {"n": len(untouched)},
                f"{reverse('touchpoints:grid', args=[account.slug])}?year={today.year}",
                _("Open the touchpoint plan"),
                detail=names,
            )
        )
    return items


def onboarding(entry: MyAccount, facts: LeadFacts, today: datetime.date) -> Checklist | None:
    """The first steps of `entry`'s account, while it has little set up; else None."""
    account, slug = entry.account, entry.account.slug
    core = sum(
        1
        for m in facts.members
        if m.account_id == account.pk and m.team == AccountTeamMember.Team.CORE
    )
    plan = entry.plan
    steps = [
        Step(
            _("A key account plan, worked out with the core team"),
            plan is not None and not plan.is_expired_on(today),
            reverse("accounts:plan_create", args=[slug]),
        ),
        Step(
            _("A core team of at least %(n)s people") % {"n": MIN_CORE_TEAM},
            core >= MIN_CORE_TEAM,
            reverse("accounts:member_add", args=[slug]),
        ),
        Step(
            _("The customer's contacts"),
            any(c.account_id == account.pk for c in facts.contacts),
            reverse("accounts:contact_create", args=[slug]),
        ),
        Step(
            _("A RACI matrix: tasks with an A and an R"),
            account.pk in facts.raci_complete,
            reverse("raci:matrix", args=[slug]),
        ),
        Step(
            _("Touchpoints planned this year"),
            any(a == account.pk for a, _c, _q in facts.plans.touched),
            f"{reverse('touchpoints:grid', args=[slug])}?year={today.year}",
        ),
        Step(
            _("The team's meeting rhythm this year"),
            account.pk in facts.plans.meetings,
            reverse("touchpoints:rhythm", args=[slug]),
        ),
    ]
    checklist = Checklist(account, steps)
    young = (today - timezone.localtime(account.created_at).date()).days <= NEW_ACCOUNT_DAYS
    if checklist.done == checklist.total or not (young or checklist.done * 2 <= checklist.total):
        return None
    return checklist
