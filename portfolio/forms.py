from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from accounts.selectors import lead_people
from portfolio.models import PlanReview
from users.models import User
from users.pickers import PersonChoiceField


class KamFilterForm(forms.Form):
    """The portfolio's KAM filter: a people picker over the leads (users.pickers).

    A company has thousands of leads: above the picker's LIST_MAX the <select>
    holds only the chosen one and the type-ahead asks for leads only.
    """

    kam = PersonChoiceField(
        label=_("KAM"), queryset=User.objects.none(), required=False, empty_label=_("all")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "f-%s")
        super().__init__(*args, **kwargs)
        field = self.fields["kam"]
        field.queryset = lead_people()
        field.widget.options_key = "portfolio-leads"  # always lead_people()
        field.widget.suggest_url = f"{reverse('people_pick')}?leads=1"
        field.widget.attrs["class"] = "form-select"

    @classmethod
    def widget_for(cls, chosen: int | None) -> SafeString:
        return cls(initial={"kam": chosen})["kam"].as_widget()

    @classmethod
    def typed(cls, text: str) -> int | None:
        """The lead with this user name or e-mail address (typed without JavaScript)."""
        try:
            found = cls().fields["kam"].to_python(text)
        except forms.ValidationError:
            return None
        return found.pk if found else None


class PlanReviewForm(forms.ModelForm):
    class Meta:
        model = PlanReview
        fields = ["comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 5})}
