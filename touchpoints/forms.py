from __future__ import annotations

from typing import Any

from django import forms

from accounts.models import KeyAccount
from core.forms import DateInput, ModelMultipleIdsField, VersionedForm, bounded_formfield
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
            "status",
            "outcome",
        ]
        widgets = {
            "date": DateInput(),
            "owner": PeopleSelect,
            "outcome": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, account: KeyAccount, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account
        self.fields["contact"].queryset = account.contacts.active()
        owner = self.fields["owner"]
        owner.queryset = account.team_members.active().select_related("user", "role")
        owner.label_from_instance = _member_label


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
