"""Suggestions for the people pickers (users/pickers.py, static/js/people-picker.js).

Only the people who already see the whole list in a form may search it:
the leads of an account, for its team seats (`?account=<slug>`: outsiders
404, read-only members 403, as on the form), and managers, who appoint the
first lead of a new account and filter the portfolio by its leads
(`?leads=1`: only people who lead an active account). The answer holds what
the form's <select> shows anyway: the name and user name.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import account_access
from accounts.models import AccountTeamMember
from accounts.selectors import lead_people
from core.params import QueryReader
from users.pickers import active_people, person_label
from users.suggestions import QUERY_MAX, suggest


@require_safe
def people_pick(request: HttpRequest) -> JsonResponse:
    reader = QueryReader(request.GET)
    slug = reader.text("account", max_length=100)
    people = active_people()
    if slug:
        access = account_access(request.user, slug, write=True)
        # A person may hold a second seat (an NKAM for another country), so
        # members stay choosable; the list says who is on the team already.
        people = people.annotate(
            on_team=Exists(
                AccountTeamMember.objects.active().filter(
                    account=access.account, user=OuterRef("pk")
                )
            )
        )
    elif not request.user.is_manager:
        raise PermissionDenied(_("Only managers choose people outside an account's team."))
    elif reader.choice("leads", ["1"]):
        people = lead_people()
    found = suggest(people, reader.text("q", max_length=QUERY_MAX))
    on_team = _("already on the team")
    results = [
        {
            "value": str(p.pk),
            "label": person_label(
                first_name=p.first_name, last_name=p.last_name, username=p.username
            ),
            "hint": on_team if getattr(p, "on_team", False) else "",
        }
        for p in found
    ]
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "private, no-store"  # names of colleagues: not for shared caches
    return response
