from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import KeyAccount
from core.forms import DateInput, ModelMultipleIdsField, VersionedForm
from raci.models import RaciMatrix, RaciTask, RaciTemplate, RaciTemplateTask
from raci.selectors import matrix_for
from users.pickers import PeopleSelectMultiple


class RaciTaskForm(VersionedForm):
    class Meta:
        model = RaciTask
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, account: KeyAccount, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = self.instance.account.raci_tasks.filter(name__iexact=name).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise ValidationError(_("This account already has a task “%(name)s”.") % {"name": name})
        return name


class RaciTemplateForm(VersionedForm):
    class Meta:
        model = RaciTemplate
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class RaciTemplateTaskForm(forms.ModelForm):
    class Meta:
        model = RaciTemplateTask
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, template: RaciTemplate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.template = template

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if self.instance.template.tasks.filter(name__iexact=name).exclude(pk=self.instance.pk):
            raise ValidationError(
                _("This template already has a task “%(name)s”.") % {"name": name}
            )
        return name


class RaciMatrixStatusForm(VersionedForm):
    class Meta:
        model = RaciMatrix
        fields = ["status", "agreed_on", "participants"]
        field_classes = {"participants": ModelMultipleIdsField}
        widgets = {"agreed_on": DateInput(), "participants": PeopleSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["participants"]
        field.queryset = self.instance.account.team_members.active().select_related("user", "role")
        field.label_from_instance = lambda m: f"{m.user.display_name}, {m.role_label}"

    def clean_agreed_on(self) -> date | None:
        agreed_on = self.cleaned_data.get("agreed_on")
        today = timezone.localdate()
        if agreed_on and agreed_on > today:
            # The session is a fact of the past: a date to come is a typo or a plan.
            raise ValidationError(
                _(
                    "The team session cannot be after today (%(today)s): enter the day the team "
                    "agreed the matrix."
                )
                % {"today": date_format(today, "SHORT_DATE_FORMAT")}
            )
        return agreed_on

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("status") != RaciMatrix.Status.AGREED:
            return data
        if not data.get("agreed_on") and "agreed_on" not in self.errors:
            self.add_error("agreed_on", _("An agreed matrix needs the date of the team session."))
        # The same check as the matrix page: a task whose A or R nobody holds is open.
        matrix = matrix_for(self.instance.account)
        if not matrix.tasks:
            self.add_error("status", _("Add the matrix's tasks first: there is nothing to agree."))
        elif matrix.errors:
            self.add_error(
                "status",
                _("Not every task is complete yet, so the matrix cannot be agreed: %(gaps)s")
                % {"gaps": " ".join(matrix.errors)},
            )
        return data


class ApplyTemplateForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Template"),
        queryset=RaciTemplate.objects.all(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
