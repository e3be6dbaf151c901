"""An account's touchpoints: list, plan, change, mark done, delete (as the grid does).

Writes go through the grid's forms (touchpoints.forms) and services, so the
owner hears of a change as from the page; the account's leads plan and change,
an owner marks their own done (touchpoints.access). People are named by their
seat on the team (`owner_seat`, `companion_seats`: ids from the team list).
"""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from accounts.access import AccountAccess, account_access
from api import schemas
from api.routes.common import WRITE_ANSWERS, RowId, form_refusal
from api.service import Pages
from core.concurrency import save_or_form_error
from touchpoints import selectors, services
from touchpoints.access import require_mark_done
from touchpoints.forms import TouchpointDoneForm, TouchpointForm
from touchpoints.models import Touchpoint

router = Router(tags=["Touchpoints"])
FIELDS = ("contact", "year", "quarter", "date", "kind", "title", "status", "outcome")


def _touchpoints(access: AccountAccess) -> Any:
    return (
        Touchpoint.objects.filter(account=access.account)
        .select_related("owner__user")
        .prefetch_related("companions__user")
        .order_by("year", "quarter", "date", "pk")
    )


@router.get("/{slug}/touchpoints/", response=list[schemas.Touchpoint], url_name="touchpoints")
@paginate(Pages)
def list_touchpoints(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    slug: str,
    year: int | None = Query(None, ge=1900, le=2200),
    updated_since: schemas.UpdatedSince | None = None,
):
    """The account's touchpoints by quarter; `year` narrows them to one year."""
    touchpoints = _touchpoints(account_access(request.user, slug))
    if year is not None:
        touchpoints = touchpoints.filter(year=year)
    if updated_since is not None:
        touchpoints = touchpoints.filter(updated_at__gte=updated_since)
    return touchpoints


@router.post(
    "/{slug}/touchpoints/",
    response={201: schemas.Touchpoint, **WRITE_ANSWERS},
    url_name="touchpoint_add",
)
def add_touchpoint(request: HttpRequest, slug: str, data: schemas.TouchpointIn):  # type: ignore[no-untyped-def]
    """Plan a touchpoint (the account's leads); its owner is told."""
    access = account_access(request.user, slug, write=True)
    return _save(request, access, None, data)


@router.patch(
    "/{slug}/touchpoints/{touchpoint_id}/",
    response={200: schemas.Touchpoint, **WRITE_ANSWERS},
    url_name="touchpoint_update",
)
def update_touchpoint(  # type: ignore[no-untyped-def]
    request: HttpRequest, slug: str, data: schemas.TouchpointIn, touchpoint_id: int = RowId
):
    """Change a touchpoint (the account's leads); `version` is required."""
    access = account_access(request.user, slug, write=True)
    touchpoint = get_object_or_404(access.account.touchpoints, pk=touchpoint_id)
    return _save(request, access, touchpoint, data)


@router.post(
    "/{slug}/touchpoints/{touchpoint_id}/done/",
    response={200: schemas.Touchpoint, **WRITE_ANSWERS},
    url_name="touchpoint_done",
)
def mark_done(  # type: ignore[no-untyped-def]
    request: HttpRequest, slug: str, data: schemas.DoneIn, touchpoint_id: int = RowId
):
    """Mark it done with its outcome (its owner, or a lead); `version` is required."""
    access = account_access(request.user, slug)
    touchpoint, companion_links = selectors.touchpoint_to_mark_done(access.account, touchpoint_id)
    require_mark_done(access, touchpoint)
    form = TouchpointDoneForm(
        {"outcome": data.outcome, "version": data.version or ""}, instance=touchpoint
    )

    def save() -> Touchpoint:
        return services.touchpoint_done(
            touchpoint=touchpoint,
            outcome=form.cleaned_data["outcome"],
            expected_version=form.expected_version,
            actor=request.user,
            companion_links=companion_links,
        )

    saved = save_or_form_error(form, save) if form.is_valid() else None
    return _answer(access, form, saved, 200)


@router.delete(
    "/{slug}/touchpoints/{touchpoint_id}/",
    response={204: None, 403: schemas.Problem, 404: schemas.Problem},
    url_name="touchpoint_delete",
)
def delete_touchpoint(request: HttpRequest, slug: str, touchpoint_id: int = RowId):  # type: ignore[no-untyped-def]
    """Take it off the plan (the account's leads); the history keeps a record of it."""
    access = account_access(request.user, slug, write=True)
    get_object_or_404(access.account.touchpoints, pk=touchpoint_id).delete()
    return Status(204, None)


def _form_data(touchpoint: Touchpoint | None, data: schemas.TouchpointIn) -> dict[str, Any]:
    if touchpoint is None:
        current: dict[str, Any] = {"kind": "content", "status": "planned", "outcome": ""}
        current.update(date=None, companion_seats=[])
    else:
        current = {name: getattr(touchpoint, name) for name in FIELDS if name != "contact"}
        current["contact"] = touchpoint.contact_id
        current["owner_seat"] = touchpoint.owner_id
        current["companion_seats"] = [seat.pk for seat in touchpoint.companions.all()]
    current.update(data.dict(exclude_unset=True))
    current["owner"] = current.pop("owner_seat", None)
    current["companions"] = current.pop("companion_seats", None) or []
    if current.get("date") is not None:
        current["date"] = current["date"].isoformat()
    return {key: "" if value is None else value for key, value in current.items()}


def _save(request: HttpRequest, access: AccountAccess, touchpoint, data: schemas.TouchpointIn):  # type: ignore[no-untyped-def]
    previous_owner_id = touchpoint.owner_id if touchpoint else None
    form = TouchpointForm(_form_data(touchpoint, data), instance=touchpoint, account=access.account)

    def save() -> Touchpoint:
        saved = form.save_checked()
        if form.has_changed():  # the owner hears of real changes only, as from the grid
            services.touchpoint_notify(
                touchpoint=saved, previous_owner_id=previous_owner_id, actor=request.user
            )
        return saved

    saved = save_or_form_error(form, save) if form.is_valid() else None
    return _answer(access, form, saved, 201 if touchpoint is None else 200)


def _answer(access: AccountAccess, form, saved: Touchpoint | None, status: int):  # type: ignore[no-untyped-def]
    if saved is None:
        return form_refusal(
            form,
            conflict=_("Someone else changed this touchpoint meanwhile."),
            invalid=_("The touchpoint was not saved."),
            names={"owner": "owner_seat", "companions": "companion_seats"},
        )
    return Status(status, _touchpoints(access).get(pk=saved.pk))
