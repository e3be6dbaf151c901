"""An account's history: every recorded change of what the account owns, newest first.

The records come from django-simple-history's tables, one per model. Which
models belong to an account, and how a history row is tied to it, is listed
once in SOURCES; `workspace/tests/test_account_history_tab.py` fails for a
model with a history and a path to an account that is not listed.

A page costs the same whatever the history's length: one UNION over the
history tables finds the page's rows (filtered, sorted and cut in SQL), one
more counts them; then one query per kind of record on the page fetches the
rows with their previous versions (workspace.history_entries), and one per
kind of related object names them. A "changed" record that changed nothing
(written before core.history_guard) is left out, so such a page may hold
fewer than its 50 rows.

Colleagues' own profiles are not an account's: their history stays on the
person's page, for the person. Customer contacts' profiles are the account's
(its team sees them) and are listed here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import IntegerField, Model, Q, QuerySet, Value
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import (
    AccountTeamMember,
    CustomerContact,
    KeyAccount,
    KeyAccountPlan,
    NationalObjective,
    NationalPlan,
    NationalPotential,
    NationalTarget,
    PlanObjective,
    PlanPotential,
    PlanRevenueTarget,
    RevenueActual,
)
from actions.models import PlanAction
from activities.models import Activity
from coaching.models import Appreciation, CoachingAnswer, CoachingCheck
from comments.models import Comment
from core.collation import name_key
from documents.models import Document, DocumentFile
from news.models import NewsItem
from opportunities.models import Opportunity
from portfolio.models import PlanReview
from profiles.models import MotiveScore, Profile
from raci.models import RaciAssignment, RaciMatrix, RaciTask
from touchpoints.models import RelationshipPair, TeamMeeting, Touchpoint
from users.models import User
from whitespace.models import CustomerUnit, WhitespaceCell
from workspace.history_entries import HistoryEntry, entries_for

# A label of a record: the record, and a function naming one of its fields.
Labeller = Callable[[Any, Callable[[str], str]], str]


@dataclass(frozen=True)
class Source:
    """One model whose history belongs to an account."""

    model: type[Model]
    kind: str  # the filter group (KINDS)
    scope: Callable[[int], Q]  # the account's rows of the model's history table
    label: Labeller  # what the record is about, as the page names it
    hidden: frozenset[str] = field(default_factory=frozenset)  # fields the label already says


def _own(account_id: int) -> Q:
    return Q(account_id=account_id)


# Children are found through their parents' history, so the rows of a
# deleted parent (a RACI task, a plan row) still belong to the account.
def _plans(account_id: int) -> Q:
    return Q(plan_id__in=KeyAccountPlan.history.filter(account_id=account_id).values("id"))


def _tasks(account_id: int) -> Q:
    return Q(task_id__in=RaciTask.history.filter(account_id=account_id).values("id"))


def _checks(account_id: int) -> Q:
    return Q(self_check_id__in=CoachingCheck.history.filter(account_id=account_id).values("id"))


def _national_plans(account_id: int) -> Q:
    return Q(national_plan_id__in=NationalPlan.history.filter(account_id=account_id).values("id"))


def _documents(account_id: int) -> Q:
    return Q(document_id__in=Document.history.filter(account_id=account_id).values("id"))


def _units(account_id: int) -> Q:
    return Q(unit_id__in=CustomerUnit.history.filter(account_id=account_id).values("id"))


def _contacts(account_id: int) -> Q:
    return Q(contact_id__in=CustomerContact.history.filter(account_id=account_id).values("id"))


def _contact_profiles(account_id: int) -> Q:
    return Q(profile_id__in=Profile.history.filter(_contacts(account_id)).values("id"))


KINDS: dict[str, Promise] = {
    "account": _("Account and revenue"),
    "plan": _("Plan and reviews"),
    "team": _("Team"),
    "contacts": _("Contacts and their profiles"),
    "raci": _("RACI"),
    "touchpoints": _("Touchpoints"),
    "relationships": _("Relationships"),
    "meetings": _("Team meetings"),
    "coaching": _("Coaching"),
    "whitespace": _("Whitespace map"),
    "opportunities": pgettext_lazy("sales", "Opportunities"),
    "news": _("Customer news"),
    "activities": _("Activities"),
    "documents": _("Documents"),
    "comments": _("Comments"),
}

SOURCES: list[Source] = [
    Source(KeyAccount, "account", lambda a: Q(id=a), lambda r, n: n("name")),
    Source(RevenueActual, "account", _own, lambda r, n: n("year"), frozenset({"year"})),
    Source(KeyAccountPlan, "plan", _own, lambda r, n: f"{r.start_year}–{r.end_year}"),
    Source(PlanPotential, "plan", _plans, lambda r, n: n("description")),
    Source(PlanObjective, "plan", _plans, lambda r, n: n("text")),
    Source(PlanAction, "plan", _own, lambda r, n: n("title")),
    Source(PlanRevenueTarget, "plan", _plans, lambda r, n: n("year"), frozenset({"year"})),
    Source(PlanReview, "plan", _plans, lambda r, n: n("reviewed_by")),
    Source(NationalPlan, "plan", _own, lambda r, n: n("country")),
    Source(NationalTarget, "plan", _national_plans, lambda r, n: f"{n('national_plan')}, {r.year}"),
    Source(NationalPotential, "plan", _national_plans, lambda r, n: n("description")),
    Source(NationalObjective, "plan", _national_plans, lambda r, n: n("text")),
    Source(
        AccountTeamMember,
        "team",
        _own,
        lambda r, n: f"{n('user')}, {n('role')}" + (f" {n('country')}" if r.country else ""),
    ),
    Source(CustomerContact, "contacts", _own, lambda r, n: f"{r.first_name} {r.last_name}"),
    Source(Profile, "contacts", _contacts, lambda r, n: n("contact"), frozenset({"contact"})),
    Source(
        MotiveScore,
        "contacts",
        _contact_profiles,
        lambda r, n: f"{n('profile')}: {n('motive')}",
        frozenset({"profile", "motive"}),
    ),
    Source(RaciTask, "raci", _own, lambda r, n: n("name")),
    Source(
        RaciAssignment,
        "raci",
        _tasks,
        lambda r, n: f"{n('task')}: {n('role')} {r.letter}",
        frozenset({"task"}),
    ),
    Source(RaciMatrix, "raci", _own, lambda r, n: n("status")),
    Source(Touchpoint, "touchpoints", _own, lambda r, n: n("title")),
    Source(RelationshipPair, "relationships", _own, lambda r, n: f"{n('member')} – {n('contact')}"),
    Source(TeamMeeting, "meetings", _own, lambda r, n: n("purpose")),
    Source(CoachingCheck, "coaching", _own, lambda r, n: n("answered_on")),
    Source(
        CoachingAnswer,
        "coaching",
        _checks,
        lambda r, n: n("question"),
        frozenset({"self_check", "question"}),
    ),
    Source(Appreciation, "coaching", _own, lambda r, n: f"{n('member')}, {n('thanked_on')}"),
    Source(CustomerUnit, "whitespace", _own, lambda r, n: n("name")),
    Source(
        WhitespaceCell,
        "whitespace",
        _units,
        lambda r, n: f"{n('unit')} × {n('offering')}",
        frozenset({"unit", "offering"}),
    ),
    Source(Opportunity, "opportunities", _own, lambda r, n: n("title")),
    Source(NewsItem, "news", _own, lambda r, n: n("title")),
    Source(Activity, "activities", _own, lambda r, n: n("subject")),
    Source(Document, "documents", _own, lambda r, n: n("title")),
    Source(DocumentFile, "documents", _documents, lambda r, n: f"{n('document')}, v{r.number}"),
    Source(Comment, "comments", _own, lambda r, n: r.body[:60] or str(_("comment removed"))),
]


@dataclass(frozen=True)
class HistoryFilter:
    """What the history page was asked to show; empty values mean "all"."""

    kind: str = ""
    person: int | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _branch(index: int, account_id: int, wanted: HistoryFilter) -> QuerySet:
    source = SOURCES[index]
    rows = source.model.history.filter(source.scope(account_id))  # type: ignore[attr-defined]
    if wanted.person is not None:
        rows = rows.filter(history_user_id=wanted.person)
    if wanted.since is not None:
        rows = rows.filter(history_date__gte=_day_start(wanted.since))
    if wanted.until is not None:
        rows = rows.filter(history_date__lt=_day_start(wanted.until + datetime.timedelta(days=1)))
    return (
        rows.annotate(source=Value(index, output_field=IntegerField()))
        .values("history_date", "source", "history_id")
        .order_by()
    )


def history_rows(account: KeyAccount, wanted: HistoryFilter) -> QuerySet:
    """(history_date, source, history_id) of every matching record, newest first."""
    branches = [
        _branch(i, account.pk, wanted)
        for i, source in enumerate(SOURCES)
        if not wanted.kind or source.kind == wanted.kind
    ]
    first, *rest = branches
    rows = first.union(*rest, all=True) if rest else first
    return rows.order_by("-history_date", "-source", "-history_id")


def history_people(account: KeyAccount) -> list[User]:
    """Everyone who changed something of the account, for the person filter."""
    branches = [
        source.model.history.filter(source.scope(account.pk))  # type: ignore[attr-defined]
        .filter(history_user_id__isnull=False)
        .values("history_user_id")
        .order_by()
        for source in SOURCES
    ]
    first, *rest = branches
    people = User.objects.filter(pk__in=first.union(*rest))  # one query, the union inside
    return sorted(people, key=lambda u: (name_key(u.display_name), u.pk))


class AccountHistory:
    """The matching records as a sequence a Paginator can cut: a page is built on demand."""

    def __init__(self, account: KeyAccount, wanted: HistoryFilter) -> None:
        self.rows = history_rows(account, wanted)

    def count(self) -> int:
        return self.rows.count()

    def __getitem__(self, page: slice) -> list[HistoryEntry]:
        return entries_for(list(self.rows[page]), SOURCES)
