from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import AccountTeamMember, KeyAccount
from core.forms import (
    DateInput,
    HeldChoiceField,
    ModelMultipleIdsField,
    VersionedForm,
    bounded_formfield,
)
from touchpoints.models import RelationshipPair, TeamMeeting, Touchpoint
from users.pickers import PeopleSelect, PeopleSelectMultiple


def _member_label(m: Any) -> str:
    return f"{m.user.display_name}, {m.role_label}"


class TouchpointForm(VersionedForm):
    class Meta:
        model = Touchpoint
        formfield_callback = bounded_formfield
        fields = [
            "contact",
            "quarter",
            "year",
            "date",
            "kind",
            "title",
            "owner",
            "companions",
            "status",
            "outcome",
        ]
        widgets = {
            "date": DateInput(),
            "owner": PeopleSelect,
            "companions": PeopleSelectMultiple,
            "outcome": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"owner": HeldChoiceField, "companions": ModelMultipleIdsField}
        help_texts = {
            "companions": _(
                "Optional: colleagues who come along, say inside sales. They see the "
                "touchpoint in their My touchpoints and calendar."
            ),
        }

    def __init__(
        self,
        *args: Any,
        account: KeyAccount,
        own_seats: Sequence[AccountTeamMember] = (),
        **kwargs: Any,
    ) -> None:
        """`own_seats`: the viewer's active seats on `account`, as the access check
        read them; a lead giving a touchpoint to themselves costs no lookup."""
        super().__init__(*args, **kwargs)
        self.instance.account = account
        self.fields["contact"].queryset = account.contacts.active()
        seats = account.team_members.active().select_related("user", "role")
        for name in ("owner", "companions"):
            self.fields[name].queryset = seats
            self.fields[name].label_from_instance = _member_label
        self.fields["owner"].held = {
            str(seat.pk): seat
            for seat in own_seats
            if seat.account_id == account.pk and seat.archived_at is None
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        owner, companions = data.get("owner"), data.get("companions")
        if owner and companions and owner in companions:
            self.add_error(
                "companions",
                _("The owner goes anyway: choose the colleagues who join them."),
            )
        return data


class TouchpointDoneForm(VersionedForm):
    class Meta:
        model = Touchpoint
        fields = ["outcome"]
        widgets = {"outcome": forms.Textarea(attrs={"rows": 3})}


class RelationshipPairForm(VersionedForm):
    class Meta:
        model = RelationshipPair
        fields = [
            "member",
            "contact",
            "current_level",
            "target_level",
            "cadence",
            "next_occasion",
            "notes",
        ]
        widgets = {"member": PeopleSelect, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, account: KeyAccount, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account
        self.fields["contact"].queryset = account.contacts.active()
        member = self.fields["member"]
        member.queryset = account.team_members.active().select_related("user", "role")
        member.label_from_instance = _member_label


class TeamMeetingForm(VersionedForm):
    class Meta:
        model = TeamMeeting
        formfield_callback = bounded_formfield
        fields = ["year", "quarter", "date", "format", "purpose", "participants", "status"]
        field_classes = {"participants": ModelMultipleIdsField}
        widgets = {"date": DateInput(), "participants": PeopleSelectMultiple}

    def __init__(self, *args: Any, account: KeyAccount, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account
        participants = self.fields["participants"]
        participants.queryset = account.team_members.active().select_related("user", "role")
        participants.label_from_instance = _member_label
