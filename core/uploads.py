"""Refusing an upload by its announced size, before Django reads its body.

A browser announces the request's length (Content-Length) before sending it;
a file over the limit is refused on that alone, so 30 MB are never parsed or
spooled to disk. The form then comes back unbound, its file field saying why:
the body was not read, so nothing the person typed can be shown again.
"""

from __future__ import annotations

from django import forms
from django.forms.utils import ErrorDict
from django.http import HttpRequest

# Room for the form's other fields and the multipart boundaries around the file.
FORM_OVERHEAD = 64 * 1024


def announced_too_large(request: HttpRequest, max_bytes: int) -> bool:
    """Whether a POST announces a body larger than a file of `max_bytes` can make."""
    if request.method != "POST":
        return False
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > max_bytes + FORM_OVERHEAD


def refuse_unread(form: forms.BaseForm, field: str, message: str) -> None:
    """Give the unbound `form` the error `message` at `field` (the body was not read)."""
    form._errors, form.cleaned_data = ErrorDict(), {}
    form.add_error(field, message)
