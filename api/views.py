"""A person's API tokens, in their profile: list, create (shown once), revoke.

Each person sees and revokes only their own tokens: another's is not found (404).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from api import tokens
from api.forms import TokenForm

SHOWN = 50  # revoked tokens beyond the newest ones are not listed


@never_cache  # the answer to a POST carries the new token: no cache may keep it
@require_http_methods(["GET", "HEAD", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    status, new_token = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                _row, new_token = tokens.issue(user=request.user, name=form.cleaned_data["name"])
            except ValidationError as refused:
                form.add_error(None, refused)
            except IntegrityError:
                form.add_error("name", _("You have an active token of this name already."))
            else:
                # Shown in this answer only: the database keeps its hash.
                status, form = 201, TokenForm()
    mine = request.user.api_tokens.all()
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "active": mine.active(),
            "revoked": mine.filter(revoked_at__isnull=False)[:SHOWN],
            "limit": settings.API_TOKENS_PER_PERSON,
            "rate": settings.API_RATE_PER_MINUTE,
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens.active(), pk=pk)
    if request.method == "POST":
        tokens.revoke(token=token)
        messages.success(
            request, _("%(name)s is revoked: programs using it are refused.") % {"name": token}
        )
        return HttpResponseRedirect(reverse("tokens:list"))
    return render(request, "api/token_revoke.html", {"token": token})
