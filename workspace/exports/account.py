"""Everything held about one key account, for its leads and managers: the way out.

One section per model, each row the model's own fields: a reference to a
colleague is their user name, one to another row of the export its id (the
`id` column of that row's section), so nothing is lost and a later import can
rebuild the links. `SECTIONS` names every model that belongs to an account;
`LEFT_OUT` the few that do not go into this export, with the reason;
workspace/tests/test_account_export.py fails for a model in neither.

What a section shows follows the pages: contact profiles only for the team
(profiles.access.can_view_contact_profiles), the coaching self-check and the
history only for those who see them (accounts.access.AccountAccess).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries.fields import Country
from openpyxl.styles import Font

from accounts.access import AccountAccess
from accounts.models import (
    AccountTeamMember,
    BuyingCentreRole,
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
    TeamRole,
)
from actions.models import PlanAction
from activities.models import Activity
from coaching.models import Appreciation, CoachingAnswer, CoachingCheck, CoachingQuestion
from comments.models import Comment
from core.spreadsheets import new_workbook, workbook_bytes
from documents.models import Document, DocumentCategory, DocumentFile
from news.models import NewsItem
from opportunities.models import Opportunity, OpportunityStage
from portfolio.models import HealthSnapshot, PlanReview
from profiles.access import can_view_contact_profiles
from profiles.models import Motive, MotiveScore, Profile
from raci.models import RaciAssignment, RaciMatrix, RaciTask
from touchpoints.models import RelationshipPair, TeamMeeting, Touchpoint
from users.models import User
from whitespace.models import CustomerUnit, Offering, WhitespaceCell
from workspace.history import AccountHistory, HistoryFilter

FORMAT = "kamteam-account-export"
# 2: with `references`, the staff-kept list entries the rows name, by a key
# another installation has too (an import reads ids through it).
FORMAT_VERSION = 2
HISTORY_CHUNK = 500  # history entries built at a time (a page of the history tab is 50)


def _everyone(access: AccountAccess) -> bool:
    return True


@dataclass(frozen=True)
class Section:
    """The rows of `model` whose `path` (a lookup) is the account, for whom `shown` allows."""

    name: str
    model: type[models.Model]
    path: str
    shown: Callable[[AccountAccess], bool] = _everyone
    where: tuple[tuple[str, object], ...] = ()  # more conditions: (lookup, value) pairs

    def queryset(self) -> models.QuerySet:
        """Every row, with the colleagues it names (by user name) and its many-to-many."""
        many = [f.name for f in self.model._meta.many_to_many]
        users = [
            f.name
            for f in self.model._meta.concrete_fields
            if f.is_relation and f.related_model is User
        ]
        rows = self.model._default_manager.filter(**dict(self.where)).select_related(*users)
        return rows.prefetch_related(*many).order_by("pk")

    def rows(self, account: KeyAccount) -> models.QuerySet:
        return self.queryset().filter(**{self.path: account.pk})


SECTIONS: tuple[Section, ...] = (
    Section("account", KeyAccount, "pk"),
    Section("team", AccountTeamMember, "account"),
    Section("contacts", CustomerContact, "account"),
    Section("contact_profiles", Profile, "contact__account", can_view_contact_profiles),
    Section("contact_motives", MotiveScore, "profile__contact__account", can_view_contact_profiles),
    Section("revenue_actuals", RevenueActual, "account"),
    Section("plans", KeyAccountPlan, "account"),
    Section("plan_revenue_targets", PlanRevenueTarget, "plan__account"),
    Section("plan_potentials", PlanPotential, "plan__account"),
    Section("plan_objectives", PlanObjective, "plan__account"),
    Section("national_plans", NationalPlan, "account"),
    Section("national_targets", NationalTarget, "national_plan__account"),
    Section("national_potentials", NationalPotential, "national_plan__account"),
    Section("national_objectives", NationalObjective, "national_plan__account"),
    Section("plan_actions", PlanAction, "account"),
    Section("plan_reviews", PlanReview, "plan__account"),
    Section("opportunities", Opportunity, "account"),
    Section("customer_units", CustomerUnit, "account"),
    Section("whitespace_cells", WhitespaceCell, "unit__account"),
    Section("raci_matrix", RaciMatrix, "account"),
    Section("raci_tasks", RaciTask, "account"),
    Section("raci_assignments", RaciAssignment, "task__account"),
    Section("touchpoints", Touchpoint, "account"),
    Section("relationships", RelationshipPair, "account"),
    Section("team_meetings", TeamMeeting, "account"),
    Section("coaching_checks", CoachingCheck, "account", lambda a: a.can_view_coaching),
    Section(
        "coaching_answers", CoachingAnswer, "self_check__account", lambda a: a.can_view_coaching
    ),
    Section("appreciations", Appreciation, "account", lambda a: a.can_view_coaching),
    Section("health_snapshots", HealthSnapshot, "account"),
    # Each item is for its addressees; the leads read them all (news.access).
    Section("news", NewsItem, "account", lambda a: a.is_lead),
    Section("activities", Activity, "account"),
    # Core-only documents too: only leads and managers export, and both read them.
    Section("documents", Document, "account"),
    Section("document_versions", DocumentFile, "document__account"),
    # Every reader of the account reads every thread (comments.access).
    Section("comments", Comment, "account"),
)
# Models that belong to an account but are a person's own, not the account's.
LEFT_OUT: dict[str, str] = {
    "notifications.notification": "a person's inbox: in their own export",
    "portfolio.planreviewread": "who read a review when: a person's own",
    "profiles.profileshare": "a colleague's consent to show their profile: in their own export",
    "news.newsread": "who read which news item when: a person's own, in their export",
    "workspace.accountupload": (
        "a manager's upload of an export, linked to the account it became only until "
        "the manager's page has led them there"
    ),
    "portfolio.healthscore": (
        "the health score as last computed, derived from the sections: computed "
        "again from them where it is read"
    ),
    "imports.importbatch": (
        "an upload awaiting its confirmation, then only its counts: the contacts it "
        "made or changed are in `contacts`, each change in the history"
    ),
}
HISTORY = "history"
REFERENCES = "references"
# The staff-kept lists the sections point into, each with the field that names
# an entry the same way in every installation (a row's id does not).
CATALOGUE_KEYS: dict[type[models.Model], str] = {
    TeamRole: "code",
    BuyingCentreRole: "code",
    Motive: "code",
    OpportunityStage: "name_en",
    Offering: "name",
    CoachingQuestion: "text_en",
    DocumentCategory: "name_en",
    Group: "name",  # a colleague's groups (Managers), in the installation's export
}


def may_export(access: AccountAccess) -> bool:
    """The account's leads and the managers (members read the pages, not a copy)."""
    return access.is_lead or access.is_manager


def _value(field: models.Field, obj: models.Model) -> Any:
    value = getattr(obj, field.attname)
    if value is None:
        return None
    if field.is_relation and field.related_model is User:
        return getattr(obj, field.name).username
    if isinstance(value, Country):
        return value.code or None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, FieldFile):
        return value.name  # where the file is stored; the file itself is in export_all
    return value


def _column(field: models.Field) -> str:
    """A user is named by user name (`owner`), another row by its id (`owner_id`)."""
    if field.is_relation and field.related_model is not User:
        return field.attname
    return field.name


def _many(field: models.Field, obj: models.Model) -> list[Any]:
    related = getattr(obj, field.name).all()
    if field.related_model is User:
        return sorted(u.username for u in related)
    return sorted(r.pk for r in related)


def row_data(model: type[models.Model], obj: models.Model) -> dict[str, Any]:
    """One row: every field of `obj` (prefetch its many-to-many fields)."""
    return {
        **{_column(f): _value(f, obj) for f in model._meta.concrete_fields},
        **{f.name: _many(f, obj) for f in model._meta.many_to_many},
    }


def section_rows(section: Section, account: KeyAccount) -> list[dict[str, Any]]:
    return [row_data(section.model, obj) for obj in section.rows(account)]


def history_rows(account: KeyAccount) -> Iterator[dict[str, Any]]:
    """The history tab's entries, oldest last, with each change in words."""
    history = AccountHistory(account, HistoryFilter())
    total = history.count()
    for start in range(0, total, HISTORY_CHUNK):
        for entry in history[start : start + HISTORY_CHUNK]:
            yield {
                "when": timezone.localtime(entry.when).isoformat(),
                "who": entry.who.username if entry.who else None,
                "change": entry.kind_label,
                "what": entry.what,
                "record": entry.obj,
                "details": "; ".join(
                    f"{c.label}: {c.new}" if c.old is None else f"{c.label}: {c.old} → {c.new}"
                    for c in entry.changes
                ),
            }


def catalogue_links(model: type[models.Model]) -> list[tuple[str, type[models.Model]]]:
    """The columns of `model`'s rows that name staff-kept list entries, with their list."""
    links = [
        (_column(f), f.related_model)
        for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if f.is_relation and f.related_model in CATALOGUE_KEYS
    ]
    return links  # type: ignore[return-value]


def references(
    sections: dict[str, list[dict[str, Any]]], of: tuple[Section, ...] = SECTIONS
) -> dict[str, dict[str, str]]:
    """{list label: {id: key}} for every staff-kept entry the rows of `of` name."""
    wanted: dict[type[models.Model], set[int]] = {}
    for section in of:
        for column, catalogue in catalogue_links(section.model):
            for row in sections.get(section.name, ()):
                value = row[column]
                ids = value if isinstance(value, list) else [value]
                wanted.setdefault(catalogue, set()).update(i for i in ids if i is not None)
    return {
        catalogue._meta.label_lower: {
            str(pk): key
            for pk, key in catalogue._default_manager.filter(pk__in=ids).values_list(
                "pk", CATALOGUE_KEYS[catalogue]
            )
        }
        for catalogue, ids in wanted.items()
    }


def account_export(account: KeyAccount, access: AccountAccess | None) -> dict[str, Any]:
    """The account's data as JSON-ready sections, as far as `access` may see them.

    Without `access`: everything, for the installation's export by staff
    (`manage.py export_all`), who reach all of it in the admin anyway.
    """
    shown = [s for s in SECTIONS if access is None or s.shown(access)]
    with_history = access is None or access.can_view_history
    sections = {s.name: section_rows(s, account) for s in shown}
    if with_history:
        sections[HISTORY] = list(history_rows(account))
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.localtime().isoformat(),
        "exported_by": access.user.username if access else "manage.py export_all",
        "account": account.slug,
        "left_out": sorted(
            [s.name for s in SECTIONS if s not in shown] + ([] if with_history else [HISTORY])
        ),
        REFERENCES: references(sections),
        "sections": sections,
    }


def _cell(value: Any) -> Any:
    """Lists (many-to-many) as one text; Decimals stay numbers."""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool | int | float | Decimal | str) or value is None:
        return value
    return str(value)


def account_workbook(data: dict[str, Any]) -> bytes:
    """`account_export`'s data as one workbook: an overview sheet, then a sheet a section."""
    wb = new_workbook()
    about = wb.active
    about.title = _("Export")
    about.append([_("Key account"), data["account"]])
    about.append([_("Exported at"), data["exported_at"]])
    about.append([_("Exported by"), data["exported_by"]])
    about.append([_("Format"), f"{data['format']} {data['format_version']}"])
    if data["left_out"]:
        about.append([_("Not in this export (not yours to see)"), ", ".join(data["left_out"])])
    about.append([])
    about.append([_("Sheet"), _("Rows")])
    for name, rows in data["sections"].items():
        about.append([name, len(rows)])
        ws = wb.create_sheet(name[:31])
        if not rows:
            ws.append([_("No rows.")])
            continue
        header = list(rows[0])
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([_cell(row[column]) for column in header])
        ws.freeze_panes = "A2"
    return workbook_bytes(wb)
