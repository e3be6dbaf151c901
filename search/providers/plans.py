"""Finding plan text: profile, SWOT and strategy of the plans, their potentials and objectives."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.access import visible_account_ids
from accounts.models import KeyAccountPlan, PlanObjective, PlanPotential
from core.collation import by_name, name_key
from core.prepared import Prepared, prepared
from search.expressions import Rows, text_filter
from search.providers.names import visible
from search.registry import Found, Hit
from search.text import Query, highlight, matches, snippet
from users.models import User

PLAN_FIELDS = [
    "account_profile",
    "swot_strengths",
    "swot_weaknesses",
    "swot_opportunities",
    "swot_threats",
    "strategy",
]

# Only what a hit shows: the full rows of plans and accounts cost time to fetch and build.
_PERIOD = ("start_year", "end_year")
_ROW_PLAN = ("plan__start_year", "plan__end_year", "plan__account__name", "plan__account__slug")


class PlanTextProvider:
    """Three sources (plans, potentials, objectives), one group, ordered by account and plan."""

    kind = "plans"
    label = _("Plan text")
    order = 60
    suggest = False  # on the results page only (search.selectors.search_groups)

    def search(self, *, user: User, query: Query, limit: int, offset: int = 0) -> Found:
        args = (visible_account_ids(user), *query.text_args(), Rows(count=offset + limit + 1))
        hits = [
            *[self._plan_hit(p, query) for p in _plans(*args)],
            *[self._row_hit(p, p.description, _("Potential"), query) for p in _potentials(*args)],
            *[self._row_hit(o, o.text, _("Objective"), query) for o in _objectives(*args)],
        ]
        hits.sort(key=lambda pair: pair[0])
        rows = [h for _key, h in hits][offset:]
        return Found(hits=rows[:limit], more=len(rows) > limit)

    @staticmethod
    def _plan_hit(plan: KeyAccountPlan, query: Query) -> tuple[tuple, Hit]:  # type: ignore[type-arg]
        field = next((f for f in PLAN_FIELDS if matches(getattr(plan, f), query)), "strategy")
        label = KeyAccountPlan._meta.get_field(field).verbose_name
        text = getattr(plan, field)
        hit = Hit(
            title=highlight(f"{plan.account.name}: {plan.period}", query),
            url=plan.get_absolute_url(),
            details=capfirst(str(label)),
            snippet=snippet(text, query),
        )
        return (name_key(plan.account.name), -plan.start_year, 0, plan.pk), hit

    @staticmethod
    def _row_hit(row: PlanPotential | PlanObjective, text: str, kind: str, query: Query):  # type: ignore[no-untyped-def]
        plan = row.plan
        hit = Hit(
            title=highlight(f"{plan.account.name}: {plan.period}", query),
            url=plan.get_absolute_url(),
            details=str(kind),
            snippet=snippet(text, query),
        )
        rank = 1 if isinstance(row, PlanPotential) else 2
        return (name_key(plan.account.name), -plan.start_year, rank, row.pk), hit


# The kept queries (core.prepared) of PlanTextProvider: the accounts of `ids`
# (accounts.access.visible_account_ids, None: every account), the query's
# text_args, the rows to read.
_ROW_ORDER = (*by_name("plan__account__name"), "-plan__start_year", "pk")


@prepared
def _plans(
    ids: list[int] | None, tsquery: str, stems: tuple[str, ...], rows: Rows
) -> QuerySet[KeyAccountPlan]:
    plans = KeyAccountPlan.objects.filter(visible(ids), text_filter(PLAN_FIELDS, tsquery, stems))
    plans = plans.select_related("account").only(
        *PLAN_FIELDS, *_PERIOD, "account__name", "account__slug"
    )
    return rows.of(plans.order_by(*by_name("account__name"), "-start_year"))


def _plan_rows(model: type[PlanPotential | PlanObjective], field: str) -> Prepared[..., Any]:
    """The kept query of a plan's rows of one kind (`model`), by their text `field`."""

    def read(ids: list[int] | None, tsquery: str, stems: tuple[str, ...], rows: Rows) -> Any:
        found = model.objects.filter(
            visible(ids, "plan__account"), text_filter([field], tsquery, stems)
        )
        found = found.select_related("plan__account").only(field, *_ROW_PLAN)
        return rows.of(found.order_by(*_ROW_ORDER))

    read.__name__ = f"_{model.__name__.lower()}_rows"
    return prepared(read)


_potentials = _plan_rows(PlanPotential, "description")
_objectives = _plan_rows(PlanObjective, "text")
