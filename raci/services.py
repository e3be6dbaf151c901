"""Writes to RACI matrices and templates."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import AccountTeamMember, KeyAccount, TeamRole
from notifications.kinds import Kind
from notifications.services import RoleHolders, account_team, notify, role_holders
from notifications.texts import in_every_language
from raci.models import (
    LETTER_ORDER,
    Letter,
    RaciAssignment,
    RaciMatrix,
    RaciTask,
    RaciTemplate,
    RaciTemplateAssignment,
    RaciTemplateTask,
)
from users.models import User


class RaciError(Exception):
    """A change that the matrix's rules refuse; the message says why."""


def _check_letter(letter: str) -> None:
    if letter not in Letter.values:  # exactly one of the five letters, not a substring
        raise RaciError(
            _("“%(letter)s” is not a RACI letter: use R, A, S, C or I.") % {"letter": letter}
        )


def _second_a(model: type, parent_field: str, parent: object, holder: Any = None) -> RaciError:
    """The refusal of a second A; `holder`: the A as the caller read it, else read here."""
    holder = holder or model.objects.filter(**{parent_field: parent}, letter="A").first()
    return RaciError(
        _("“%(task)s” already has its A (%(role)s): a task has exactly one. Remove that A first.")
        % {"task": parent, "role": holder.role if holder else "?"}
    )


def _toggle(model: type, parent_field: str, parent: object, role: TeamRole, letter: str) -> bool:
    _check_letter(letter)
    existing = model.objects.filter(**{parent_field: parent}, role=role, letter=letter)
    if existing.exists():
        existing.delete()
        return False
    try:
        with transaction.atomic():
            model.objects.create(**{parent_field: parent}, role=role, letter=letter)
    except IntegrityError:
        # The partial unique index on A: someone (maybe in a parallel request)
        # already gave this task its A.
        raise _second_a(model, parent_field, parent) from None
    return True


def assignment_toggle(
    *,
    task: RaciTask,
    role: TeamRole,
    letter: str,
    actor: User | None = None,
    loaded: list[RaciAssignment] | None = None,
) -> bool:
    """Give `role` the `letter` on `task`, or take it away; True when added.

    The people holding the role on the account are told (notifications), in
    the same transaction as the change. `loaded`: the account's letters as the
    caller read them (raci.parts.MatrixParts), kept up to date here; the change
    then reads nothing first. The database's unique index on A still refuses a
    second A given in a parallel request.
    """
    _check_letter(letter)
    if loaded is None:
        loaded = list(RaciAssignment.objects.filter(task=task, role=role, letter=letter))
    existing = next(
        (a for a in loaded if (a.task_id, a.role_id, a.letter) == (task.pk, role.pk, letter)), None
    )
    if existing is None and letter == "A":
        holder = next((a for a in loaded if a.task_id == task.pk and a.letter == "A"), None)
        if holder is not None:
            raise _second_a(RaciAssignment, "task", task, holder)
    try:
        with transaction.atomic():
            if existing is not None:
                existing.task = task  # the cache counter finds the account without a query
                existing.delete()
            else:
                created = RaciAssignment.objects.create(task=task, role=role, letter=letter)
            _notify_role(
                task.account,
                role,
                actor,
                kind=Kind.RACI_LETTER_TAKEN if existing is not None else Kind.RACI_LETTER_GIVEN,
                task=task.name,
                letter=letter,
            )
    except IntegrityError:
        raise _second_a(RaciAssignment, "task", task) from None
    if existing is not None:
        loaded.remove(existing)
        return False
    loaded.append(created)
    return True


def _notify_role(
    account: KeyAccount, role: TeamRole, actor: User | None, *, kind: str, **params: Any
) -> None:
    notify(
        kind=kind,
        recipients=RoleHolders(role.pk),
        actor=actor,
        account=account,
        url=reverse("raci:matrix", args=[account.slug]),
        params={"account": account.name, "role": in_every_language(lambda: role.name), **params},
    )


def task_delete(*, task: RaciTask, actor: User | None = None) -> None:
    """Delete a task with its letters; the roles that held letters on it are told."""
    held: dict[int, set[str]] = defaultdict(set)
    for role_id, letter in task.assignments.values_list("role_id", "letter"):
        held[role_id].add(letter)
    with transaction.atomic():
        task.delete()
        for role in TeamRole.objects.filter(pk__in=held):
            letters = "".join(sorted(held[role.pk], key=LETTER_ORDER.index))
            _notify_role(
                task.account,
                role,
                actor,
                kind=Kind.RACI_LETTER_TAKEN,
                task=task.name,
                letter=letters,
                deleted=True,
            )


def matrix_agreed_notify(*, matrix: RaciMatrix, was_agreed: bool, actor: User | None) -> None:
    """Tell the whole team once its matrix is set to agreed (not when it stays agreed)."""
    if was_agreed or matrix.status != RaciMatrix.Status.AGREED or matrix.agreed_on is None:
        return
    account = matrix.account
    notify(
        kind=Kind.MATRIX_AGREED,
        recipients=account_team(account),
        actor=actor,
        account=account,
        url=reverse("raci:matrix", args=[account.slug]),
        params={"account": account.name, "date": matrix.agreed_on.isoformat()},
    )


def template_assignment_toggle(*, task: RaciTemplateTask, role: TeamRole, letter: str) -> bool:
    return _toggle(RaciTemplateAssignment, "task", task, role, letter)


def next_order(queryset: object) -> int:
    return (queryset.aggregate(m=Max("order"))["m"] or 0) + 1  # type: ignore[attr-defined]


@dataclass
class ApplySummary:
    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@transaction.atomic
def template_apply(
    *, template: RaciTemplate, account: KeyAccount, actor: User | None = None
) -> ApplySummary:
    """Copy the template's tasks and letters; tasks already present are left alone.

    Each person whose role got letters is told once, with how many.
    """
    summary = ApplySummary()
    given: Counter[int] = Counter()  # letters per team role
    existing = {n.lower() for n in account.raci_tasks.values_list("name", flat=True)}
    order = next_order(account.raci_tasks.all())
    for ttask in template.tasks.prefetch_related("assignments"):
        if ttask.name.lower() in existing:
            summary.skipped.append(ttask.name)
            continue
        task = RaciTask.objects.create(
            account=account, name=ttask.name, description=ttask.description, order=order
        )
        order += 1
        # With history: a plain bulk_create would leave the letters out of the account's history.
        bulk_create_with_history(
            [
                RaciAssignment(task=task, role_id=a.role_id, letter=a.letter)
                for a in ttask.assignments.all()
            ],
            RaciAssignment,
        )
        given.update(a.role_id for a in ttask.assignments.all())
        summary.added.append(ttask.name)
    _notify_template_applied(template, account, actor, given)
    return summary


def _notify_template_applied(
    template: RaciTemplate, account: KeyAccount, actor: User | None, given: Counter[int]
) -> None:
    """One notification per person, counting the letters of all the roles they hold."""
    per_person: Counter[int] = Counter()
    for role_id, people in role_holders(account, given).items():
        for person in people:
            per_person[person] += given[role_id]
    by_count: dict[int, list[int]] = defaultdict(list)
    for person, count in per_person.items():
        by_count[count].append(person)
    for count, people in sorted(by_count.items()):
        notify(
            kind=Kind.RACI_LETTER_GIVEN,
            recipients=people,
            actor=actor,
            account=account,
            url=reverse("raci:matrix", args=[account.slug]),
            params={"account": account.name, "template": template.name, "count": count},
        )


def task_move(*, task: RaciTask, up: bool) -> None:
    """Swap the task with its neighbour above or below."""
    with transaction.atomic():
        tasks = list(task.account.raci_tasks.select_for_update())
        index = next(i for i, t in enumerate(tasks) if t.pk == task.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(tasks):
            return
        tasks[index], tasks[other] = tasks[other], tasks[index]
        for position, t in enumerate(tasks, start=1):
            if t.order != position:
                t.order = position
                t.save(update_fields=["order"])


def member_raci_blockers(member: AccountTeamMember) -> list[str]:
    """The only holder of a role that carries letters cannot leave unnoticed."""
    others = member.account.team_members.active().filter(role=member.role).exclude(pk=member.pk)
    if others.exists():
        return []
    tasks = list(
        RaciTask.objects.filter(account=member.account, assignments__role=member.role)
        .distinct()
        .values_list("name", flat=True)
    )
    if not tasks:
        return []
    return [
        _(
            "%(name)s is the only %(role)s on this account, and %(role)s holds letters in the "
            "RACI matrix (%(tasks)s). Add the successor to the team first, or change the "
            "matrix."
        )
        % {"name": member.user, "role": member.role.name, "tasks": ", ".join(tasks)}
    ]
