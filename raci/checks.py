"""The RACI rules for loaded letters, shared by the matrix check and "My roles".

`task_gaps` is the Python side of `RaciTask.objects.complete()`: a task is
complete when it has exactly one A and at least one R, and the A and one of
the R sit with a role that an active member of the account's team holds.
Change one, change the other (raci/tests/test_raci_completeness.py checks
that the portfolio, the matrix and "My roles" agree).
"""

from __future__ import annotations

from collections.abc import Container, Sequence

from django.utils.translation import gettext as _

from accounts.models import AccountTeamMember, TeamRole
from core.i18n import country_name


def task_gaps(
    name: str, cells: Sequence[tuple[TeamRole, Sequence[str]]], held: Container[int] | None
) -> list[str]:
    """Why the task `name` is not complete, one message per gap; [] when it is.

    `cells` are the task's roles with their letters; `held` the ids of the
    roles an active team member holds, or None where there is no team to ask
    (a company template).
    """
    accountable = [role for role, letters in cells if "A" in letters]
    responsible = [role for role, letters in cells if "R" in letters]
    gaps = []
    if len(accountable) != 1:
        gaps.append(
            _("“%(task)s” needs exactly one A (accountable) but has %(n)d.")
            % {"task": name, "n": len(accountable)}
        )
    elif held is not None and accountable[0].pk not in held:
        gaps.append(
            _(
                "“%(task)s”: the A sits with %(role)s, and nobody on the team holds that role, "
                "so nobody decides."
            )
            % {"task": name, "role": accountable[0].name}
        )
    if not responsible:
        gaps.append(_("“%(task)s” has no R: nobody is responsible.") % {"task": name})
    elif held is not None and not any(role.pk in held for role in responsible):
        gaps.append(
            _(
                "“%(task)s”: the R sits with %(roles)s, and nobody on the team holds that role, "
                "so nobody does the task."
            )
            % {"task": name, "roles": ", ".join(role.name for role in responsible)}
        )
    return gaps


def person(member: AccountTeamMember) -> str:
    """A holder by name, with the country they serve: "Wei Li (China)" (the
    country's name remembered per language: a matrix names its holders often)."""
    if member.country:
        return f"{member.user.display_name} ({country_name(member.country.code)})"
    return member.user.display_name


def people_count(members: Sequence[AccountTeamMember]) -> int:
    """Different people among `members` (one person may hold a role for two countries)."""
    return len({m.user_id for m in members})


def separate_scopes(members: Sequence[AccountTeamMember]) -> bool:
    """Whether each holder of one role acts for a country of their own.

    NKAM Germany and NKAM China each decide for their country; two NKAMs for
    Germany, or two holders without a country, share one decision.
    """
    countries = [str(m.country) for m in members]
    return all(countries) and len(set(countries)) == len(countries)


def shared_a_warning(name: str, role: TeamRole, members: Sequence[AccountTeamMember]) -> str | None:
    """The matrix's warning for an A held by several people with no scope telling them apart."""
    if people_count(members) < 2 or separate_scopes(members):
        return None
    return _(
        "“%(task)s”: the A sits with %(role)s, which %(people)s hold without separate scopes "
        "(no country of their own). Agree who decides, give each their country, or give the A "
        "to one role."
    ) % {"task": name, "role": role.name, "people": ", ".join(person(m) for m in members)}
