"""An account's plans (targets and actuals) and RACI matrix: read, as the pages show
them to everyone who may open the account."""

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from accounts.access import account_access
from accounts.models import KeyAccountPlan
from api import schemas
from api.service import Pages
from raci.models import RaciAssignment

router = Router(tags=["Plans and RACI"])


@router.get("/{slug}/plans/", response=list[schemas.Plan], url_name="plans")
@paginate(Pages)
def list_plans(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    """The account's plans, the newest first, with revenue targets and actuals per year."""
    account = account_access(request.user, slug).account
    return (
        KeyAccountPlan.objects.filter(account=account)
        .select_related("account")
        .prefetch_related("revenue_targets", "account__revenue_actuals")
        .order_by("-start_year", "-pk")
    )


@router.get("/{slug}/raci/", response=list[schemas.RaciTask], url_name="raci")
@paginate(Pages)
def list_raci(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    """The account's RACI tasks in their order, each with its letters by team role."""
    account = account_access(request.user, slug).account
    letters = RaciAssignment.objects.select_related("role").order_by("role__order", "letter")
    return account.raci_tasks.prefetch_related(Prefetch("assignments", letters)).order_by(
        "order", "pk"
    )
