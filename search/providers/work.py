"""Finding the team's work: RACI tasks and touchpoints of the accounts a person may open."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from raci.models import RaciTask
from search.expressions import text_queryset
from search.providers.names import found, visible
from search.registry import Found, Hit
from search.text import Query, highlight, matches, snippet
from touchpoints.models import Touchpoint
from users.models import User


class RaciTaskProvider:
    kind = "tasks"
    label = _("RACI tasks")
    order = 40
    fields = ["name", "description"]

    def search(self, *, user: User, query: Query, limit: int, offset: int = 0) -> Found:
        tasks = RaciTask.objects.filter(visible(user))
        rows = list(
            text_queryset(tasks, self.fields, query)
            .select_related("account")
            .only("name", "description", "account__name", "account__slug")
            .order_by("account__name", "order", "pk")[offset : offset + limit + 1]
        )

        def hit(task: RaciTask) -> Hit:
            return Hit(
                title=highlight(task.name, query),
                url=reverse("raci:matrix", args=[task.account.slug]),
                details=task.account.name,
                snippet=snippet(task.description, query)
                if matches(task.description, query)
                else "",
            )

        return found(rows, limit, hit)


class TouchpointProvider:
    kind = "touchpoints"
    label = _("Touchpoints")
    order = 50
    suggest = False  # on the results page only (search.selectors.search_groups)
    fields = ["title", "outcome"]

    def search(self, *, user: User, query: Query, limit: int, offset: int = 0) -> Found:
        touchpoints = Touchpoint.objects.filter(visible(user))
        rows = list(
            text_queryset(touchpoints, self.fields, query)
            .select_related("account", "contact")
            .only(
                *("title", "outcome", "year", "quarter", "account__name", "account__slug"),
                *("contact__first_name", "contact__last_name"),
            )
            .order_by("-year", "-quarter", "-pk")[offset : offset + limit + 1]
        )

        def hit(touchpoint: Touchpoint) -> Hit:
            grid = reverse("touchpoints:grid", args=[touchpoint.account.slug])
            when = gettext("Q%(quarter)s %(year)s") % {
                "quarter": touchpoint.quarter,
                "year": touchpoint.year,
            }
            details = [touchpoint.contact.full_name, when, touchpoint.account.name]
            outcome = touchpoint.outcome
            return Hit(
                title=highlight(touchpoint.title, query),
                url=grid + "?" + urlencode({"year": touchpoint.year}),
                details=" · ".join(details),
                snippet=snippet(outcome, query) if matches(outcome, query) else "",
            )

        return found(rows, limit, hit)
