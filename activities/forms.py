from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import AccountTeamMember, KeyAccount
from activities.models import Activity, ActivityKind
from core.collation import by_name
from core.forms import DateInput, ModelMultipleIdsField, VersionedForm
from users.models import User

EARLIEST = datetime.date(2000, 1, 1)


class ActivityForm(VersionedForm):
    contacts = ModelMultipleIdsField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label=_("Contacts met"),
        error_messages={"required": _("Choose at least one contact you met or spoke to.")},
    )
    participants = ModelMultipleIdsField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("From our side"),
        help_text=_("The colleagues who took part (take inside sales along)."),
    )

    class Meta:
        model = Activity
        fields = ["kind", "happened_on", "subject", "contacts", "participants", "note"]
        widgets = {"happened_on": DateInput(), "note": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"note": _("What was said or agreed, for colleagues who were not there.")}

    def __init__(
        self,
        *args: Any,
        account: KeyAccount,
        actor: User,
        contact_id: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account
        saved = self.instance.pk
        chosen_contacts = list(self.instance.contacts.values_list("pk", flat=True)) if saved else []
        chosen_people = (
            list(self.instance.participants.values_list("pk", flat=True)) if saved else []
        )
        # Active contacts, and any archived one the activity names already.
        self.fields["contacts"].queryset = account.contacts.filter(
            Q(archived_at__isnull=True) | Q(pk__in=chosen_contacts)
        ).order_by(*by_name("last_name", "first_name"))
        seats = AccountTeamMember.objects.active().filter(account=account).values("user_id")
        self.fields["participants"].queryset = User.objects.filter(
            Q(pk__in=seats) | Q(pk__in=chosen_people)
        ).order_by(*by_name("first_name", "last_name"))
        self.fields["participants"].label_from_instance = lambda u: u.display_name
        self.fields["kind"].choices = ActivityKind.choices
        if not saved:
            self.fields["happened_on"].initial = timezone.localdate()
            self.fields["participants"].initial = [actor.pk]
            if contact_id:
                self.fields["contacts"].initial = [contact_id]

    def clean_happened_on(self) -> datetime.date:
        day = self.cleaned_data["happened_on"]
        today = timezone.localdate()
        if day > today:
            raise forms.ValidationError(
                _(
                    "An activity has happened: choose today or an earlier date. Plan what is "
                    "still to come as a touchpoint."
                )
            )
        if day < EARLIEST:
            raise forms.ValidationError(_("Choose a date from 2000 on."))
        return day
