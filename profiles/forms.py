from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import KeyAccount
from core.collation import by_name
from core.forms import DateInput, VersionedForm
from core.localized_numbers import LocalizedDecimalField
from profiles.models import (
    MOTIVE_MAX,
    MOTIVE_MIN,
    Motive,
    Profile,
    ProfilePart,
    ProfileShare,
    ShareAudience,
)
from users.models import User

MOTIVE_PREFIX = "motive_"


def label_unknown_colour(form: forms.ModelForm) -> None:
    """Offer "unknown" instead of Django's dashes as the empty colour."""
    for name in ("primary_colour", "secondary_colour"):
        choices = list(form.fields[name].choices)[1:]
        form.fields[name].choices = [("", _("unknown")), *choices]


class ColleagueProfileForm(VersionedForm):
    """A colleague's own profile, edited by the person only.

    Who sees it is decided on the sharing page (ProfileSharingForm), not here.
    """

    class Meta:
        model = Profile
        fields = [
            "primary_colour",
            "secondary_colour",
            "goals",
            "bonus",
            "interests",
            "character_notes",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("goals", "bonus", "interests", "character_notes")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        label_unknown_colour(self)


class ProfileSharingForm(forms.Form):
    """The person's choices: colours for all their teams, the rest per team and part."""

    PRIVATE_PARTS = (ProfilePart.MOTIVES, ProfilePart.GOALS, ProfilePart.NOTES)

    share_colours = forms.BooleanField(
        label=_("Share my colour type with everyone on my account teams"), required=False
    )

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        profile = Profile.objects.filter(user=person).first()
        current = {
            (s.account_id, s.part): s.audience for s in ProfileShare.objects.filter(user=person)
        }
        kwargs.setdefault(
            "initial",
            {"share_colours": bool(profile and profile.share_with_team)}
            | {
                self.field_name(account_id, part): audience
                for (account_id, part), audience in current.items()
            },
        )
        super().__init__(*args, **kwargs)
        # Only the teams the person is on now: a grant to any other team would do nothing.
        self.accounts = list(
            KeyAccount.objects.filter(
                status=KeyAccount.Status.ACTIVE,
                team_members__user=person,
                team_members__archived_at__isnull=True,
            )
            .distinct()
            .order_by(*by_name("name"))
        )
        choices = [("", _("only me")), *ShareAudience.choices]
        for account in self.accounts:
            for part in self.PRIVATE_PARTS:
                field = forms.ChoiceField(
                    label=f"{account.name}: {part.label}", choices=choices, required=False
                )
                field.part_label = part.label  # the label on the page, under the team's name
                self.fields[self.field_name(account.pk, part)] = field

    @staticmethod
    def field_name(account_id: int, part: str) -> str:
        return f"share_{account_id}_{part}"

    @property
    def rows(self) -> list[tuple[KeyAccount, list[forms.BoundField]]]:
        return [
            (a, [self[self.field_name(a.pk, p)] for p in self.PRIVATE_PARTS]) for a in self.accounts
        ]

    @property
    def grants(self) -> dict[tuple[int, str], str | None]:
        """(account id, part) -> audience, None to revoke; every team the person is on."""
        return {
            (a.pk, p.value): self.cleaned_data.get(self.field_name(a.pk, p)) or None
            for a in self.accounts
            for p in self.PRIVATE_PARTS
        }


class ContactProfileForm(VersionedForm):
    """A customer contact's profile: saved only with the legal basis for holding it.

    Profile.clean asks for the note (legitimate interest) or the date (consent).
    """

    class Meta:
        model = Profile
        fields = [
            "legal_basis",
            "legal_basis_note",
            "consent_date",
            "primary_colour",
            "secondary_colour",
            "interests",
            "character_notes",
        ]
        widgets = {
            "legal_basis": forms.RadioSelect,
            "legal_basis_note": forms.Textarea(attrs={"rows": 2}),
            "consent_date": DateInput(),
            "interests": forms.Textarea(attrs={"rows": 3}),
            "character_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        label_unknown_colour(self)
        basis = self.fields["legal_basis"]
        basis.required = True
        basis.choices = [c for c in basis.choices if c[0]]  # no empty radio button
        basis.error_messages["required"] = _(
            "Record the legal basis for holding this contact's profile before saving "
            "colours or motives."
        )


class MotiveScoresForm(forms.Form):
    """One optional score per life motive, -2.0 to +2.0 in steps of 0.1.

    In the language of the page both ways: "1,5" is read and "2,0" shown in German.
    """

    def __init__(
        self, *args: Any, motives: list[Motive], initial_scores: dict[int, Decimal], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.motives = motives
        for motive in motives:
            # Typed as the page's language writes numbers ("1,5" in German), and
            # the bounds in the error message too ("2,0"): core.localized_numbers.
            self.fields[self.field_name(motive)] = LocalizedDecimalField(
                label=motive.name,
                required=False,
                min_value=MOTIVE_MIN,
                max_value=MOTIVE_MAX,
                # No max_digits: the bounds already cap the size, and "1,25" should
                # hear "one decimal place", not "no more than 2 digits in total".
                decimal_places=1,
                initial=initial_scores.get(motive.pk),
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
