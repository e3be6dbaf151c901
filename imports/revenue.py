"""Importing an account's revenue actuals per year: the preview of a file, then its import.

The books (ERP) know what a customer bought; a row gives a year and its
revenue. A year already recorded is updated when the amount differs, else
left alone, so the same file twice changes nothing and a corrected one
updates in place. Years not in the file stay. The revenue form's rules hold:
a year from YEAR_MIN up to this one (a year that has not begun has no
revenue), an amount of at least zero that the column holds.

Amounts are read as the reader writes them ("4.700.000,50" in German,
"4,700,000.50" in English), or as a spreadsheet stores numbers ("4700000.5").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import AccountAccess
from accounts.models import YEAR_MIN, KeyAccount, RevenueActual
from core.concurrency import save_versioned
from core.localized_numbers import LocalizedAmountField
from imports import columns as c
from imports import progress
from imports.base import Preview, Problem
from imports.readers import Table
from users.models import User

COLUMNS = (
    c.Column(
        "year",
        gettext_lazy("Year"),
        required=True,
        example="2025",
        aliases=("Jahr", "Geschäftsjahr", "Fiscal year", "Business year"),
    ),
    c.Column(
        "amount",
        gettext_lazy("Actual revenue"),
        required=True,
        example="4700000",
        aliases=("Revenue", "Amount", "Umsatz", "Ist-Umsatz", "Betrag"),
    ),
)
LABELS = {column.key: column.header for column in COLUMNS}
AMOUNT = RevenueActual._meta.get_field("amount")
# One row a year: no file of actuals needs more rows than the years there are.
MAX_ROWS = 200


@dataclass
class YearPlan:
    number: int
    name: str  # the year, as the preview lists it
    year: int
    amount: Decimal
    action: str = "create"  # create, update, unchanged
    actual: RevenueActual | None = None
    changes: list[str] = field(default_factory=list)


def read_amount(text: str) -> Decimal:
    """The amount in the reader's language, else in the other one (ValidationError if
    neither reads it): a German file read by an English reader still imports."""
    active = translation.get_language() or "en"
    for language in dict.fromkeys((active, "de" if active.startswith("en") else "en")):
        with translation.override(language):
            try:
                value = LocalizedAmountField(
                    max_digits=AMOUNT.max_digits, decimal_places=AMOUNT.decimal_places
                ).clean(text)
            except ValidationError:
                continue
        if value is not None:
            return value
    raise ValidationError(_("“%(value)s” is not an amount.") % {"value": text})


def preview(account: KeyAccount, table: Table, access: AccountAccess | None = None) -> Preview:
    """What importing `table` into the account's revenue would do."""
    too_many = _("A revenue import takes at most %(limit)s rows; this file has %(count)s.")
    found, result = c.header_preview(table.header, COLUMNS, len(table.rows), MAX_ROWS, too_many)
    if result.problems:
        return result
    recorded = {actual.year: actual for actual in account.revenue_actuals.all()}
    seen: dict[int, int] = {}
    for done, (number, cells) in enumerate(table.rows):
        progress.advance(progress.CHECK, done)
        cell = {key: (cells[i] if i < len(cells) else "").strip() for key, i in found.items()}
        row = _read_row(number, cell, result.problems)
        if row is None:
            continue
        if row.year in seen:
            message = _("Row %(row)s has this year already.") % {"row": seen[row.year]}
            result.problems.append(Problem(number, str(LABELS["year"]), message))
            continue
        seen[row.year] = number
        row.actual = recorded.get(row.year)
        if row.actual is not None:
            row.action = "unchanged" if row.actual.amount == row.amount else "update"
            if row.action == "update":
                row.changes.append(str(LABELS["amount"]))
        result.rows.append(row)
    return result


def _read_row(number: int, cell: dict[str, str], problems: list[Problem]) -> YearPlan | None:
    year = _year(cell["year"])
    if isinstance(year, str):
        problems.append(Problem(number, str(LABELS["year"]), year))
    amount: Decimal | None = None
    if not cell["amount"]:
        problems.append(Problem(number, str(LABELS["amount"]), _("The amount is missing.")))
    else:
        try:
            amount = read_amount(cell["amount"])
        except ValidationError as error:
            problems.append(Problem(number, str(LABELS["amount"]), " ".join(error.messages)))
        else:
            if amount < 0:
                amount = None
                problems.append(
                    Problem(number, str(LABELS["amount"]), _("Revenue cannot be negative."))
                )
    if isinstance(year, str) or amount is None:
        return None
    return YearPlan(number=number, name=str(year), year=year, amount=amount)


def _year(text: str) -> int | str:
    """The year, or what is wrong with it."""
    try:
        year = int(Decimal(text)) if text and Decimal(text) == int(Decimal(text)) else None
    except (InvalidOperation, ValueError, OverflowError):
        year = None
    if year is None:
        return (
            _("“%(value)s” is not a year.") % {"value": text} if text else _("The year is missing.")
        )
    this_year = timezone.localdate().year
    if year > this_year:
        return _("%(year)s has not begun yet: record its revenue once it is booked.") % {
            "year": year
        }
    if year < YEAR_MIN:
        return _("Give a year from %(first)s on.") % {"first": YEAR_MIN}
    return year


def apply(account: KeyAccount, result: Preview, actor: User | None) -> None:
    """Write a preview without problems (the caller holds the transaction); each
    year through the versioned save, so a form's save meanwhile is not overwritten."""
    assert result.ok, "only a preview without problems is imported"
    for done, row in enumerate(result.rows):
        progress.advance(progress.WRITE, done)
        if row.action == "unchanged":
            continue
        actual = row.actual or RevenueActual(account=account, year=row.year)
        actual.amount = row.amount
        actual._history_user = actor  # type: ignore[attr-defined]
        if row.actual is None:
            actual.save()
        else:
            save_versioned(actual, expected_version=actual.version)
