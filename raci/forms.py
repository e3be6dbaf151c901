from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import KeyAccount
from core.forms import DateInput, ModelMultipleIdsField, VersionedForm
from raci.models import RaciMatrix, RaciTask, RaciTemplate, RaciTemplateTask


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
        widgets = {"agreed_on": DateInput(), "participants": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["participants"]
        field.queryset = self.instance.account.team_members.active().select_related("user", "role")
        field.label_from_instance = lambda m: f"{m.user.display_name}, {m.role_label}"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("status") == RaciMatrix.Status.AGREED and not data.get("agreed_on"):
            self.add_error("agreed_on", _("An agreed matrix needs the date of the team session."))
        return data


class ApplyTemplateForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Template"),
        queryset=RaciTemplate.objects.all(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
