"""An account's customer contacts: list, read, create, change, archive.

Writes go through the contact form of the pages (accounts.forms), so every
rule and message is the same; the form's errors answer 422 by field, and a
change made meanwhile by someone else 409 (the version it was read at is
required, as in the form).
"""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from accounts import services
from accounts.access import account_access
from accounts.forms import CustomerContactForm
from accounts.models import BuyingCentreRole, CustomerContact
from api import schemas
from api.routes.common import WRITE_ANSWERS, RowId, blocked, form_refusal
from api.service import Pages
from core.collation import by_name
from core.concurrency import save_or_form_error

router = Router(tags=["Customer contacts"])


def _contacts(account) -> Any:  # type: ignore[no-untyped-def]
    return account.contacts.prefetch_related("buying_roles").order_by(
        *by_name("last_name", "first_name"), "pk"
    )


@router.get("/{slug}/contacts/", response=list[schemas.Contact], url_name="contacts")
@paginate(Pages)
def list_contacts(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    slug: str,
    updated_since: schemas.UpdatedSince | None = None,
    archived: bool = False,
):
    """The account's contacts by name; `archived=true` lists the archived ones instead."""
    contacts = _contacts(account_access(request.user, slug).account)
    contacts = contacts.filter(archived_at__isnull=not archived)
    if updated_since is not None:
        contacts = contacts.filter(updated_at__gte=updated_since)
    return contacts


@router.get(
    "/{slug}/contacts/{contact_id}/",
    response={200: schemas.Contact, 404: schemas.Problem},
    url_name="contact",
)
def get_contact(request: HttpRequest, slug: str, contact_id: int = RowId):  # type: ignore[no-untyped-def]
    account = account_access(request.user, slug).account
    return get_object_or_404(_contacts(account), pk=contact_id)


@router.post(
    "/{slug}/contacts/",
    response={201: schemas.Contact, **WRITE_ANSWERS},
    url_name="contact_create",
)
def create_contact(request: HttpRequest, slug: str, data: schemas.ContactIn):  # type: ignore[no-untyped-def]
    """A new contact (the account's leads)."""
    access = account_access(request.user, slug, write=True)
    return _save(access.account, None, data, created=True)


@router.patch(
    "/{slug}/contacts/{contact_id}/",
    response={200: schemas.Contact, **WRITE_ANSWERS},
    url_name="contact_update",
)
def update_contact(  # type: ignore[no-untyped-def]
    request: HttpRequest, slug: str, data: schemas.ContactIn, contact_id: int = RowId
):
    """Change the fields given (the account's leads); `version` is required."""
    access = account_access(request.user, slug, write=True)
    contact = get_object_or_404(access.account.contacts.active(), pk=contact_id)
    return _save(access.account, contact, data, created=False)


@router.post(
    "/{slug}/contacts/{contact_id}/archive/",
    response={200: schemas.Contact, **WRITE_ANSWERS},
    url_name="contact_archive",
)
def archive_contact(request: HttpRequest, slug: str, contact_id: int = RowId):  # type: ignore[no-untyped-def]
    """Archive a contact (the account's leads); refused (409) while others depend on it."""
    access = account_access(request.user, slug, write=True)
    contact = get_object_or_404(access.account.contacts.active(), pk=contact_id)
    reasons = services.contact_archive(contact=contact)
    if reasons:
        return blocked(reasons)
    return Status(200, get_object_or_404(_contacts(access.account), pk=contact.pk))


TEXT = ("crm_id", "first_name", "last_name", "position", "department", "email", "phone", "notes")


def _form_data(contact: CustomerContact | None, data: schemas.ContactIn) -> dict[str, Any]:
    """The form's fields: the contact's as stored (a new one's defaults), overlaid with
    those the request gives."""
    if contact is None:
        current: dict[str, Any] = {
            name: CustomerContact._meta.get_field(name).get_default()
            for name in (*TEXT, "attitude", "influence")
        }
        current.update(country="", reports_to=None, buying_roles=[])
    else:
        current = {name: getattr(contact, name) for name in (*TEXT, "attitude", "influence")}
        current["country"] = contact.country.code or ""
        current["reports_to"] = contact.reports_to_id
        current["buying_roles"] = [role.code for role in contact.buying_roles.all()]
    current.update(data.dict(exclude_unset=True))
    codes = current["buying_roles"] or []
    ids = dict(BuyingCentreRole.objects.filter(code__in=codes).values_list("code", "pk"))
    # An unknown code stays as itself: the form then says it is not a valid choice.
    current["buying_roles"] = [ids.get(code, code) for code in codes]
    return {key: "" if value is None else value for key, value in current.items()}


def _save(account, contact: CustomerContact | None, data: schemas.ContactIn, *, created: bool):  # type: ignore[no-untyped-def]
    form = CustomerContactForm(_form_data(contact, data), instance=contact, account=account)
    saved = save_or_form_error(form, form.save_checked) if form.is_valid() else None
    if saved is None:
        return form_refusal(
            form,
            conflict=_("Someone else changed this contact meanwhile."),
            invalid=_("The contact was not saved."),
        )
    return Status(201 if created else 200, get_object_or_404(_contacts(account), pk=saved.pk))
