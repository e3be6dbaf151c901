from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import AccountTeamMember, KeyAccount
from coaching.models import Appreciation, CoachingQuestion
from core.collation import by_name
from core.forms import DateInput
from core.validators import validate_supported_date
from users.models import User
from users.pickers import PeopleSelect

ANSWER_MAX = 4000


def _not_in_future(value: Any, message: str) -> None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(message)


class CoachingCheckForm(forms.Form):
    """A date and one answer field per question still asked.

    Fields start with the lead's previous answers, so a new self-check is a
    revision of the last one rather than a blank page.
    """

    answered_on = forms.DateField(
        label=_("Date of this self-check"),
        widget=DateInput(),
        validators=[validate_supported_date],
    )

    def __init__(
        self,
        *args: Any,
        questions: list[CoachingQuestion],
        previous: dict[int, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.fields["answered_on"].initial = timezone.localdate()
        for question in questions:
            self.fields[self.field_name(question)] = forms.CharField(
                label=question.text,
                required=False,
                max_length=ANSWER_MAX,
                initial=previous.get(question.pk, ""),
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=question.topic,
            )

    @staticmethod
    def field_name(question: CoachingQuestion) -> str:
        return f"q{question.pk}"

    def clean_answered_on(self) -> Any:
        value = self.cleaned_data["answered_on"]
        _not_in_future(value, _("A self-check cannot be dated in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors and not any(self.answers().values()):
            raise forms.ValidationError(_("Answer at least one question."))
        return cleaned

    def answers(self) -> dict[CoachingQuestion, str]:
        return {
            q: (self.cleaned_data.get(self.field_name(q)) or "").strip() for q in self.questions
        }


class AppreciationForm(forms.ModelForm):
    class Meta:
        model = Appreciation
        fields = ["member", "thanked_on", "note"]
        widgets = {"member": PeopleSelect, "thanked_on": DateInput()}

    def __init__(self, *args: Any, account: KeyAccount, by: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account
        # A lead thanks the others: a thank-you to oneself is no appreciation.
        self.fields["member"].queryset = (
            account.team_members.active()
            .exclude(user=by)
            .select_related("user", "role")
            .order_by(*by_name("user__last_name", "user__first_name"))
        )
        self.fields["member"].label_from_instance = lambda m: (
            f"{m.user.display_name} ({m.role_label})"
        )
        self.fields["thanked_on"].initial = timezone.localdate()

    def clean_thanked_on(self) -> Any:
        value = self.cleaned_data["thanked_on"]
        _not_in_future(value, _("Record a thank-you once it has happened."))
        return value

    def clean_member(self) -> AccountTeamMember:
        member = self.cleaned_data["member"]
        if member.account_id != self.instance.account.pk:  # the queryset already ensures it
            raise forms.ValidationError(_("Choose a member of this account's team."))
        return member
