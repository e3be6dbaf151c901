from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import KeyAccount, TeamRole
from core.collation import by_name
from core.forms import ModelMultipleIdsField, VersionedForm
from news.models import Audience, NewsItem


class NewsItemForm(VersionedForm):
    class Meta:
        model = NewsItem
        fields = ["title", "body", "audience", "roles", "contacts"]
        field_classes = {"roles": ModelMultipleIdsField, "contacts": ModelMultipleIdsField}
        widgets = {
            "body": forms.Textarea(attrs={"rows": 5}),
            "audience": forms.RadioSelect,
            "roles": forms.CheckboxSelectMultiple,
            "contacts": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "roles": _("Only with “chosen roles”: the roles on this team who should know."),
            "contacts": _("Optional: the customer contacts the news is about."),
        }

    def __init__(self, *args: Any, account: KeyAccount, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account
        saved = self.instance.pk
        # The roles held on this team (and any the item names already).
        held = account.team_members.active().values("role_id")
        roles = TeamRole.objects.filter(Q(pk__in=held) | Q(pk__in=_saved(self, "roles")))
        self.fields["roles"].queryset = roles.order_by("name_en")
        contacts = account.contacts.filter(
            Q(archived_at__isnull=True) | Q(pk__in=_saved(self, "contacts"))
        )
        self.fields["contacts"].queryset = contacts.order_by(*by_name("last_name", "first_name"))
        self.fields["audience"].choices = Audience.choices
        if not saved:
            self.fields["audience"].initial = Audience.TEAM

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("audience") == Audience.ROLES and not data.get("roles"):
            self.add_error("roles", _("Choose at least one role, or send it to the whole team."))
        return data


def _saved(form: forms.ModelForm, field: str) -> list[int]:
    if not form.instance.pk:
        return []
    return list(getattr(form.instance, field).values_list("pk", flat=True))
