"""Writes to RACI matrices and templates."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import AccountTeamMember, KeyAccount, TeamRole
from raci.models import (
    Letter,
    RaciAssignment,
    RaciTask,
    RaciTemplate,
    RaciTemplateAssignment,
    RaciTemplateTask,
)


class RaciError(Exception):
    """A change that the matrix's rules refuse; the message says why."""


def _toggle(model: type, parent_field: str, parent: object, role: TeamRole, letter: str) -> bool:
    if letter not in Letter.values:  # exactly one of the five letters, not a substring
        raise RaciError(
            _("“%(letter)s” is not a RACI letter: use R, A, S, C or I.") % {"letter": letter}
        )
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
        holder = model.objects.filter(**{parent_field: parent}, letter="A").first()
        raise RaciError(
            _(
                "“%(task)s” already has its A (%(role)s): a task has exactly one. Remove that "
                "A first."
            )
            % {"task": parent, "role": holder.role if holder else "?"}
        ) from None
    return True


def assignment_toggle(*, task: RaciTask, role: TeamRole, letter: str) -> bool:
    """Give `role` the `letter` on `task`, or take it away; True when added."""
    return _toggle(RaciAssignment, "task", task, role, letter)


def template_assignment_toggle(*, task: RaciTemplateTask, role: TeamRole, letter: str) -> bool:
    return _toggle(RaciTemplateAssignment, "task", task, role, letter)


def next_order(queryset: object) -> int:
    return (queryset.aggregate(m=Max("order"))["m"] or 0) + 1  # type: ignore[attr-defined]


@dataclass
class ApplySummary:
    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@transaction.atomic
def template_apply(*, template: RaciTemplate, account: KeyAccount) -> ApplySummary:
    """Copy the template's tasks and letters; tasks already present are left alone."""
    summary = ApplySummary()
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
        summary.added.append(ttask.name)
    return summary


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
