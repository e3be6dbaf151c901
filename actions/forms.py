from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    YEAR_MAX,
    YEAR_MIN,
    AccountTeamMember,
    KeyAccount,
    NationalObjective,
    PlanObjective,
)
from actions.models import PlanAction
from core.forms import DateInput, VersionedForm
from users.pickers import PeopleSelect


def _member_label(m: AccountTeamMember) -> str:
    return f"{m.user.display_name}, {m.role_label}"


class PlanActionForm(VersionedForm):
    class Meta:
        model = PlanAction
        fields = ["title", "owner", "due_date", "status", "done_on", "contact", "note"]
        widgets = {
            "due_date": DateInput(),
            "done_on": DateInput(),
            "owner": PeopleSelect,
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "done_on": _("Filled in with today when you mark the action done without a date."),
        }

    def __init__(
        self,
        *args: Any,
        objective: PlanObjective | NationalObjective,
        account: KeyAccount,
        **kwargs: Any,
    ) -> None:
        """`objective`: the global or national one the action is under, of `account`."""
        super().__init__(*args, **kwargs)
        if isinstance(objective, NationalObjective):
            self.instance.national_objective = objective
        else:
            self.instance.objective = objective
        self.instance.account = account
        owner = self.fields["owner"]
        owner.queryset = account.team_members.active().select_related("user", "role")
        owner.label_from_instance = _member_label
        # An archived contact stays choosable on the action that already names it.
        self.fields["contact"].queryset = account.contacts.filter(
            Q(archived_at__isnull=True) | Q(pk=self.instance.contact_id)
        )

    def clean_due_date(self) -> datetime.date:
        due: datetime.date = self.cleaned_data["due_date"]
        if not YEAR_MIN <= due.year <= YEAR_MAX:
            raise ValidationError(
                _("Choose a due date between %(low)s and %(high)s.")
                % {"low": YEAR_MIN, "high": YEAR_MAX}
            )
        return due

    def clean_done_on(self) -> datetime.date | None:
        done: datetime.date | None = self.cleaned_data["done_on"]
        if done and done.year < YEAR_MIN:
            raise ValidationError(_("Choose a date from %(low)s on.") % {"low": YEAR_MIN})
        return done

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # The done date follows the status: set on done, cleared otherwise.
        if data.get("status") == PlanAction.Status.DONE:
            if not data.get("done_on") and "done_on" not in self.errors:
                data["done_on"] = timezone.localdate()
        elif "status" in data:
            data["done_on"] = None
        return data


class PlanActionDoneForm(VersionedForm):
    """Mark done: only the version travels; the done date is today."""

    class Meta:
        model = PlanAction
        fields: list[str] = []
