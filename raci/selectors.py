"""Reads for the RACI pages: the matrix with its checks, and "my roles"."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from accounts.models import AccountTeamMember, KeyAccount, TeamRole
from raci.models import (
    LETTER_ASK,
    LETTER_MEANING,
    LETTER_ORDER,
    Letter,
    RaciAssignment,
    RaciTask,
    RaciTemplate,
)
from users.models import User

# Thresholds of the literature's warnings.
MANY_RA = 5  # a role carrying more R and A than this is overloaded
MANY_CI = 4  # a task with more C and I roles than this informs too widely


def legend() -> list[tuple[str, str, str]]:
    """Each letter with its name and what it asks of a role, in the current language."""
    return [(c.value, str(c.label), str(LETTER_MEANING[c.value])) for c in Letter]


def sort_letters(letters: set[str]) -> list[str]:
    return sorted(letters, key=LETTER_ORDER.index)


@dataclass
class Matrix:
    tasks: list[RaciTask]
    roles: list[TeamRole]
    letters: dict[tuple[int, int], list[str]]  # (task id, role id) -> letters
    holders: dict[int, list[AccountTeamMember]]  # role id -> team members
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def rows(self) -> list[tuple[RaciTask, list[tuple[TeamRole, list[str]]]]]:
        return [
            (t, [(r, self.letters.get((t.pk, r.pk), [])) for r in self.roles]) for t in self.tasks
        ]

    @property
    def table(self) -> list[tuple[RaciTask, list[tuple[str, list[TeamRole]]]]]:
        """The handbook's view: tasks x letters, roles in the cells."""
        return [
            (
                t,
                [
                    (
                        letter,
                        [r for r in self.roles if letter in self.letters.get((t.pk, r.pk), [])],
                    )
                    for letter in LETTER_ORDER
                ],
            )
            for t in self.tasks
        ]

    def cell(self, task: RaciTask, role: TeamRole) -> list[str]:
        return self.letters.get((task.pk, role.pk), [])

    def people(self, role: TeamRole) -> str:
        members = self.holders.get(role.pk, [])
        return ", ".join(
            f"{m.user.display_name}" + (f" ({m.country.name})" if m.country else "")
            for m in members
        )

    @property
    def columns(self) -> list[tuple[TeamRole, str]]:
        return [(r, self.people(r)) for r in self.roles]

    @property
    def header(self) -> list[tuple[TeamRole, list[AccountTeamMember]]]:
        """Each role with the members holding it, for the grid's column heads."""
        return [(r, self.holders.get(r.pk, [])) for r in self.roles]

    @property
    def is_complete(self) -> bool:
        return bool(self.tasks) and not self.errors


def account_role_ids(account: KeyAccount) -> set[int]:
    """The roles a matrix may use: held on the team, or already in the matrix."""
    held = set(account.team_members.active().values_list("role_id", flat=True))
    used = set(
        RaciAssignment.objects.filter(task__account=account).values_list("role_id", flat=True)
    )
    return held | used


def matrix_for(account: KeyAccount) -> Matrix:
    """The account's matrix with its checks, in a fixed number of queries."""
    tasks = list(
        account.raci_tasks.prefetch_related(
            Prefetch("assignments", queryset=RaciAssignment.objects.select_related("role"))
        )
    )
    members = list(account.team_members.active().select_related("user__profile", "role"))
    holders: dict[int, list[AccountTeamMember]] = defaultdict(list)
    for m in members:
        holders[m.role_id].append(m)
    letters: dict[tuple[int, int], set[str]] = defaultdict(set)
    roles: dict[int, TeamRole] = {m.role_id: m.role for m in members}
    for t in tasks:
        for a in t.assignments.all():
            letters[(t.pk, a.role_id)].add(a.letter)
            roles[a.role_id] = a.role
    matrix = Matrix(
        tasks=tasks,
        roles=sorted(roles.values(), key=lambda r: (r.order, r.name_en)),
        letters={k: sort_letters(v) for k, v in letters.items()},
        holders=dict(holders),
    )
    _check(matrix)
    return matrix


def template_matrix(template: RaciTemplate) -> Matrix:
    """A template as a matrix over every team role (no team to resolve)."""
    tasks = list(template.tasks.prefetch_related("assignments"))
    letters: dict[tuple[int, int], set[str]] = defaultdict(set)
    for t in tasks:
        for a in t.assignments.all():
            letters[(t.pk, a.role_id)].add(a.letter)
    matrix = Matrix(
        tasks=tasks,  # type: ignore[arg-type]
        roles=list(TeamRole.objects.all()),
        letters={k: sort_letters(v) for k, v in letters.items()},
        holders={},
    )
    _check(matrix, with_team=False)
    return matrix


def _check(m: Matrix, with_team: bool = True) -> None:
    """The completeness checks from the literature, as messages."""
    for t in m.tasks:
        row = [m.letters.get((t.pk, r.pk), []) for r in m.roles]
        a_count = sum("A" in cell for cell in row)
        if a_count != 1:
            m.errors.append(
                _("“%(task)s” needs exactly one A (accountable) but has %(n)d.")
                % {"task": t.name, "n": a_count}
            )
        if not any("R" in cell for cell in row):
            m.errors.append(_("“%(task)s” has no R: nobody is responsible.") % {"task": t.name})
        ci = sum(("C" in cell) + ("I" in cell) for cell in row)
        if ci > MANY_CI:
            m.warnings.append(
                _("“%(task)s” consults or informs %(n)d roles: is everyone needed?")
                % {"task": t.name, "n": ci}
            )
    if not with_team:
        return
    for r in m.roles:
        cells = [m.letters.get((t.pk, r.pk), []) for t in m.tasks]
        ra = sum(("R" in c) + ("A" in c) for c in cells)
        if m.tasks and ra == 0:
            m.warnings.append(_("%(role)s has no R or A on any task.") % {"role": r.name})
        if ra > MANY_RA:
            m.warnings.append(
                _("%(role)s carries %(n)d R and A: is that too much for one role?")
                % {"role": r.name, "n": ra}
            )
        if r.pk not in m.holders:
            m.warnings.append(
                _("Nobody on the team holds the role %(role)s used in the matrix.")
                % {"role": r.name}
            )


@dataclass
class MyRole:
    account: KeyAccount
    task: RaciTask
    role: TeamRole
    letters: list[str]
    others: list[tuple[str, TeamRole, str]]  # letter, role, people

    @property
    def asks(self) -> list[str]:
        return [str(LETTER_ASK[letter]) for letter in self.letters]


def my_roles(user: User) -> list[MyRole]:
    """Every task where the user's team roles hold a letter, across their accounts.

    Four queries, however many accounts and tasks.
    """
    memberships = list(
        AccountTeamMember.objects.active()
        .filter(user=user, account__status=KeyAccount.Status.ACTIVE)
        .select_related("account", "role")
    )
    mine = {(m.account_id, m.role_id) for m in memberships}
    account_ids = {m.account_id for m in memberships}
    tasks = list(
        RaciTask.objects.filter(account_id__in=account_ids)
        .select_related("account")
        .prefetch_related(
            Prefetch("assignments", queryset=RaciAssignment.objects.select_related("role"))
        )
        .order_by("account__name", "order", "pk")
    )
    holders: dict[tuple[int, int], list[AccountTeamMember]] = defaultdict(list)
    for m in (
        AccountTeamMember.objects.active().filter(account_id__in=account_ids).select_related("user")
    ):
        holders[(m.account_id, m.role_id)].append(m)
    result: list[MyRole] = []
    for t in tasks:
        by_role: dict[int, set[str]] = defaultdict(set)
        roles: dict[int, TeamRole] = {}
        for a in t.assignments.all():
            by_role[a.role_id].add(a.letter)
            roles[a.role_id] = a.role
        for role_id, letters in by_role.items():
            if (t.account_id, role_id) not in mine:
                continue
            others = [
                (
                    letter,
                    roles[other],
                    ", ".join(
                        m.user.display_name
                        for m in holders.get((t.account_id, other), [])
                        if m.user_id != user.pk
                    ),
                )
                for other, other_letters in by_role.items()
                for letter in sort_letters(other_letters)
                if other != role_id
            ]
            others.sort(key=lambda o: (LETTER_ORDER.index(o[0]), o[1].order))
            result.append(MyRole(t.account, t, roles[role_id], sort_letters(letters), others))
    return result
