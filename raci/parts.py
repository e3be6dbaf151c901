"""What a RACI matrix is built from, read in as few queries as an edit in place
allows: the tasks with their letters, and the team (raci.selectors builds the
matrix and its checks from these)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from accounts.models import AccountTeamMember, KeyAccount, TeamRole
from core.prepared import prepared
from raci.models import RaciAssignment, RaciTask

# The columns of the one query of _tasks_with_letters, in the order of its rows.
_TASK_NAMES = [f.attname for f in RaciTask._meta.concrete_fields]
_LETTER_NAMES = ["id", "role_id", "letter"]
_ROLE_NAMES = [f.attname for f in TeamRole._meta.concrete_fields]


@dataclass
class MatrixParts:
    """What a matrix is built from, read once; an edit in place changes `assignments`
    in memory and builds the matrix again without reading it anew."""

    tasks: list[RaciTask]
    assignments: list[RaciAssignment]  # with their roles
    members: list[AccountTeamMember]  # the active team, with users, profiles and roles

    def role_ids(self) -> set[int]:
        """The roles a matrix may use: held on the team, or already in the matrix."""
        return {m.role_id for m in self.members} | {a.role_id for a in self.assignments}

    def role(self, role_id: int) -> TeamRole | None:
        """The role `role_id` if the matrix may use it (role_ids), else None."""
        rows = [*self.members, *self.assignments]
        return next((r.role for r in rows if r.role_id == role_id), None)


def matrix_parts(
    account: KeyAccount, members: list[AccountTeamMember] | None = None
) -> MatrixParts:
    """The account's tasks with their letters (one query) and its active team (a
    second, unless the caller read it already: accounts.access.account_access_with_team)."""
    tasks, assignments = _tasks_with_letters(account)
    if members is None:
        members = _active_team(account.pk)
        for m in members:
            m.account = account  # as account.team_members would: no query to reach it
    return MatrixParts(tasks=tasks, assignments=assignments, members=members)


@prepared
def _active_team(account_id: int) -> QuerySet[AccountTeamMember]:
    return (
        AccountTeamMember.objects.active()
        .filter(account_id=account_id)
        .select_related("user__profile", "role")
    )


@prepared
def _task_letter_rows(account_id: int) -> QuerySet[Any]:
    """The tasks LEFT JOINed to their letters and roles: the columns of _TASK_NAMES,
    then _LETTER_NAMES, then _ROLE_NAMES."""
    return (
        RaciTask.objects.filter(account_id=account_id)
        .order_by("order", "pk", "assignments__pk")
        .values_list(
            *_TASK_NAMES,
            *(f"assignments__{n}" for n in _LETTER_NAMES),
            *(f"assignments__role__{n}" for n in _ROLE_NAMES),
        )
    )


def _tasks_with_letters(account: KeyAccount) -> tuple[list[RaciTask], list[RaciAssignment]]:
    """The account's tasks in their order and their letters with roles, in one query.

    The tasks LEFT JOINed to their letters and roles, each row split into the
    instances two queries with select_related would have built (Model.from_db,
    so they save and keep history like any other). A matrix is read on every
    toggle: one round trip less there is a tenth of the edit.
    """
    rows = _task_letter_rows(account.pk)
    db = RaciTask.objects.db  # the database the rows came from (the router's choice)
    tasks: list[RaciTask] = []
    assignments: list[RaciAssignment] = []
    roles: dict[int, TeamRole] = {}
    width = len(_TASK_NAMES)
    for row in rows:
        if not tasks or tasks[-1].pk != row[0]:
            task = RaciTask.from_db(db, _TASK_NAMES, row[:width])
            task.account = account  # as account.raci_tasks would: no query to reach it
            tasks.append(task)
        letter_id, role_id, letter = row[width : width + 3]
        if letter_id is None:  # a task without letters
            continue
        role = roles.get(role_id)
        if role is None:
            role = roles[role_id] = TeamRole.from_db(db, _ROLE_NAMES, row[width + 3 :])
        assignment = RaciAssignment.from_db(
            db, ["id", "task_id", "role_id", "letter"], (letter_id, row[0], role_id, letter)
        )
        assignment.role = role
        assignments.append(assignment)
    return tasks, assignments
