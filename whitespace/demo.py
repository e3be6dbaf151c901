"""Demo data for the whitespace map: three offering lines and Nordstern's plants.

Called by `manage.py demo` after the accounts step; idempotent like the rest.
The offering catalogue is seeded here, not in a migration: a real installation
keeps its own product lines in the admin.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from accounts.models import KeyAccount
from core.demo import rendered, update_or_create_by_text
from whitespace.models import CustomerUnit, Offering, WhitespaceCell

OFFERINGS = [
    # order, name, short description
    (1, _("Drive systems"), _("Motors, gears and controllers")),
    (2, _("Automation"), _("Control cabinets, sensors and software")),
    (3, _("Service contracts"), _("Maintenance, spare parts and retrofits")),
]

UNITS = [
    # order, name, kind, country
    (1, "Werk Hamburg", "plant", "DE"),
    (2, "Werk Stuttgart", "plant", "DE"),
    (3, "Plant Wuhan", "plant", "CN"),
]

# fmt: off
CELLS = [
    # unit, offering (order), status, yearly value, note
    ("Werk Hamburg", 1, "supply", Decimal(420000), _("Under the framework contract since 2022.")),
    ("Werk Hamburg", 2, "opportunity", Decimal(180000), _("New line planned for 2027.")),
    ("Werk Hamburg", 3, "supply", Decimal(95000), ""),
    ("Werk Stuttgart", 1, "competitor", Decimal(300000), _("Supplied by a local competitor.")),
    ("Werk Stuttgart", 2, "supply", Decimal(150000), ""),
    ("Werk Stuttgart", 3, "opportunity", Decimal(60000), _("Their service contract ends in 2026.")),
    ("Plant Wuhan", 1, "opportunity", Decimal(250000), _("Local sourcing preferred.")),
    ("Plant Wuhan", 2, "unknown", None, ""),
    ("Plant Wuhan", 3, "no_need", None, _("Maintained by the customer's own team.")),
]
# fmt: on


def whitespace_demo(*, account: KeyAccount) -> None:
    """The offering catalogue, and `account`'s plants by offerings with a mix of statuses."""
    offerings = {}
    for order, name, description in OFFERINGS:
        offering, _created = update_or_create_by_text(
            Offering.objects.all(),
            field="name",
            text=name,
            defaults=rendered({"order": order, "description": description, "is_active": True}),
        )
        offerings[order] = offering
    units = {}
    for order, name, kind, country in UNITS:
        units[name], _created = CustomerUnit.objects.update_or_create(
            account=account, name=name, defaults={"order": order, "kind": kind, "country": country}
        )
    for unit, offering, status, value, note in CELLS:
        WhitespaceCell.objects.update_or_create(
            unit=units[unit],
            offering=offerings[offering],
            defaults=rendered({"status": status, "yearly_value": value, "note": note}),
        )
