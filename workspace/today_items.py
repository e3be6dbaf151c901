"""The home page's items of the person's own work: touchpoints, objectives, plans,
RACI changes and plan reviews. Each function fills the groups (today_types.GROUPS)
with one kind of item, in a fixed number of queries."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import KeyAccount, PlanObjective
from accounts.selectors import plan_expiry
from core.collation import name_key
from core.prepared import prepared
from portfolio.models import PlanReview
from raci.models import RaciAssignment, RaciTask
from touchpoints.models import Touchpoint, quarter_end, quarter_of
from users.models import User
from workspace.today_types import Group, Item, Link, MyAccount

# Touchpoints due within this many days are "coming up"; objectives within OBJECTIVE_DAYS.
TOUCHPOINT_DAYS = 14
OBJECTIVE_DAYS = 30
# At most this many touchpoints or RACI tasks per group; the rest on their own pages.
SHOWN = 15
RESPONSIBLE_LETTERS = ("R", "A")


def touchpoint_due(tp: Touchpoint) -> datetime.date:
    """The day a touchpoint is due: its date, else the last day of its quarter."""
    return tp.date or quarter_end(tp.year, tp.quarter)


def is_late(tp: Touchpoint, today: datetime.date) -> bool:
    """Planned and past due on `today`: its quarter is over, or its date passed
    (Touchpoint.overdue_on, the one rule of every page)."""
    return tp.overdue_on(today)


def due_touchpoints(*, user: User, today: datetime.date) -> list[Touchpoint]:
    """The person's planned touchpoints that are overdue or due within TOUCHPOINT_DAYS.

    Only their own (the owner's seat is theirs and active) on active accounts,
    as on My touchpoints: each one they may mark done (touchpoints.access). One query.
    """
    year, quarter = today.year, quarter_of(today)
    horizon = today + datetime.timedelta(days=TOUCHPOINT_DAYS)
    # Undated: due by the end of its quarter, when it ends within the horizon.
    undated = quarter_end(year, quarter) <= horizon
    return sorted(
        _due_touchpoints(user.pk, year, quarter, horizon, undated),
        key=lambda tp: (touchpoint_due(tp), name_key(tp.account.name), tp.pk),
    )


@prepared
def _due_touchpoints(
    user_id: int, year: int, quarter: int, horizon: datetime.date, undated: bool
) -> QuerySet[Touchpoint]:
    wanted = Q(year__lt=year) | Q(year=year, quarter__lt=quarter) | Q(date__lte=horizon)
    if undated:
        wanted |= Q(date__isnull=True, year=year, quarter=quarter)
    return Touchpoint.objects.filter(
        wanted,
        owner__user_id=user_id,
        owner__archived_at__isnull=True,
        account__status=KeyAccount.Status.ACTIVE,
        status=Touchpoint.Status.PLANNED,
    ).select_related("account", "contact")


def touchpoint_items(groups: dict[str, Group], *, user: User, today: datetime.date) -> None:
    """Overdue and coming-up touchpoints of the person, each marked done in place."""
    for tp in due_touchpoints(user=user, today=today):
        # Shown by touchpoints/_due_item.html, which touchpoints:done answers with too.
        groups["overdue" if is_late(tp, today) else "soon"].items.append(
            Item(
                "touchpoint",
                tp.account,
                tp.title,
                f"{reverse('touchpoints:grid', args=[tp.account.slug])}?year={tp.year}",
                _("Open the touchpoint plan"),
                when=touchpoint_due(tp),
                touchpoint=tp,
            )
        )
    more = Link(_("All your touchpoints"), reverse("my_touchpoints"))
    for code in ("overdue", "soon"):
        cut(groups[code], "touchpoint", more, latest=False)


def objective_items(
    groups: dict[str, Group], *, leads: list[MyAccount], today: datetime.date
) -> None:
    """Open objectives of the current plans of the accounts the person leads, due
    within OBJECTIVE_DAYS or overdue (PlanObjective.is_overdue). One query.

    Objectives have no owner: the plan's leads answer for them.
    """
    plans = {a.plan.pk: a for a in leads if a.plan is not None and not a.plan.is_expired_on(today)}
    if not plans:
        return
    horizon = today + datetime.timedelta(days=OBJECTIVE_DAYS)
    for objective in _open_objectives(sorted(plans), horizon):
        entry = plans[objective.plan_id]
        late = objective.due_date < today
        detail = _("Due %(date)s · %(status)s") % {
            "date": date_format(objective.due_date, "SHORT_DATE_FORMAT"),
            "status": objective.get_status_display(),
        }
        if objective.target:
            detail += f" · {objective.target}"
        groups["overdue" if late else "soon"].items.append(
            Item(
                "objective",
                entry.account,
                objective.text,
                reverse(
                    "accounts:objective_edit",
                    args=[entry.account.slug, objective.plan_id, objective.pk],
                ),
                _("Update the objective"),
                when=objective.due_date,
                detail=detail,
            )
        )


def plan_items(
    groups: dict[str, Group], *, accounts: list[MyAccount], today: datetime.date
) -> None:
    """Expired plans (for everyone on the account) and plans about to run out (leads).

    The rule of accounts.selectors.plan_expiry: only the leads can start the
    next plan, so only they are told that it is time to.
    """
    for entry in accounts:
        plan, slug = entry.plan, entry.account.slug
        expiry = plan_expiry(plan, today)
        if plan is None or not (expiry["plan_expired"] or expiry["plan_runs_out"]):
            continue
        if entry.is_lead:
            link = Link(_("Start the next plan"), reverse("accounts:plan_create", args=[slug]))
        else:
            link = Link(_("Open the plan"), reverse("accounts:plan", args=[slug]))
        if expiry["plan_expired"]:
            title = _("The plan %(period)s expired at the end of %(end)s.") % {
                "period": plan.period,
                "end": plan.end_year,
            }
            groups["overdue"].items.append(
                Item("plan", entry.account, title, link.url, link.label, when=plan.ends_on)
            )
        elif entry.is_lead:
            days = (plan.ends_on - today).days
            detail = ngettext(
                "Runs out in %(days)s day: time for the next plan.",
                "Runs out in %(days)s days: time for the next plan.",
                days,
            ) % {"days": days}
            title = _("Plan %(period)s") % {"period": plan.period}
            groups["soon"].items.append(
                Item(
                    "plan",
                    entry.account,
                    title,
                    link.url,
                    link.label,
                    when=plan.ends_on,
                    detail=detail,
                )
            )


def raci_items(
    groups: dict[str, Group],
    *,
    user: User,
    accounts: list[MyAccount],
    since: datetime.datetime,
) -> None:
    """RACI tasks where one of the person's roles holds R or A, changed by someone else
    since `since` (the task or any of its letters, from their history). Two queries.

    Which letters the person's seats hold is decided on the R and A letters read
    with the tasks, against the seats already read (`accounts`): a subquery over
    the team per task cost Django more to build than the database to run.
    """
    by_id = {a.account.pk: a.account for a in accounts}
    if not by_id:
        return
    seats = {(m.account_id, m.role_id) for a in accounts for m in a.roles}
    roles = sorted({role for _a, role in seats})
    tasks = _changed_tasks(sorted(by_id), roles, user.pk, since)
    group = groups["new"]
    for found in tasks:
        changed = max(d for d in (found.letters_changed, found.task_changed) if d is not None)
        account = by_id[found.account_id]
        held_letters = sorted(
            {a.letter for a in found.assignments.all() if (found.account_id, a.role_id) in seats},
            key=RESPONSIBLE_LETTERS.index,
        )
        if not held_letters:  # changed, but none of the person's seats holds its R or A
            continue
        group.items.append(
            Item(
                "raci",
                account,
                found.name,
                reverse("raci:matrix", args=[account.slug]),
                _("Open the RACI matrix"),
                when=timezone.localtime(changed).date(),
                detail=_("You hold %(letters)s · changed %(date)s")
                % {
                    "letters": ", ".join(held_letters),
                    "date": date_format(timezone.localtime(changed), "SHORT_DATETIME_FORMAT"),
                },
            )
        )
    cut(group, "raci", Link(_("All your roles"), reverse("my_roles")))


@prepared
def _changed_tasks(
    account_ids: list[int], role_ids: list[int], user_id: int, since: datetime.datetime
) -> QuerySet[RaciTask]:
    """The accounts' tasks where one of the roles (held on any account: the seat's
    own account is checked by the caller) has an R or an A, changed by someone
    else since `since`, with their R and A letters."""
    letters = RaciAssignment.history.model.objects.filter(task_id=OuterRef("pk"))
    task = RaciTask.history.model.objects.filter(id=OuterRef("pk"))
    held = RaciAssignment.objects.filter(
        letter__in=RESPONSIBLE_LETTERS, role_id__in=role_ids
    ).values("task_id")
    return (
        RaciTask.objects.filter(account_id__in=account_ids, pk__in=held)
        .annotate(letters_changed=_last_change(letters, user_id, since))
        .annotate(task_changed=_last_change(task, user_id, since))
        .filter(Q(letters_changed__isnull=False) | Q(task_changed__isnull=False))
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=RaciAssignment.objects.filter(letter__in=RESPONSIBLE_LETTERS),
            )
        )
    )


def _last_change(history: QuerySet[Any], user_id: int, since: datetime.datetime) -> Subquery:
    """The latest history record in `history` after `since` by someone else than the user.

    A change without a user (a script, the demo) counts as someone else's.
    """
    later = history.filter(history_date__gt=since).exclude(history_user_id=user_id)
    return Subquery(later.order_by("-history_date").values("history_date")[:1])


@prepared
def _open_objectives(plan_ids: list[int], horizon: datetime.date) -> QuerySet[PlanObjective]:
    return PlanObjective.objects.filter(
        plan_id__in=plan_ids,
        status__in=[PlanObjective.Status.OPEN, PlanObjective.Status.IN_PROGRESS],
        due_date__lte=horizon,
    )


@prepared
def _unread_reviews(account_ids: list[int], user_id: int) -> QuerySet[PlanReview]:
    return (
        PlanReview.objects.filter(plan__account_id__in=account_ids)
        .exclude(reads__user_id=user_id)
        .select_related("reviewed_by", "plan")
    )


def cut(group: Group, kind: str, more: Link, *, latest: bool = True) -> None:
    """Keep SHOWN items of `kind` in `group` (the latest, or the earliest); link the rest.

    A list that grows (a person's many touchpoints, a matrix rebuilt) must
    not make the home page long: the whole list is one click away at `more`.
    """
    mine = [i for i in group.items if i.kind == kind]
    if len(mine) <= SHOWN:
        return
    mine.sort(key=lambda i: i.when or datetime.date.min, reverse=latest)
    dropped = {id(i) for i in mine[SHOWN:]}
    group.items = [i for i in group.items if id(i) not in dropped]
    group.more.append(more)


def review_items(groups: dict[str, Group], *, user: User, leads: list[MyAccount]) -> None:
    """Reviews of the plans of accounts the person leads that they have not read. One query."""
    by_id = {a.account.pk: a.account for a in leads}
    if not by_id:
        return
    for review in _unread_reviews(sorted(by_id), user.pk):
        account = by_id[review.plan.account_id]
        review.plan.account = account  # for the links: no query per review
        groups["new"].items.append(
            Item(
                "review",
                account,
                _("%(who)s reviewed the plan %(period)s")
                % {"who": review.reviewed_by.display_name, "period": review.plan.period},
                review.plan.get_absolute_url(),
                _("Open the plan"),
                when=timezone.localtime(review.reviewed_at).date(),
                detail=review.comment,
                review=review,
            )
        )
