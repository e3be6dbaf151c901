"""The home page: what needs the person now (workspace.today)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from core import fragments
from workspace.today import today_for
from workspace.visits import home_visit_record


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    # Before the cache: the visit is recorded on every view, and "new since
    # your last visit" is part of what the cached HTML depends on.
    since = home_visit_record(user=request.user)
    today = timezone.localdate()

    def context() -> dict[str, Any]:
        found = today_for(user=request.user, today=today, since=since)
        return {"today": found, "my_accounts": found.accounts}

    body = fragments.render_cached(
        request,
        "workspace/_today_body.html",
        context,
        scopes=fragments.ALL,  # across accounts, as My touchpoints and the portfolio
        parts=[since.isoformat()],
    )
    return render(request, "workspace/today.html", {"body": body})
