"""What the write routes share: the id of a row in a path, the answers a write may give,
and a refused form turned into the API's answer."""

from typing import Any

from django import forms
from ninja import Path, Status

from api import schemas
from core.concurrency import is_conflict

# A row's id as the database can hold it: a larger number is a 422, not a server error.
RowId: Any = Path(..., ge=1, le=2**31 - 1)
WRITE_ANSWERS = {
    403: schemas.Problem,
    404: schemas.Problem,
    409: schemas.FieldErrors,
    422: schemas.FieldErrors,
}


def refused(status: int, field: str, message: str) -> Status:
    return Status(status, {"detail": message, "errors": {field: [message]}})


def blocked(reasons: list[str]) -> Status:
    """409 with the reasons a service gave for refusing (a last lead, a contact's reports)."""
    return Status(409, {"detail": " ".join(reasons), "errors": {"__all__": reasons}})


def form_refusal(
    form: forms.BaseForm, *, conflict: str, invalid: str, names: dict[str, str] | None = None
) -> Status:
    """A form that did not save: 409 when someone else saved first, else 422; its
    messages by field, under the API's names for the fields (`names`: form → API)."""
    errors = {
        (names or {}).get(field, field): [str(message) for message in messages]
        for field, messages in form.errors.items()
    }
    if is_conflict(form):
        return Status(409, {"detail": conflict, "errors": errors})
    return Status(422, {"detail": invalid, "errors": errors})
