"""Forms of the whitespace map: a customer unit, and one cell of the map."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import KeyAccount
from core.forms import VersionedForm, bounded_formfield
from core.localized_numbers import LocalizedAmountField
from whitespace.models import CustomerUnit, WhitespaceCell


class CustomerUnitForm(VersionedForm):
    class Meta:
        model = CustomerUnit
        fields = ["name", "kind", "country"]
        help_texts = {"name": _("For example “Werk Hamburg”, “Automotive” or “China”.")}

    def __init__(self, *args: Any, account: KeyAccount, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(_("Give the unit a name."))
        clash = self.instance.account.customer_units.filter(name__iexact=name).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise ValidationError(_("This account already has a unit “%(name)s”.") % {"name": name})
        return name


class WhitespaceCellForm(VersionedForm):
    """Status, yearly value and note of one unit and offering."""

    class Meta:
        model = WhitespaceCell
        formfield_callback = bounded_formfield
        fields = ["status", "yearly_value", "note"]
        field_classes = {"yearly_value": LocalizedAmountField}
        help_texts = {"yearly_value": _("What the unit spends or would spend on it per year.")}
