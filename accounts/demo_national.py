"""Demo data: Nordstern's national plans for Germany and China under its global plan.

Germany's follows the framework contract; China's is the handbook's warning
example, the NKAM who makes his own offer, stated as an exception with its
reason. Rows are found by their natural keys, so running the demo again
changes nothing (accounts.demo).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.models import (
    KeyAccountPlan,
    NationalObjective,
    NationalPlan,
    NationalPotential,
    NationalTarget,
    PlanObjective,
)
from core.demo import in_every_language, rendered, update_or_create_by_text

# fmt: off
# country, fields, targets per year, potentials (description, value, year),
# objectives (text, the global objective served as its index in the demo plan's
# objectives, kind, target, due date, status)
NATIONAL_PLANS: tuple[tuple[str, dict[str, Any], tuple, tuple, tuple], ...] = (
    ("DE", {
        "follows_framework": True,
        "exception_reason": "",
        "notes": _("Orders are placed by the plants in Hamburg and Leipzig; growth comes "
                   "from retrofit packages for the installed machines."),
    },
        ((2026, "3200000"), (2027, "3400000"), (2028, "3700000")),
        ((_("Retrofit packages for the Leipzig plant"), "250000", 2026),),
        ((_("Retrofit offers for every German plant"), 2, "business", _("+250,000 EUR"),
          datetime.date(2026, 11, 30), "in_progress"),),
    ),
    ("CN", {
        "follows_framework": False,
        "exception_reason": _("The Suzhou plant buys spare parts locally at prices below the "
                              "framework contract. Until the contract is renewed in 2027, "
                              "spare parts are offered from a local price list."),
        "notes": _("The Suzhou plant decides locally; headquarters must back every offer."),
    },
        ((2026, "1100000"), (2027, "1400000"), (2028, "1600000")),
        ((_("Drives for the new Suzhou line"), "650000", 2027),),
        ((_("Suzhou plant management backs the framework renewal"), 0, "relationship",
          _("letter of support"), datetime.date(2027, 2, 28), "open"),),
    ),
)
# fmt: on


def national_demo(plan: KeyAccountPlan, objective_texts: Sequence[Any]) -> list[NationalPlan]:
    """The national plans under `plan`; `objective_texts`: its objectives as the demo wrote them."""
    nationals = []
    for country, fields, targets, potentials, objectives in NATIONAL_PLANS:
        national, _created = NationalPlan.objects.update_or_create(
            plan=plan, country=country, defaults=rendered(fields)
        )
        for year, amount in targets:
            NationalTarget.objects.update_or_create(
                national_plan=national, year=year, defaults={"amount": Decimal(amount)}
            )
        for description, value, year in potentials:
            update_or_create_by_text(
                NationalPotential.objects.all(),
                national_plan=national,
                field="description",
                text=description,
                defaults={"estimated_value": Decimal(value), "year": year},
            )
        for text, serves, kind, target, due, status in objectives:
            update_or_create_by_text(
                NationalObjective.objects.all(),
                national_plan=national,
                field="text",
                text=text,
                defaults={
                    "serves": _global_objective(plan, objective_texts[serves]),
                    "kind": kind,
                    "target": target,
                    "due_date": due,
                    "status": status,
                },
            )
        nationals.append(national)
    return nationals


def _global_objective(plan: KeyAccountPlan, text: Any) -> PlanObjective | None:
    return plan.objectives.filter(text__in=in_every_language(text)).first()
