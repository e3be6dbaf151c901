"""The forms of a national plan: the plan with its targets, its potentials and objectives."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.amounts import add_yearly_amounts
from accounts.models import (
    KeyAccountPlan,
    NationalObjective,
    NationalPlan,
    NationalPotential,
)
from core.forms import DateInput, VersionedForm, bounded_formfield
from core.localized_numbers import LocalizedAmountField
from core.widgets import OneStringSelect


class NationalPlanForm(VersionedForm):
    """Whether offers follow the framework contract, notes, and a target per plan year.

    A new plan also takes its country, among `countries` (codes; None: any
    country): an NKAM starts the plan of their own country only, whatever
    country is posted.
    """

    class Meta:
        model = NationalPlan
        fields = ["country", "follows_framework", "exception_reason", "notes"]
        widgets = {
            "country": OneStringSelect,
            "exception_reason": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(
        self, *args: Any, plan: KeyAccountPlan, countries: set[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        if self.instance.pk:
            del self.fields["country"]  # a plan stays with its country
        else:
            taken = set(plan.national_plans.values_list("country", flat=True))
            field = self.fields["country"]
            field.error_messages["invalid_choice"] = _(
                "Choose a country from the list: one without a national plan yet that you "
                "may plan for."
            )
            field.choices = [("", "---------")] + [
                (code, name)
                for code, name in field.choices
                if code and code not in taken and (countries is None or code in countries)
            ]
        targets = (
            {t.year: t.amount for t in self.instance.targets.all()} if self.instance.pk else {}
        )
        self.target_years = plan.years
        add_yearly_amounts(
            self.fields,
            self.target_years,
            targets,
            name=self.target_field,
            label=_("National target %(year)s (%(currency)s)"),
        )

    @staticmethod
    def target_field(year: int) -> str:
        return f"target_{year}"

    @property
    def targets(self) -> dict[int, Decimal | None]:
        return {y: self.cleaned_data.get(self.target_field(y)) for y in self.target_years}

    def clean_exception_reason(self) -> str:
        return self.cleaned_data["exception_reason"].strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("follows_framework"):
            data["exception_reason"] = ""  # the history keeps an earlier exception's reason
        # An exception without a reason: NationalPlan.clean() names it at the field.
        return data


class NationalPotentialForm(VersionedForm):
    class Meta:
        model = NationalPotential
        formfield_callback = bounded_formfield
        fields = ["description", "estimated_value", "year"]
        field_classes = {"estimated_value": LocalizedAmountField}

    def __init__(self, *args: Any, national: NationalPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.national_plan = national
        years = national.plan.years
        if self.instance.pk and self.instance.year not in years:
            years = sorted([*years, self.instance.year])
        self.fields["year"] = forms.TypedChoiceField(
            label=_("Year"), coerce=int, choices=[(y, y) for y in years]
        )


class NationalObjectiveForm(VersionedForm):
    class Meta:
        model = NationalObjective
        fields = ["text", "serves", "kind", "target", "due_date", "status"]
        widgets = {"due_date": DateInput()}

    def __init__(self, *args: Any, national: NationalPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.national_plan = national
        serves = self.fields["serves"]
        serves.queryset = national.plan.objectives.all()
        serves.empty_label = _("none: a national objective only")
        serves.help_text = _("The objective of the global plan this one helps to reach.")

    def clean_due_date(self) -> datetime.date | None:
        due = self.cleaned_data["due_date"]
        plan: KeyAccountPlan = self.instance.national_plan.plan
        unchanged = self.instance.pk and due == self.instance.due_date
        if due and not plan.covers(due.year) and not unchanged:
            raise ValidationError(
                _("The plan covers %(period)s: choose a due date within that period.")
                % {"period": plan.period}
            )
        return due
