"""Finding the team's work: RACI tasks, touchpoints and documents of the accounts one may open."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from documents.models import Document
from documents.selectors import visible_to
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


class DocumentProvider:
    """Account documents by title, description and category (not the text inside files:
    README, "Documents")."""

    kind = "documents"
    label = _("Documents")
    order = 55
    fields = ["title", "description", "category__name_en", "category__name_de"]

    def search(self, *, user: User, query: Query, limit: int, offset: int = 0) -> Found:
        documents = Document.objects.current().filter(visible(user), visible_to(user))
        rows = list(
            text_queryset(documents, self.fields, query)
            .select_related("account", "category")
            .only(
                *("title", "description", "account__name", "account__slug"),
                *("category__name_en", "category__name_de"),
            )
            .order_by("account__name", "title", "pk")[offset : offset + limit + 1]
        )

        def hit(document: Document) -> Hit:
            return Hit(
                title=highlight(document.title, query),
                url=document.get_absolute_url(),
                details=format_html(
                    "{} · {}", highlight(document.category.name, query), document.account.name
                ),
                snippet=snippet(document.description, query)
                if matches(document.description, query)
                else "",
            )

        return found(rows, limit, hit)
