"""An account's actual revenue per year, for the ERP's sync: list, record, correct.

Through the page's form (accounts.revenue.RevenueActualForm): a year once, not
one that has not begun, the account's leads only. The amount is a plain
decimal here (4700000.50), whatever the language, where the page reads the
grouping its reader types.
"""

from django import forms
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from accounts.access import account_access
from accounts.models import KeyAccount, RevenueActual
from accounts.revenue import RevenueActualForm
from api import schemas
from api.routes.common import WRITE_ANSWERS, RowId, form_refusal
from api.service import Pages
from core.concurrency import save_or_form_error

router = Router(tags=["Revenue"])


class PlainAmountForm(RevenueActualForm):
    """The page's form with the amount as a plain decimal, not in the reader's grouping."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        field: forms.DecimalField = RevenueActual._meta.get_field("amount").formfield()
        self.fields["amount"] = field


@router.get("/{slug}/revenue/", response=list[schemas.Revenue], url_name="revenue")
@paginate(Pages)
def list_revenue(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    """The account's actual revenue, the latest year first."""
    return account_access(request.user, slug).account.revenue_actuals.order_by("-year")


@router.post(
    "/{slug}/revenue/", response={201: schemas.Revenue, **WRITE_ANSWERS}, url_name="revenue_add"
)
def add_revenue(request: HttpRequest, slug: str, data: schemas.RevenueIn):  # type: ignore[no-untyped-def]
    """Record a year's revenue (the account's leads)."""
    account = account_access(request.user, slug, write=True).account
    return _save(account, None, data)


@router.patch(
    "/{slug}/revenue/{revenue_id}/",
    response={200: schemas.Revenue, **WRITE_ANSWERS},
    url_name="revenue_update",
)
def update_revenue(  # type: ignore[no-untyped-def]
    request: HttpRequest, slug: str, data: schemas.RevenueIn, revenue_id: int = RowId
):
    """Correct a year's revenue; `version` is required."""
    account = account_access(request.user, slug, write=True).account
    actual = get_object_or_404(account.revenue_actuals, pk=revenue_id)
    return _save(account, actual, data)


def _save(account: KeyAccount, actual: RevenueActual | None, data: schemas.RevenueIn):  # type: ignore[no-untyped-def]
    values = {"year": actual.year, "amount": actual.amount} if actual else {}
    values.update(data.dict(exclude_unset=True))
    form = PlainAmountForm(
        {key: "" if value is None else value for key, value in values.items()},
        instance=actual,
        account=account,
    )
    saved = save_or_form_error(form, form.save_checked) if form.is_valid() else None
    if saved is None:
        return form_refusal(
            form,
            conflict=_("Someone else changed this year meanwhile."),
            invalid=_("The revenue was not saved."),
        )
    # Read back: the amount as stored (two decimals), not as it was sent.
    return Status(201 if actual is None else 200, account.revenue_actuals.get(pk=saved.pk))
