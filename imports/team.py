"""Importing an account's team seats: the preview of a file, then its import.

A row names a colleague (by e-mail or user name), their role on the team and,
for a national role, the country it serves; that is the seat's key, as in
the team form: a role is held once per account, a national role once per
country. A row whose seat exists updates it (core or extended team, lead,
responsibilities), else it adds the colleague to the team. Seats not in the
file stay as they are: taking someone off the team is a decision made in the
team page, one person at a time, with its confirmation.

The rules of the team form hold for every row: a national role needs its
country, the account keeps at least one lead, and a lead of some countries
only (an NKAM) cannot lead more by their own seat.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import services as account_services
from accounts.access import AccountAccess
from accounts.models import AccountTeamMember, KeyAccount, TeamRole
from imports import columns as c
from imports import progress
from imports.base import Preview, Problem
from imports.readers import Table
from users.models import User

COLUMNS = (
    c.Column(
        "person",
        gettext_lazy("Person (e-mail or user name)"),
        required=True,
        example="anna.berger@example.com",
        aliases=("E-mail", "E-Mail", "User name", "Benutzername", "Colleague", "Kollege"),
    ),
    c.Column("role", gettext_lazy("Team role"), required=True, example="NKAM", aliases=("Rolle",)),
    c.Column("country", gettext_lazy("Country"), example="DE"),
    c.Column("team", gettext_lazy("Team"), example="core"),
    c.Column("is_lead", gettext_lazy("Lead"), example="yes"),
    c.Column("responsibilities", gettext_lazy("Responsibilities"), example=""),
)
LABELS = {column.key: column.header for column in COLUMNS}
RESPONSIBILITIES_LIMIT = 10_000
# Each seat goes through the team's own save (its lock, notifications, history):
# about 10 ms each, so a file is kept to what one request writes in seconds.
# No account team comes near it; a larger file is a mistake or an attack.
MAX_ROWS = 500
YES = frozenset({"yes", "y", "ja", "j", "x", "1", "true", "wahr"})
NO = frozenset({"", "no", "n", "nein", "0", "false", "falsch"})
SeatKey = tuple[int, int, str]  # (user, role, country of a national role or "")


@dataclass
class SeatPlan:
    number: int
    name: str
    action: str = "create"  # create, update, unchanged
    user: User | None = None
    role: TeamRole | None = None
    seat: AccountTeamMember | None = None
    values: dict[str, Any] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)

    @property
    def is_account_lead(self) -> bool:
        """Whether the seat leads once the row is imported."""
        assert self.role is not None
        lead = self.values.get("is_lead", self.seat.is_lead if self.seat else False)
        return bool(lead) or self.role.grants_lead


@dataclass
class _Context:
    account: KeyAccount
    people: dict[str, list[User]]  # by e-mail and by user name, case-folded
    roles: dict[str, TeamRole]
    seats: dict[SeatKey, AccountTeamMember]
    teams: dict[str, object]
    countries: dict[str, str]


def _key(user: User, role: TeamRole, country: str) -> SeatKey:
    return (user.pk, role.pk, country if role.is_national else "")


def _context(account: KeyAccount, table: Table, index: int) -> _Context:
    """What the rows are read against; `index` is the person column's."""
    wanted = {cells[index].casefold() for _number, cells in table.rows if index < len(cells)}
    wanted.discard("")
    people: dict[str, list[User]] = {}
    # Only the colleagues the file names, in one query, however large the directory.
    found = (
        User.objects.annotate(email_key=Lower("email"), name_key=Lower("username"))
        .filter(Q(email_key__in=wanted) | Q(name_key__in=wanted))
        .order_by("pk")
    )
    for user in found:
        for key in {user.username.casefold(), user.email.casefold()} & wanted:
            people.setdefault(key, []).append(user)
    roles: dict[str, TeamRole] = {}
    for team_role in TeamRole.objects.all():
        for text in (team_role.code, team_role.name_en, team_role.name_de):
            roles.setdefault(c.squash(text), team_role)
    seats = account.team_members.active().select_related("user", "role")
    return _Context(
        account=account,
        people=people,
        roles=roles,
        seats={_key(seat.user, seat.role, seat.country.code or ""): seat for seat in seats},
        teams=c.choice_lookup(AccountTeamMember.Team),
        countries=c.country_lookup(),
    )


def preview(account: KeyAccount, table: Table, access: AccountAccess | None = None) -> Preview:
    """What importing `table` into the account's team would do. `access` is the
    importer's (for the rule on their own seat); None from a shell."""
    too_many = _("A team import takes at most %(limit)s rows; this file has %(count)s.")
    found, result = c.header_preview(table.header, COLUMNS, len(table.rows), MAX_ROWS, too_many)
    if result.problems:
        return result
    context = _context(account, table, found["person"])
    seen: dict[SeatKey, int] = {}
    for done, (number, cells) in enumerate(table.rows):
        progress.advance(progress.CHECK, done)
        cell = {key: (cells[i] if i < len(cells) else "") for key, i in found.items()}
        row = _read_row(context, number, cell, result.problems)
        if row is None:
            continue
        assert row.user is not None and row.role is not None
        key = _key(row.user, row.role, row.values.get("country", ""))
        if key in seen:
            result.problems.append(
                Problem(
                    number,
                    str(LABELS["person"]),
                    _("Row %(row)s is this seat already.") % {"row": seen[key]},
                )
            )
            continue
        seen[key] = number
        row.seat = context.seats.get(key)
        _compare(row)
        if access is not None:
            _check_own_seat(access, row, result.problems)
        result.rows.append(row)
    _check_leads(context, result)
    return result


def _read_row(
    context: _Context, number: int, cell: dict[str, str], problems: list[Problem]
) -> SeatPlan | None:
    """The row's seat, or None when its person or role is not known (a problem each)."""

    def refuse(key: str, message: str) -> None:
        problems.append(Problem(number, str(LABELS[key]), message))

    values: dict[str, Any] = {}
    user = _person(context, cell["person"], refuse)
    role = c.find(context.roles, cell["role"]) if cell["role"] else None
    if role is None:
        refuse(
            "role",
            _("“%(value)s” is not a team role; the roles are: %(known)s.")
            % {
                "value": cell["role"],
                "known": ", ".join(
                    sorted({r.name for r in context.roles.values()}, key=str.casefold)
                ),
            }
            if cell["role"]
            else _("The team role is missing."),
        )
    if "country" in cell:
        code = c.find(context.countries, cell["country"]) if cell["country"] else ""
        if code is None:
            refuse("country", _("“%(value)s” is not a country.") % {"value": cell["country"]})
        values["country"] = code or ""
    if isinstance(role, TeamRole) and role.is_national and not values.get("country"):
        refuse(
            "country",
            _("%(role)s is a national role: give the country it serves.") % {"role": role.name},
        )
    if "team" in cell:
        team = c.find(context.teams, cell["team"]) if cell["team"] else "core"
        if team is None:
            refuse(
                "team",
                _("“%(value)s” is not a team; the teams are: %(known)s.")
                % {
                    "value": cell["team"],
                    "known": ", ".join(str(label) for label in AccountTeamMember.Team.labels),
                },
            )
        values["team"] = team or "core"
    if "is_lead" in cell:
        text = cell["is_lead"].strip().casefold()
        if text not in YES | NO:
            refuse("is_lead", _("“%(value)s” is not yes or no.") % {"value": cell["is_lead"]})
        values["is_lead"] = text in YES
    if "responsibilities" in cell:
        if len(cell["responsibilities"]) > RESPONSIBILITIES_LIMIT:
            refuse("responsibilities", c.too_long(RESPONSIBILITIES_LIMIT))
        values["responsibilities"] = cell["responsibilities"][:RESPONSIBILITIES_LIMIT]
    if user is None or not isinstance(role, TeamRole):
        return None
    return SeatPlan(number=number, name=user.display_name, user=user, role=role, values=values)


def _person(context: _Context, text: str, refuse) -> User | None:  # type: ignore[no-untyped-def]
    if not text:
        refuse("person", _("The person is missing: give their e-mail or user name."))
        return None
    people = context.people.get(text.casefold(), [])
    if not people:
        refuse(
            "person",
            _("Nobody has the e-mail or user name “%(value)s”.") % {"value": text},
        )
        return None
    if len(people) > 1:
        refuse(
            "person",
            _("Several colleagues have the e-mail “%(value)s”; give the user name.")
            % {"value": text},
        )
        return None
    if not people[0].is_active:
        refuse(
            "person",
            _("%(name)s can no longer sign in and cannot join a team.")
            % {"name": people[0].display_name},
        )
        return None
    return people[0]


def _compare(row: SeatPlan) -> None:
    """What an update changes; a row changing nothing is left alone."""
    seat = row.seat
    if seat is None:
        return
    row.action = "update"
    for key, value in row.values.items():
        now = seat.country.code or "" if key == "country" else getattr(seat, key)
        if now != value:
            row.changes.append(str(LABELS[key]))
    if not row.changes:
        row.action = "unchanged"


def _check_own_seat(access: AccountAccess, row: SeatPlan, problems: list[Problem]) -> None:
    """As in the team form: a lead of some countries only cannot lead more by their own seat."""
    assert row.role is not None
    if access.leads_globally or row.user != access.user or row.action == "unchanged":
        return
    country = row.values.get("country", row.seat.country.code if row.seat else "")
    if row.is_account_lead and not (row.role.is_national and country in access.national_countries):
        problems.append(
            Problem(
                row.number,
                str(LABELS["is_lead"]),
                _(
                    "You lead this account for your countries only: "
                    "another lead must give you more."
                ),
            )
        )


def _check_leads(context: _Context, result: Preview) -> None:
    """The account keeps a lead: a file may hand the lead on, not end it."""
    after = {key for key, seat in context.seats.items() if seat.is_account_lead}
    for row in result.rows:
        key = _key(row.user, row.role, row.values.get("country", ""))
        if row.is_account_lead:
            after.add(key)
        else:
            after.discard(key)
    if after:
        return
    for row in result.rows:
        if row.seat is not None and row.seat.is_account_lead and not row.is_account_lead:
            result.problems.append(
                Problem(
                    row.number,
                    str(LABELS["is_lead"]),
                    account_services.last_lead_reason(row.seat) or "",
                )
            )


def apply(account: KeyAccount, result: Preview, actor: User | None) -> None:
    """Write a preview without problems (the caller holds the transaction): new seats
    first, so that a file handing the lead on never leaves the account without one.
    Each seat goes through the team's own save, which announces it (notifications)
    and refuses to take away the last lead (ValidationError: the caller rolls back)."""
    assert result.ok, "only a preview without problems is imported"
    rows: list[SeatPlan] = result.rows
    for done, row in enumerate(
        [r for r in rows if r.action == "create"] + [r for r in rows if r.action == "update"]
    ):
        progress.advance(progress.WRITE, done)
        seat = row.seat or AccountTeamMember(account=account, user=row.user, role=row.role)
        seat.account = account
        for key, value in row.values.items():
            setattr(seat, key, value)
        seat._history_user = actor  # type: ignore[attr-defined]
        account_services.member_save(member=seat, expected_version=seat.version, actor=actor)
