from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from profiles.models import MOTIVE_MAX, MOTIVE_MIN, Motive, Profile

MOTIVE_PREFIX = "motive_"


def label_unknown_colour(form: forms.ModelForm) -> None:
    """Offer "unknown" instead of Django's dashes as the empty colour."""
    for name in ("primary_colour", "secondary_colour"):
        choices = list(form.fields[name].choices)[1:]
        form.fields[name].choices = [("", _("unknown")), *choices]


class ColleagueProfileForm(forms.ModelForm):
    """A colleague's profile, edited by the person or by the leads of their accounts."""

    class Meta:
        model = Profile
        fields = [
            "primary_colour",
            "secondary_colour",
            "goals",
            "bonus",
            "interests",
            "character_notes",
            "share_with_team",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("goals", "bonus", "interests", "character_notes")
        }

    def __init__(self, *args: Any, is_self: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not is_self:
            # Only the person decides to share their own data.
            del self.fields["share_with_team"]
        label_unknown_colour(self)


class ContactProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["primary_colour", "secondary_colour", "interests", "character_notes"]
        widgets = {
            "interests": forms.Textarea(attrs={"rows": 3}),
            "character_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        label_unknown_colour(self)


class MotiveScoresForm(forms.Form):
    """One optional score per life motive, -2.0 to +2.0 in steps of 0.1."""

    def __init__(
        self, *args: Any, motives: list[Motive], initial_scores: dict[int, Decimal], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.motives = motives
        for motive in motives:
            self.fields[self.field_name(motive)] = forms.DecimalField(
                label=motive.name,
                required=False,
                min_value=MOTIVE_MIN,
                max_value=MOTIVE_MAX,
                max_digits=2,
                decimal_places=1,
                initial=initial_scores.get(motive.pk),
                widget=forms.NumberInput(
                    attrs={"step": "0.1", "min": "-2", "max": "2", "class": "motive-input"}
                ),
            )

    @staticmethod
    def field_name(motive: Motive) -> str:
        return f"{MOTIVE_PREFIX}{motive.code}"

    @property
    def rows(self) -> list[tuple[Motive, forms.BoundField]]:
        return [(m, self[self.field_name(m)]) for m in self.motives]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        known = {self.field_name(m) for m in self.motives}
        unknown = sorted(k for k in self.data if k.startswith(MOTIVE_PREFIX) and k not in known)
        if unknown:
            raise forms.ValidationError(
                _("Unknown motives: %(names)s. Only the 16 life motives can be scored.")
                % {"names": ", ".join(k.removeprefix(MOTIVE_PREFIX) for k in unknown)}
            )
        return data

    @property
    def scores(self) -> dict[Motive, Decimal | None]:
        return {m: self.cleaned_data.get(self.field_name(m)) for m in self.motives}
