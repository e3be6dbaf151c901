"""Demo data for opportunities at Nordstern: four open deals across this and next year.

Called by `manage.py demo` after the accounts and whitespace steps; idempotent
like the rest. Each deal is linked to a potential or a whitespace cell of the
demo, and two serve an objective, so the plan shows its gap and coverage.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import AccountTeamMember, KeyAccount, PlanObjective, PlanPotential
from core.demo import in_every_language, update_or_create_by_text
from opportunities.models import Opportunity, OpportunityStage
from whitespace.models import WhitespaceCell

M = TypeVar("M", bound=Model)

# fmt: off
OPPORTUNITIES = [
    # title, value, stage (English name), close, owner, potential, cell (unit, offering order),
    # objective, next step
    (_("Retrofit packages for the Hamburg lines"), "200000", "Negotiate",
     datetime.date(2026, 12, 18), "kam",
     _("Retrofit packages for installed machines in Germany"), None,
     _("Retrofit revenue in Germany"), _("Final price round with purchasing")),
    (_("Service contract for Werk Stuttgart"), "60000", "Develop",
     datetime.date(2026, 12, 31), "innendienst", None, ("Werk Stuttgart", 3),
     None, _("Send the service offer")),
    (_("Drives for the new Suzhou line"), "650000", "Propose",
     datetime.date(2027, 6, 30), "nkam-china", _("Drives for the new Suzhou line"), None,
     _("Renew the global framework contract"), _("Technical workshop at the plant")),
    (_("Automation for the new Hamburg line"), "180000", "Qualify",
     datetime.date(2027, 9, 30), "nkam", None, ("Werk Hamburg", 2),
     None, _("Meet the project engineers")),
]
# fmt: on


def _by_text(queryset: QuerySet[M], field: str, text: str | Promise | None) -> M | None:
    """The row whose `field` holds `text` in any language; None for no text or no row."""
    if text is None:
        return None
    return queryset.filter(**{f"{field}__in": in_every_language(text)}).first()


def opportunities_demo(*, account: KeyAccount, team: Mapping[str, AccountTeamMember]) -> None:
    """`account`'s four opportunities; `team` by username, as the accounts step returns it."""
    stages = {s.name_en: s for s in OpportunityStage.objects.all()}
    potentials = PlanPotential.objects.filter(plan__account=account)
    objectives = PlanObjective.objects.filter(plan__account=account)
    cells = WhitespaceCell.objects.filter(unit__account=account)
    for title, value, stage, close, owner, potential, cell, objective, step in OPPORTUNITIES:
        found_cell = (
            cells.filter(unit__name=cell[0], offering__order=cell[1]).first() if cell else None
        )
        update_or_create_by_text(
            Opportunity.objects.all(),
            account=account,
            field="title",
            text=title,
            defaults={
                "value": Decimal(value),
                "stage": stages[stage],
                "probability": stages[stage].default_probability,
                "expected_close": close,
                "owner": team[owner],
                "next_step": step,
                "potential": _by_text(potentials, "description", potential),
                "objective": _by_text(objectives, "text", objective),
                "whitespace_cell": found_cell,
            },
        )
