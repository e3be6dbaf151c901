"""Key accounts: read, as the pages show them (the accounts you may open)."""

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from accounts.access import account_access
from accounts.models import KeyAccount
from api import schemas
from api.service import Pages
from core.collation import by_name

router = Router(tags=["Key accounts"])


@router.get("/", response=list[schemas.Account], url_name="accounts")
@paginate(Pages)
def list_accounts(request: HttpRequest, updated_since: schemas.UpdatedSince | None = None):  # type: ignore[no-untyped-def]
    """The accounts you may open (your teams'; a manager's: all), by name."""
    accounts = KeyAccount.objects.visible_to(request.user).order_by(*by_name("name"), "pk")
    if updated_since is not None:
        accounts = accounts.filter(updated_at__gte=updated_since)
    return accounts


@router.get("/{slug}/", response={200: schemas.Account, 404: schemas.Problem}, url_name="account")
def get_account(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    return account_access(request.user, slug).account
