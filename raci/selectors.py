"""Reads for the RACI pages: the matrix with its checks, and "my roles"."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from accounts.models import AccountTeamMember, KeyAccount, TeamRole
from accounts.selectors import my_memberships
from core.collation import by_name
from core.i18n import country_name
from core.prepared import prepared
from raci.checks import people_count, person, separate_scopes, shared_a_warning, task_gaps
from raci.models import (
    LETTER_ASK,
    LETTER_MEANING,
    LETTER_ORDER,
    Letter,
    RaciAssignment,
    RaciTask,
    RaciTemplate,
)
from raci.parts import MatrixParts, matrix_parts
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
class SharedRole:
    """A role several people hold, and the letters they all hold with it."""

    role: TeamRole
    holders: list[AccountTeamMember]
    tasks: list[tuple[RaciTask, list[str]]]

    @property
    def people(self) -> str:
        return ", ".join(person(m) for m in self.holders)

    @property
    def separate(self) -> bool:
        """Each holder acts for a country of their own (NKAM Germany, NKAM China)."""
        return separate_scopes(self.holders)


@dataclass
class Matrix:
    tasks: list[RaciTask]
    roles: list[TeamRole]
    letters: dict[tuple[int, int], list[str]]  # (task id, role id) -> letters
    holders: dict[int, list[AccountTeamMember]]  # role id -> team members
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    incomplete: set[int] = field(default_factory=set)  # ids of the tasks with a gap

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
        return ", ".join(person(m) for m in self.holders.get(role.pk, []))

    @property
    def shared(self) -> list[SharedRole]:
        """Roles held by several people, with the tasks where they hold letters."""
        return [
            SharedRole(r, members, [(t, self.cell(t, r)) for t in self.tasks if self.cell(t, r)])
            for r in self.roles
            if people_count(members := self.holders.get(r.pk, [])) > 1
            and any(self.cell(t, r) for t in self.tasks)
        ]

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


def matrix_for(account: KeyAccount, parts: MatrixParts | None = None) -> Matrix:
    """The account's matrix with its checks, in a fixed number of queries (none
    when `parts` were read already)."""
    parts = parts or matrix_parts(account)
    holders: dict[int, list[AccountTeamMember]] = defaultdict(list)
    for m in parts.members:
        holders[m.role_id].append(m)
    letters: dict[tuple[int, int], set[str]] = defaultdict(set)
    roles: dict[int, TeamRole] = {m.role_id: m.role for m in parts.members}
    for a in parts.assignments:
        letters[(a.task_id, a.role_id)].add(a.letter)
        roles[a.role_id] = a.role
    matrix = Matrix(
        tasks=parts.tasks,
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
    held = set(m.holders) if with_team else None  # a template has no team to ask
    for t in m.tasks:
        cells = [(r, m.letters.get((t.pk, r.pk), [])) for r in m.roles]
        gaps = task_gaps(t.name, cells, held)
        if gaps:
            m.incomplete.add(t.pk)
            m.errors += gaps
        ci = sum(("C" in letters) + ("I" in letters) for _r, letters in cells)
        if ci > MANY_CI:
            m.warnings.append(
                _("“%(task)s” consults or informs %(n)d roles: is everyone needed?")
                % {"task": t.name, "n": ci}
            )
        if with_team:
            m.warnings += [
                warning
                for r, letters in cells
                if "A" in letters
                and (warning := shared_a_warning(t.name, r, m.holders.get(r.pk, [])))
            ]
    if with_team:
        _check_roles(m)


def _check_roles(m: Matrix) -> None:
    """Warnings per role: no R or A at all, too many, or nobody holding it."""
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
    mine: list[AccountTeamMember] = field(default_factory=list)  # the user's seats in the role
    sharing: list[AccountTeamMember] = field(default_factory=list)  # the role's other people
    gaps: list[str] = field(default_factory=list)  # why the task is not complete

    @property
    def asks(self) -> list[str]:
        return [str(LETTER_ASK[letter]) for letter in self.letters]

    @property
    def scope(self) -> str:
        """The countries the user holds the role for: "Germany"; "" without one."""
        return ", ".join(country_name(m.country.code) for m in self.mine if m.country)

    @property
    def role_label(self) -> str:
        return f"{self.role.name} {self.scope}" if self.scope else self.role.name

    @property
    def sharers(self) -> str:
        return ", ".join(person(m) for m in self.sharing)

    @property
    def separate(self) -> bool:
        """The user and the others in the role each act for a country of their own."""
        return separate_scopes([*self.mine, *self.sharing])

    @property
    def shared_a(self) -> bool:
        """An A the user shares with others and no scope tells apart: who decides?"""
        return "A" in self.letters and bool(self.sharing) and not self.separate


def my_roles(user: User) -> list[MyRole]:
    """Every task where the user's team roles hold a letter, across their accounts.

    Four queries, however many accounts and tasks.
    """
    memberships = my_memberships(user)
    mine: dict[tuple[int, int], list[AccountTeamMember]] = defaultdict(list)
    for m in memberships:
        mine[(m.account_id, m.role_id)].append(m)
    account_ids = sorted({m.account_id for m in memberships})  # a list: one shape per length
    tasks = _tasks_of(account_ids)
    holders: dict[tuple[int, int], list[AccountTeamMember]] = defaultdict(list)
    for m in _holders_on(account_ids):
        holders[(m.account_id, m.role_id)].append(m)
    held: dict[int, set[int]] = defaultdict(set)  # account id -> roles somebody holds
    for account_id, role_id in holders:
        held[account_id].add(role_id)
    # Each holder named once: a task names the people of every other role on it.
    names = {m.pk: person(m) for seats in holders.values() for m in seats}
    return [
        entry
        for t in tasks
        for entry in _my_entries(user, t, mine, holders, held[t.account_id], names)
    ]


@prepared
def _tasks_of(account_ids: list[int]) -> QuerySet[RaciTask]:
    """The tasks of the accounts with their letters (the prefetch, a query of its own)."""
    return (
        RaciTask.objects.filter(account_id__in=account_ids)
        .select_related("account")
        .prefetch_related(
            Prefetch("assignments", queryset=RaciAssignment.objects.select_related("role"))
        )
        .order_by(*by_name("account__name"), "order", "pk")
    )


@prepared
def _holders_on(account_ids: list[int]) -> QuerySet[AccountTeamMember]:
    """The active teams of the accounts: who holds each role."""
    return (
        AccountTeamMember.objects.active()
        .filter(account_id__in=account_ids)
        .select_related("user", "role")
    )


def _my_entries(
    user: User,
    task: RaciTask,
    mine: dict[tuple[int, int], list[AccountTeamMember]],
    holders: dict[tuple[int, int], list[AccountTeamMember]],
    held: set[int],
    names: dict[int, str],
) -> list[MyRole]:
    """The user's entries for one task: one per role of theirs that holds letters on it."""
    by_role: dict[int, set[str]] = defaultdict(set)
    roles: dict[int, TeamRole] = {}
    for a in task.assignments.all():
        by_role[a.role_id].add(a.letter)
        roles[a.role_id] = a.role
    # The same rule as the matrix's check and RaciTask.objects.complete().
    gaps = task_gaps(task.name, [(roles[r], sort_letters(ls)) for r, ls in by_role.items()], held)
    result = []
    for role_id, letters in by_role.items():
        seats = mine.get((task.account_id, role_id))
        if not seats:
            continue
        others = [
            (
                letter,
                roles[other],
                ", ".join(
                    names[m.pk]
                    for m in holders.get((task.account_id, other), [])
                    if m.user_id != user.pk
                ),
            )
            for other, other_letters in by_role.items()
            for letter in sort_letters(other_letters)
            if other != role_id
        ]
        others.sort(key=lambda o: (LETTER_ORDER.index(o[0]), o[1].order))
        sharing = [m for m in holders[(task.account_id, role_id)] if m.user_id != user.pk]
        result.append(
            MyRole(
                task.account,
                task,
                roles[role_id],
                sort_letters(letters),
                others,
                mine=seats,
                sharing=sharing,
                gaps=gaps,
            )
        )
    return result
