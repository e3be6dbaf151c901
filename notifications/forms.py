"""A person's choices: how they hear of each kind of notification, and in which language."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from notifications.kinds import EXPLANATIONS, GROUPS, Channel


class PreferencesForm(forms.Form):
    """One radio group per kind (named after the kind), and the language for e-mails."""

    language = forms.ChoiceField(
        label=_("Language for e-mails"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        help_text=_("kamteam writes its e-mails to you in this language."),
    )

    weekly_digest = forms.TypedChoiceField(
        label=_("Weekly digest"),
        choices=[("yes", _("on")), ("no", _("off"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=_(
            "On Monday mornings, one e-mail with what is overdue and due, what changed "
            "in your accounts and the notifications you chose for it; none when there is nothing."
        ),
    )

    def __init__(
        self,
        *args: Any,
        channels: dict[str, Channel],
        language: str,
        weekly_digest: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = language
        self.fields["weekly_digest"].initial = "yes" if weekly_digest else "no"
        for _title, kinds in GROUPS:
            for kind in kinds:
                self.fields[kind.value] = forms.ChoiceField(
                    label=kind.label,
                    choices=Channel.choices,
                    widget=forms.RadioSelect,
                    initial=channels[kind],
                    help_text=EXPLANATIONS[kind],
                )

    def groups(self) -> Iterator[tuple[str, list[forms.BoundField]]]:
        """(group title, its kinds' fields), in the order of the page."""
        for title, kinds in GROUPS:
            yield title, [self[kind.value] for kind in kinds]

    def channels(self) -> dict[str, str]:
        """{kind: channel} as chosen; call after is_valid()."""
        return {k.value: self.cleaned_data[k.value] for _t, kinds in GROUPS for k in kinds}
