"""An account's team seats: list, add, change, remove (as the team page, through its form).

The team form's rules hold (accounts.forms.TeamMemberForm, accounts.services):
a role once per account (a national role once per country), the account
keeps a lead, an NKAM cannot lead more by their own seat; a removal that
would take the last lead is refused with 409 and the reason.
"""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from accounts import services
from accounts.access import AccountAccess, account_access
from accounts.forms import TeamMemberForm
from accounts.models import AccountTeamMember, TeamRole
from api import schemas
from api.routes.common import WRITE_ANSWERS, RowId, blocked, form_refusal
from api.service import Pages
from core.collation import by_name
from core.concurrency import save_or_form_error
from users.models import User

router = Router(tags=["Team"])


def _seats(access: AccountAccess) -> Any:
    return (
        access.account.team_members.active()
        .select_related("user", "role")
        .order_by("role__order", *by_name("user__last_name"), "pk")
    )


@router.get("/{slug}/team/", response=list[schemas.Seat], url_name="team")
@paginate(Pages)
def list_team(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    """The account's team seats now (former members are not listed)."""
    return _seats(account_access(request.user, slug))


@router.post("/{slug}/team/", response={201: schemas.Seat, **WRITE_ANSWERS}, url_name="seat_add")
def add_seat(request: HttpRequest, slug: str, data: schemas.SeatIn):  # type: ignore[no-untyped-def]
    """Put a colleague on the team (the account's leads); they are notified."""
    access = account_access(request.user, slug, write=True)
    return _save(request, access, None, data)


@router.patch(
    "/{slug}/team/{seat_id}/",
    response={200: schemas.Seat, **WRITE_ANSWERS},
    url_name="seat_update",
)
def update_seat(  # type: ignore[no-untyped-def]
    request: HttpRequest, slug: str, data: schemas.SeatIn, seat_id: int = RowId
):
    """Change a seat's role, team, country, lead or responsibilities; `version` is required."""
    access = account_access(request.user, slug, write=True)
    seat = get_object_or_404(access.account.team_members.active(), pk=seat_id)
    return _save(request, access, seat, data)


@router.post(
    "/{slug}/team/{seat_id}/remove/",
    response={200: schemas.Seat, **WRITE_ANSWERS},
    url_name="seat_remove",
)
def remove_seat(request: HttpRequest, slug: str, seat_id: int = RowId):  # type: ignore[no-untyped-def]
    """Take a colleague off the team (kept among the former members); 409 with the reason
    while the seat is the last lead or others depend on it."""
    access = account_access(request.user, slug, write=True)
    seat = get_object_or_404(_seats(access), pk=seat_id)
    reasons = services.member_remove(member=seat, actor=request.user)
    if reasons:
        return blocked(reasons)
    return Status(200, seat)


def _form_data(seat: AccountTeamMember | None, data: schemas.SeatIn) -> dict[str, Any]:
    """The form's fields: the seat's as stored (a new one's defaults), overlaid with
    those the request gives; people and roles by their names, as the form wants keys."""
    if seat is None:
        current: dict[str, Any] = {"team": "core", "is_lead": False, "country": ""}
        current["responsibilities"] = ""
    else:
        current = {
            "person": seat.user.username,
            "role": seat.role.code,
            "team": seat.team,
            "country": seat.country.code or "",
            "is_lead": seat.is_lead,
            "responsibilities": seat.responsibilities,
        }
    current.update(data.dict(exclude_unset=True))
    person = current.pop("person", None) or ""
    user = User.objects.filter(username=person).values_list("pk", flat=True).first()
    role = TeamRole.objects.filter(code=current["role"] or "").values_list("pk", flat=True).first()
    # An unknown name stays as itself: the form then says it is not a valid choice.
    current["user"] = user or person
    current["role"] = role or current["role"]
    return {key: "" if value is None else value for key, value in current.items()}


def _save(request: HttpRequest, access: AccountAccess, seat, data: schemas.SeatIn):  # type: ignore[no-untyped-def]
    form = TeamMemberForm(
        _form_data(seat, data), instance=seat, account=access.account, actor=access
    )
    save = lambda: services.member_save(  # noqa: E731
        member=form.instance, expected_version=form.expected_version, actor=request.user
    )
    saved = save_or_form_error(form, save) if form.is_valid() else None
    if saved is None:
        return form_refusal(
            form,
            conflict=_("Someone else changed this seat meanwhile."),
            invalid=_("The seat was not saved."),
            names={"user": "person"},
        )
    return Status(201 if seat is None else 200, _seats(access).get(pk=saved.pk))
