"""What the API reads and writes, as typed schemas (they make the OpenAPI document)."""

from datetime import UTC, datetime
from datetime import date as date_type
from decimal import Decimal
from typing import Annotated

from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, Field


def _moment_in_utc(value: datetime) -> datetime:
    """`value` in UTC, as the database compares it; a time without an offset is
    the installation's (TIME_ZONE). A moment before the first UTC can hold
    (0001-01-01 in Berlin) is that first one, one after the last is the last:
    every row, or none, instead of an overflow and a server error."""
    if timezone.is_naive(value):
        value = value.replace(tzinfo=timezone.get_current_timezone())
    try:
        return value.astimezone(UTC)
    except OverflowError:
        return (datetime.min if value.year == datetime.min.year else datetime.max).replace(
            tzinfo=UTC
        )


# The `updated_since` of the lists: rows changed at or after this moment.
UpdatedSince = Annotated[datetime, AfterValidator(_moment_in_utc)]


class Problem(Schema):
    detail: str


class FieldErrors(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(description="Messages by field; `__all__` for the row.")


class Account(Schema):
    slug: str
    name: str
    industry: str
    classification: str
    status: str
    description: str
    version: int
    created_at: datetime
    updated_at: datetime


class Colleague(Schema):
    username: str
    first_name: str
    last_name: str


class Person(Colleague):
    email: str


class Seat(Schema):
    id: int
    person: Person = Field(alias="user")
    role: str = Field(alias="role.code", description="The team role's code (gkam, nkam, …).")
    team: str = Field(description="core or extended")
    country: str = Field(alias="country.code")
    is_lead: bool = Field(alias="is_account_lead", description="Whether the seat leads.")
    responsibilities: str
    version: int


class SeatIn(Schema):
    """A new seat, or (PATCH) the fields to change with the version they were read at."""

    person: str | None = Field(None, description="The colleague's user name (new seats only).")
    role: str | None = Field(None, description="The team role's code (gkam, nkam, …).")
    team: str | None = Field(None, description="core or extended")
    country: str | None = Field(None, description="An ISO code; required for a national role.")
    is_lead: bool | None = None
    responsibilities: str | None = None
    version: int | None = Field(None, description="Required on PATCH: the version read.")


class Contact(Schema):
    id: int
    crm_id: str
    first_name: str
    last_name: str
    position: str
    department: str
    country: str = Field(alias="country.code")
    email: str
    phone: str
    buying_roles: list[str] = Field(description="Codes: buyer, decider, user, …")
    attitude: int = Field(ge=-3, le=3)
    influence: int = Field(ge=1, le=5)
    reports_to: int | None = Field(alias="reports_to_id", description="Another contact's id.")
    notes: str
    archived: bool
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_buying_roles(contact) -> list[str]:  # type: ignore[no-untyped-def]
        return [role.code for role in contact.buying_roles.all()]

    @staticmethod
    def resolve_archived(contact) -> bool:  # type: ignore[no-untyped-def]
        return contact.archived_at is not None


class ContactIn(Schema):
    """A new contact, or (PATCH) the fields to change with the version they were read at."""

    crm_id: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    position: str | None = None
    department: str | None = None
    country: str | None = Field(None, description="An ISO code (DE).")
    email: str | None = None
    phone: str | None = None
    buying_roles: list[str] | None = Field(None, description="Codes: buyer, decider, user, …")
    attitude: int | None = None
    influence: int | None = None
    reports_to: int | None = Field(
        None, ge=1, le=2**31 - 1, description="Another contact's id, or null."
    )
    notes: str | None = None
    version: int | None = Field(
        None, description="Required on PATCH: the version the contact was read at."
    )


class YearAmount(Schema):
    year: int
    amount: Decimal = Field(description="In the company's currency, as a decimal string.")


class Plan(Schema):
    id: int
    start_year: int
    end_year: int
    status: str = Field(description="draft or agreed")
    version: int
    updated_at: datetime
    targets: list[YearAmount] = Field(description="The plan's revenue target per year.")
    actuals: list[YearAmount] = Field(description="The account's actual revenue per plan year.")

    @staticmethod
    def resolve_targets(plan) -> list[dict]:  # type: ignore[no-untyped-def]
        return [{"year": t.year, "amount": t.amount} for t in plan.revenue_targets.all()]

    @staticmethod
    def resolve_actuals(plan) -> list[dict]:  # type: ignore[no-untyped-def]
        return [
            {"year": a.year, "amount": a.amount}
            for a in sorted(plan.account.revenue_actuals.all(), key=lambda a: a.year)
            if plan.start_year <= a.year <= plan.end_year
        ]


class Revenue(Schema):
    id: int
    year: int
    amount: Decimal = Field(description="The year's actual revenue, as a decimal string.")
    version: int
    updated_at: datetime


class RevenueIn(Schema):
    year: int | None = Field(None, ge=1900, le=2200, description="Required for a new year.")
    amount: Decimal | None = Field(None, description="A plain decimal: 4700000.50")
    version: int | None = Field(None, description="Required on PATCH: the version read.")


class Letter(Schema):
    role: str = Field(alias="role.code", description="The team role's code.")
    letter: str = Field(description="R, A, S, C or I")


class LetterIn(Schema):
    role: str = Field(description="The team role's code (gkam, nkam, …).", max_length=40)
    letter: str = Field(description="R, A, S, C or I", max_length=1)


class RaciTask(Schema):
    id: int
    name: str
    description: str
    order: int
    letters: list[Letter] = Field(alias="assignments")
    version: int


class Touchpoint(Schema):
    id: int
    year: int
    quarter: int
    date: date_type | None
    kind: str
    title: str
    status: str
    contact: int = Field(alias="contact_id", description="The customer contact's id.")
    owner: str = Field(alias="owner.user.username", description="The owner's user name.")
    owner_seat: int = Field(alias="owner_id", description="The owner's seat id (team list).")
    companions: list[str] = Field(description="User names of the colleagues who join.")
    companion_seats: list[int] = Field(description="Their seat ids (team list).")
    outcome: str
    version: int
    updated_at: datetime

    @staticmethod
    def resolve_companions(touchpoint) -> list[str]:  # type: ignore[no-untyped-def]
        return [seat.user.username for seat in touchpoint.companions.all()]

    @staticmethod
    def resolve_companion_seats(touchpoint) -> list[int]:  # type: ignore[no-untyped-def]
        return [seat.pk for seat in touchpoint.companions.all()]


class TouchpointIn(Schema):
    """A new touchpoint, or (PATCH) the fields to change with the version they were read at."""

    contact: int | None = Field(None, ge=1, le=2**31 - 1, description="A contact's id.")
    year: int | None = Field(None, ge=1900, le=2200)
    quarter: int | None = Field(None, ge=1, le=4)
    date: date_type | None = None
    kind: str | None = Field(None, description="content, meeting, call, event, gift or other")
    title: str | None = None
    owner_seat: int | None = Field(None, ge=1, le=2**31 - 1, description="A seat id of the team.")
    companion_seats: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] | None = Field(
        None, max_length=100, description="Seat ids of the team."
    )
    status: str | None = Field(None, description="planned, done or cancelled")
    outcome: str | None = None
    version: int | None = Field(None, description="Required on PATCH: the version read.")


class DoneIn(Schema):
    outcome: str = ""
    version: int | None = Field(None, description="The version the touchpoint was read at.")
