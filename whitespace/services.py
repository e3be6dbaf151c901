"""Writes to the whitespace map: the customer units of an account."""

from __future__ import annotations

from django.db import router, transaction
from django.db.models import Max, ProtectedError
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _

from whitespace.models import CustomerUnit


def unit_next_order(*, unit: CustomerUnit) -> int:
    """The place after the account's last unit."""
    last = CustomerUnit.objects.filter(account_id=unit.account_id).aggregate(m=Max("order"))["m"]
    return (last or 0) + 1


def unit_move(*, unit: CustomerUnit, up: bool) -> None:
    """Swap the unit with its neighbour above or below."""
    with transaction.atomic():
        units = list(CustomerUnit.objects.filter(account_id=unit.account_id).select_for_update())
        index = next(i for i, u in enumerate(units) if u.pk == unit.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(units):
            return
        units[index], units[other] = units[other], units[index]
        for position, u in enumerate(units, start=1):
            if u.order != position:
                u.order = position
                u.save(update_fields=["order"])


def _protected_message(unit: CustomerUnit, error: ProtectedError) -> str:
    linked = sorted({f"{obj._meta.verbose_name} “{obj}”" for obj in error.protected_objects})
    return _(
        "“%(unit)s” cannot be deleted while other entries point to its cells: %(linked)s. "
        "Remove those links first, then delete the unit."
    ) % {"unit": unit.name, "linked": ", ".join(linked)}


def unit_delete_blockers(*, unit: CustomerUnit) -> list[str]:
    """What keeps the unit from being deleted (an opportunity on one of its cells), or []."""
    try:
        Collector(using=router.db_for_write(CustomerUnit)).collect([unit])
    except ProtectedError as error:
        return [_protected_message(unit, error)]
    return []


def unit_delete(*, unit: CustomerUnit) -> list[str]:
    """Delete the unit with its cells; what blocked it (checked under the delete), else []."""
    try:
        with transaction.atomic():
            unit.delete()
    except ProtectedError as error:
        return [_protected_message(unit, error)]
    return []
