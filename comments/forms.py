from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import KeyAccount
from comments import mentions
from comments.models import MAX_LENGTH, Comment
from core.forms import VersionedForm
from users.models import User


class CommentForm(VersionedForm):
    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3, "maxlength": MAX_LENGTH})}
        labels = {"body": _("Your comment")}
        error_messages = {"body": {"required": _("Write something first.")}}

    def __init__(self, *args: Any, account: KeyAccount, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account = account
        self.mentioned: list[User] = []
        self.fields["body"].required = True
        self.fields["body"].strip = True
        names = " ".join(f"@{name}" for name in mentions.team_handles(account))
        self.fields["body"].help_text = (
            _("Mention someone with @ and their user name; they are told. Team: %(names)s")
            % {"names": names}
            if names
            else _("Mention someone with @ and their user name; they are told.")
        )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        names = mentions.handles(body)
        if len(names) > mentions.MAX_MENTIONS:
            raise ValidationError(
                _("Mention at most %(max)s people in one comment."),
                params={"max": mentions.MAX_MENTIONS},
            )
        self.mentioned, unknown = mentions.resolve(self.account, names)
        if unknown:
            listed = ", ".join(f"@{n}" for n in unknown)
            raise ValidationError(
                ngettext(
                    "%(names)s is nobody who can read this account: mention a member of its "
                    "team or a manager by their user name.",
                    "%(names)s are nobody who can read this account: mention members of its "
                    "team or managers by their user names.",
                    len(unknown),
                )
                % {"names": listed}
            )
        return body
