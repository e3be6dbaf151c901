"""Finding the team's work: RACI tasks, touchpoints and documents of the accounts one may open."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.access import visible_account_ids
from core.collation import by_name
from core.prepared import prepared
from documents.models import Document
from documents.selectors import visible_to_person
from raci.models import RaciTask
from search.expressions import Rows, text_filter
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
        window = Rows(offset=offset, count=limit + 1)
        rows = _tasks(visible_account_ids(user), *query.text_args(), window)

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
        window = Rows(offset=offset, count=limit + 1)
        rows = _touchpoints(visible_account_ids(user), *query.text_args(), window)

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
        window = Rows(offset=offset, count=limit + 1)
        ids = visible_account_ids(user)
        rows = _documents(ids, user.pk, user.is_manager, *query.text_args(), window)

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


# The kept queries (core.prepared) of the providers above: the accounts of `ids`
# (accounts.access.visible_account_ids, None: every account), the query's
# text_args, the rows to read.


@prepared
def _tasks(
    ids: list[int] | None, tsquery: str, stems: tuple[str, ...], rows: Rows
) -> QuerySet[RaciTask]:
    return rows.of(
        RaciTask.objects.filter(visible(ids), text_filter(RaciTaskProvider.fields, tsquery, stems))
        .select_related("account")
        .only("name", "description", "account__name", "account__slug")
        .order_by(*by_name("account__name"), "order", "pk")
    )


@prepared
def _touchpoints(
    ids: list[int] | None, tsquery: str, stems: tuple[str, ...], rows: Rows
) -> QuerySet[Touchpoint]:
    match = text_filter(TouchpointProvider.fields, tsquery, stems)
    return rows.of(
        Touchpoint.objects.filter(visible(ids), match)
        .select_related("account", "contact")
        .only(
            *("title", "outcome", "year", "quarter", "account__name", "account__slug"),
            *("contact__first_name", "contact__last_name"),
        )
        .order_by("-year", "-quarter", "-pk")
    )


@prepared
def _documents(
    ids: list[int] | None,
    user_id: int,
    manager: bool,
    tsquery: str,
    stems: tuple[str, ...],
    rows: Rows,
) -> QuerySet[Document]:
    """The documents of the accounts of `ids` that `user_id` may open (documents.selectors)."""
    match = text_filter(DocumentProvider.fields, tsquery, stems)
    documents = Document.objects.current().filter(
        visible(ids), visible_to_person(user_id, manager=manager), match
    )
    return rows.of(
        documents.select_related("account", "category")
        .only(
            *("title", "description", "account__name", "account__slug"),
            *("category__name_en", "category__name_de"),
        )
        .order_by(*by_name("account__name"), "title", "pk")
    )
