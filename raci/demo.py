"""Demo data for RACI: the handbook's worked example as a template and as
Nordstern's agreed matrix.

Called by `manage.py demo` after the accounts step; idempotent like the rest.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from django.utils.translation import gettext_lazy as _

from accounts.models import AccountTeamMember, KeyAccount, TeamRole
from core.demo import update_or_create_by_text
from raci.models import (
    RaciAssignment,
    RaciMatrix,
    RaciTask,
    RaciTemplate,
    RaciTemplateAssignment,
    RaciTemplateTask,
)

# The handbook's worked example: (task, {letter: [role codes]}).
HANDBOOK_RACI = [
    (
        _("Globaler Rahmenvertrag (global framework contract)"),
        {
            "R": ["gkam"],
            "A": ["management"],
            "S": ["inside-sales"],
            "C": ["nkam"],
            "I": ["nkam"],
        },
    ),
    (
        _("Globales Beziehungsmanagement (global relationship management)"),
        {"R": ["gkam"], "A": ["gkam"], "S": ["inside-sales"]},
    ),
    (
        _(
            "Nationale Angebote basierend auf Rahmenvertrag (national offers based on the "
            "framework contract)"
        ),
        {"R": ["nkam"], "A": ["nkam"]},
    ),
]


def raci_demo(
    *,
    account: KeyAccount,
    roles: Mapping[str, TeamRole],
    participants: Sequence[AccountTeamMember],
) -> None:
    """The handbook template, and the same tasks as `account`'s matrix, agreed in
    the plan workshop by `participants`."""
    template, _created = update_or_create_by_text(
        RaciTemplate.objects.all(),
        field="name",
        text=_("Global key account (handbook)"),
        defaults={"description": _("The handbook's three key tasks of a global account.")},
    )
    for order, (name, letters) in enumerate(HANDBOOK_RACI, start=1):
        ttask, _created = update_or_create_by_text(
            RaciTemplateTask.objects.all(),
            template=template,
            field="name",
            text=name,
            defaults={"order": order},
        )
        task, _created = update_or_create_by_text(
            RaciTask.objects.all(),
            account=account,
            field="name",
            text=name,
            defaults={"order": order},
        )
        wanted = [(roles[code], letter) for letter, codes in letters.items() for code in codes]
        for parent, model in ((ttask, RaciTemplateAssignment), (task, RaciAssignment)):
            keep = [
                model.objects.get_or_create(task=parent, role=r, letter=letter)[0].pk
                for r, letter in wanted
            ]
            # Letters a demo user added are dropped: the example must read as in the handbook.
            model.objects.filter(task=parent).exclude(pk__in=keep).delete()
    matrix, _created = RaciMatrix.objects.update_or_create(
        account=account,
        defaults={"status": RaciMatrix.Status.AGREED, "agreed_on": datetime.date(2025, 9, 16)},
    )
    matrix.participants.set(participants)
