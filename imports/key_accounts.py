"""Importing key accounts from a spreadsheet (managers): the preview of a file, then its import.

A row is an account: its name, headquarters country and first lead, and
optionally its short name (the address), industry, classification,
attractiveness, relative position and description. A row finds its account
by the short name when given, else by the name (case aside), so the same
file twice changes nothing and a corrected file updates in place.

A new account is checked by the very form a manager fills in by hand
(accounts.forms.KeyAccountCreateForm) and created as that form creates it,
with its first lead on the core team, who is told. A found account is
changed only where the file's columns differ, and only by someone who may
edit it (one of its leads): a manager who leads no such account gets the
row as a problem, never a write. The lead and role columns only apply to a
new account: an existing team changes in its team page, or by a team import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.db.models.functions import Lower
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import services as account_services
from accounts.access import account_access
from accounts.forms import RESERVED_SLUGS, KeyAccountCreateForm, KeyAccountForm
from accounts.models import KeyAccount, TeamRole
from accounts.slugs import free_slug
from core.concurrency import save_versioned
from imports import columns as c
from imports import progress
from imports.base import Preview, Problem
from imports.readers import Table
from users.models import User

COLUMNS = (
    c.Column("name", gettext_lazy("Name"), required=True, example="Nordwind Logistik GmbH"),
    c.Column(
        "slug",
        gettext_lazy("Short name for links"),
        example="nordwind",
        aliases=("Short name", "Slug", "Address", "Kurzname", "Adresse"),
    ),
    c.Column(
        "hq_country",
        gettext_lazy("Headquarters country"),
        required=True,
        example="DE",
        aliases=("Country", "Land", "HQ country"),
    ),
    c.Column(
        "first_lead",
        gettext_lazy("First lead (e-mail or user name)"),
        required=True,
        example="kam@example.com",
        aliases=("Lead", "First lead", "KAM", "Erster Lead"),
    ),
    c.Column(
        "lead_role",
        gettext_lazy("Lead's team role"),
        example="GKAM",
        aliases=("Role", "Team role", "Rolle"),
    ),
    c.Column("industry", gettext_lazy("Industry"), example="Logistics", aliases=("Branche",)),
    c.Column(
        "classification", gettext_lazy("Classification"), example="A", aliases=("ABC", "Klasse")
    ),
    c.Column("attractiveness", gettext_lazy("Customer attractiveness"), example="4"),
    c.Column("relative_position", gettext_lazy("Our relative position"), example="3"),
    c.Column("description", gettext_lazy("Description"), aliases=("Beschreibung", "Notes")),
)
LABELS = {column.key: column.header for column in COLUMNS}
# The account fields a row may set (the rest of COLUMNS name the first lead).
FIELDS = (
    "name",
    "slug",
    "hq_country",
    "industry",
    "classification",
    "attractiveness",
    "relative_position",
    "description",
)
# A company has tens of key accounts, not thousands: every row goes through a form.
MAX_ROWS = 500


@dataclass
class AccountPlan:
    number: int
    name: str
    action: str = "create"  # create, update, unchanged
    account: KeyAccount | None = None  # the account found (update, unchanged)
    values: dict[str, Any] = field(default_factory=dict)  # a new account's cleaned form
    changes: list[str] = field(default_factory=list)
    form: Any = None  # the form that checked the row; it saves it


@dataclass
class _Context:
    by_slug: dict[str, KeyAccount]
    by_name: dict[str, list[KeyAccount]]
    people: dict[str, list[User]]
    roles: dict[str, TeamRole]
    lead_role: TeamRole | None


def _context(table: Table, index: int | None) -> _Context:
    accounts = list(KeyAccount.objects.order_by("pk"))
    by_name: dict[str, list[KeyAccount]] = {}
    for account in accounts:
        by_name.setdefault(account.name.casefold(), []).append(account)
    wanted = {
        cells[index].strip().casefold()
        for _number, cells in table.rows
        if index is not None and index < len(cells) and cells[index].strip()
    }
    people: dict[str, list[User]] = {}
    found = User.objects.annotate(e=Lower("email"), u=Lower("username")).filter(
        Q(e__in=wanted) | Q(u__in=wanted)
    )
    for user in found:
        for key in {user.username.casefold(), user.email.casefold()} & wanted:
            people.setdefault(key, []).append(user)
    roles: dict[str, TeamRole] = {}
    for role in TeamRole.objects.all():
        for text in (role.code, role.name_en, role.name_de):
            roles[c.squash(text)] = role
    return _Context(
        by_slug={account.slug: account for account in accounts},
        by_name=by_name,
        people=people,
        roles=roles,
        lead_role=TeamRole.objects.filter(grants_lead=True).order_by("order", "pk").first(),
    )


def preview(table: Table, actor: User | None) -> Preview:
    """What importing `table` would do; `actor` is the importer (None: a shell, which
    may change every account)."""
    too_many = _("A key-account import takes at most %(limit)s rows; this file has %(count)s.")
    found, result = c.header_preview(table.header, COLUMNS, len(table.rows), MAX_ROWS, too_many)
    if result.problems:
        return result
    context = _context(table, found.get("first_lead"))
    seen: dict[str, int] = {}  # a row's account (its slug or name) -> the row naming it first
    new_slugs: set[str] = set()
    for done, (number, cells) in enumerate(table.rows):
        progress.advance(progress.CHECK, done)
        cell = {key: (cells[i] if i < len(cells) else "").strip() for key, i in found.items()}
        row = _read_row(context, number, cell, result.problems, actor, new_slugs)
        if row is None:
            continue
        key = row.account.slug if row.account else row.values["slug"]
        if key in seen:
            message = _("Row %(row)s is this account already.") % {"row": seen[key]}
            result.problems.append(Problem(number, str(LABELS["name"]), message))
            continue
        seen[key] = number
        result.rows.append(row)
    return result


def _read_row(
    context: _Context,
    number: int,
    cell: dict[str, str],
    problems: list[Problem],
    actor: User | None,
    new_slugs: set[str],
) -> AccountPlan | None:
    count = len(problems)

    def refuse(key: str, message: str) -> None:
        problems.append(Problem(number, str(LABELS.get(key, "")), message))

    data = _form_data(cell, refuse)
    account = _find(context, cell, refuse)
    if len(problems) > count:
        return None
    if account is None:
        return _new(context, number, cell, data, refuse, new_slugs)
    return _found(number, account, data, refuse, actor)


def _form_data(cell: dict[str, str], refuse) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The row's account fields as the form reads them: a country or a classification
    by its name in either language as well as by its code."""
    data = {key: cell[key] for key in FIELDS if key in cell}
    if data.get("hq_country"):
        code = c.country_lookup().get(c.squash(data["hq_country"]))
        if code is None:
            refuse("hq_country", _("“%(value)s” is not a country.") % {"value": cell["hq_country"]})
        else:
            data["hq_country"] = code
    if data.get("classification"):
        value = c.find(c.choice_lookup(KeyAccount.Classification), data["classification"])
        if value is None:
            refuse(
                "classification",
                _("“%(value)s” is not a classification (A, B or C).")
                % {"value": cell["classification"]},
            )
        else:
            data["classification"] = str(value)
    return data


def _find(context: _Context, cell: dict[str, str], refuse) -> KeyAccount | None:  # type: ignore[no-untyped-def]
    """The account the row names: by its short name when given, else by its name."""
    if cell.get("slug"):
        return context.by_slug.get(cell["slug"].casefold())
    namesakes = context.by_name.get(cell.get("name", "").casefold(), [])
    if len(namesakes) > 1:
        refuse(
            "name",
            _("Several key accounts are called “%(name)s”: give the short name of the one meant.")
            % {"name": cell["name"]},
        )
        return None
    return namesakes[0] if namesakes else None


def _new(
    context: _Context,
    number: int,
    cell: dict[str, str],
    data: dict[str, str],
    refuse,  # type: ignore[no-untyped-def]
    new_slugs: set[str],
) -> AccountPlan | None:
    lead = _person(context, cell.get("first_lead", ""), refuse)
    role = _role(context, cell.get("lead_role", ""), refuse)
    if lead is None or role is None:
        return None
    if not data.get("slug"):
        # Derived as the form derives it, past the addresses of the file's other new rows.
        data["slug"] = free_slug(data.get("name", ""), reserved=RESERVED_SLUGS | new_slugs)
    form = KeyAccountCreateForm(
        data={
            "attractiveness": 3,
            "relative_position": 3,
            "classification": KeyAccount.Classification.B,
            **{k: v for k, v in data.items() if v != ""},
            "first_lead": lead.pk,
            "lead_role": role.pk,
        }
    )
    if not _clean(form, refuse):
        return None
    new_slugs.add(form.cleaned_data["slug"])
    return AccountPlan(
        number=number,
        name=form.cleaned_data["name"],
        values={"slug": form.cleaned_data["slug"]},
        changes=[_("lead %(name)s") % {"name": lead.display_name}],
        form=form,
    )


def _found(
    number: int,
    account: KeyAccount,
    data: dict[str, str],
    refuse,  # type: ignore[no-untyped-def]
    actor: User | None,
) -> AccountPlan | None:
    current = KeyAccountForm(instance=account)
    merged = {name: current[name].value() for name in KeyAccountForm.Meta.fields}
    merged.update({k: v for k, v in data.items() if v != "" or k in ("industry", "description")})
    merged["version"] = account.version
    form = KeyAccountForm(data=merged, instance=account)
    before = {name: getattr(account, name) for name in FIELDS}
    if not _clean(form, refuse):
        return None
    changes = [
        str(LABELS[name])
        for name in FIELDS
        if name in data and form.cleaned_data.get(name) != before[name]
    ]
    plan = AccountPlan(number=number, name=str(account), account=account, form=form)
    if not changes:
        plan.action = "unchanged"
        return plan
    if account.status != KeyAccount.Status.ACTIVE:
        refuse(
            "name", _("%(name)s is archived: restore it before changing it.") % {"name": account}
        )
        return None
    if actor is not None and not _may_edit(actor, account):
        refuse(
            "name",
            _("You do not lead %(name)s, so the file cannot change it (%(changes)s).")
            % {"name": account, "changes": ", ".join(changes)},
        )
        return None
    plan.action, plan.changes = "update", changes
    return plan


def _clean(form: Any, refuse) -> bool:  # type: ignore[no-untyped-def]
    """Whether the form takes the row; its errors become the row's problems, by column."""
    if form.is_valid():
        return True
    for name, errors in form.errors.items():
        for error in errors:
            refuse(name if name in LABELS else "", error)
    return False


def _may_edit(user: User, account: KeyAccount) -> bool:
    try:
        account_access(user, account.slug, write=True)
    except (Http404, PermissionDenied):
        return False
    return True


def _person(context: _Context, text: str, refuse) -> User | None:  # type: ignore[no-untyped-def]
    if not text:
        refuse("first_lead", _("The first lead is missing: give their e-mail or user name."))
        return None
    people = context.people.get(text.casefold(), [])
    if not people:
        refuse("first_lead", _("Nobody has the e-mail or user name “%(value)s”.") % {"value": text})
        return None
    if len(people) > 1:
        refuse(
            "first_lead",
            _("Several colleagues have the e-mail “%(value)s”; give the user name.")
            % {"value": text},
        )
        return None
    if not people[0].is_active:
        refuse(
            "first_lead",
            _("%(name)s can no longer sign in and cannot lead an account.")
            % {"name": people[0].display_name},
        )
        return None
    return people[0]


def _role(context: _Context, text: str, refuse) -> TeamRole | None:  # type: ignore[no-untyped-def]
    role = context.roles.get(c.squash(text)) if text else context.lead_role
    if role is None:
        refuse(
            "lead_role",
            _("“%(value)s” is not a team role. Known: %(known)s.")
            % {
                "value": text,
                "known": ", ".join(sorted({r.name for r in context.roles.values()})),
            },
        )
        return None
    if role.is_national:
        refuse(
            "lead_role",
            _("%(role)s is a national role: create the account by hand to give its country.")
            % {"role": role.name},
        )
        return None
    return role


def apply(result: Preview, actor: User | None) -> list[KeyAccount]:
    """Write a preview without problems (the caller holds the transaction); the new
    accounts, in the file's order."""
    assert result.ok, "only a preview without problems is imported"
    created: list[KeyAccount] = []
    for done, row in enumerate(result.rows):
        progress.advance(progress.WRITE, done)
        if row.action == "create":
            account = row.form.save(commit=False)
            account._history_user = actor
            created.append(
                account_services.account_create(
                    account=account,
                    first_lead=row.form.cleaned_data["first_lead"],
                    lead_role=row.form.cleaned_data["lead_role"],
                    actor=actor,
                )
            )
        elif row.action == "update":
            account = row.form.save(commit=False)
            account._history_user = actor
            save_versioned(account, expected_version=row.form.expected_version)
    return created
