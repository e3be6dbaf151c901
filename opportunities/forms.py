from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import KeyAccount, PlanObjective, PlanPotential
from core.forms import DateInput, VersionedForm, bounded_formfield
from core.localized_numbers import LocalizedAmountField
from core.money import currency
from opportunities.models import Opportunity, OpportunityStage
from users.pickers import PeopleSelect
from whitespace.models import WhitespaceCell


def _member_label(m: Any) -> str:
    return f"{m.user.display_name}, {m.role_label}"


def _say(field: forms.Field, message: Any) -> None:
    """One plain message for every bound of a number field."""
    for validator in field.validators:
        if isinstance(validator, MinValueValidator | MaxValueValidator):
            validator.message = message


class OpportunityForm(VersionedForm):
    class Meta:
        model = Opportunity
        formfield_callback = bounded_formfield
        fields = [
            "title",
            "value",
            "stage",
            "probability",
            "expected_close",
            "owner",
            "next_step",
            "potential",
            "whitespace_cell",
            "objective",
        ]
        field_classes = {"value": LocalizedAmountField}
        widgets = {"expected_close": DateInput(), "owner": PeopleSelect}

    def __init__(self, *args: Any, account: KeyAccount, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account
        fields = self.fields
        fields["value"].label = _("Value (%(currency)s)") % {"currency": currency()}
        _say(fields["value"], _("Enter a value above zero."))
        fields["probability"].required = False
        _say(fields["probability"], _("Enter a probability from 0 to 100."))
        kept = self.instance.stage_id if self.instance.pk else None
        fields["stage"].queryset = OpportunityStage.objects.filter(Q(is_active=True) | Q(pk=kept))
        fields["stage"].empty_label = None
        owner = fields["owner"]
        owner.queryset = account.team_members.active().select_related("user", "role")
        owner.label_from_instance = _member_label
        potentials = PlanPotential.objects.filter(plan__account=account)
        fields["potential"].queryset = potentials.order_by("year", "description")
        fields["potential"].label_from_instance = lambda p: f"{p.description} ({p.year})"
        objectives = PlanObjective.objects.filter(plan__account=account).select_related("plan")
        fields["objective"].queryset = objectives.order_by("-plan__start_year", "text")
        fields["objective"].label_from_instance = lambda o: f"{o.text} ({o.plan.period})"
        cells = WhitespaceCell.objects.filter(unit__account=account)
        fields["whitespace_cell"].queryset = cells.select_related("unit", "offering").order_by(
            "unit__order", "unit__pk", "offering__order", "offering__name"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        stage = data.get("stage")
        if data.get("probability") is None and "probability" not in self.errors and stage:
            data["probability"] = stage.default_probability
            self.instance.probability = stage.default_probability
        return data


class CloseForm(VersionedForm):
    """Won or lost, why, and when."""

    status = forms.TypedChoiceField(
        label=_("Outcome"),
        choices=[(Opportunity.Status.WON, _("won")), (Opportunity.Status.LOST, _("lost"))],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Opportunity
        fields = ["status", "reason", "closed_on"]
        widgets = {"closed_on": DateInput(), "reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Required: Opportunity.clean() says so, once, as the database's rule does.
        self.fields["reason"].widget.attrs["required"] = True
        self.fields["closed_on"].required = True
        self.fields["closed_on"].initial = self.instance.closed_on or timezone.localdate()
        if self.instance.status == Opportunity.Status.OPEN:
            self.initial.pop("status", None)

    def clean_closed_on(self) -> datetime.date:
        closed_on = self.cleaned_data["closed_on"]
        if closed_on > timezone.localdate():
            raise forms.ValidationError(_("It cannot close in the future: enter today or earlier."))
        return closed_on
