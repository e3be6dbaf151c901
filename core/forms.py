"""Form building blocks: versioned edit forms, date inputs, bounded numbers, safe id lists."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from core.concurrency import CONFLICT_CODE, CONFLICT_MESSAGE, save_versioned
from core.validators import YEAR_MAX, YEAR_MIN


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # The browser's date picker offers only the years the models accept
        # (core.validators.SupportedDatesModel), which check them again.
        bounds = {"min": f"{YEAR_MIN}-01-01", "max": f"{YEAR_MAX}-12-31"}
        # ISO format is what <input type="date"> reads, in every language.
        super().__init__(attrs={**bounds, **(attrs or {})}, format="%Y-%m-%d")


def bounded_formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """The model field's form field, refusing numbers outside the model's bounds.

    Django checks a model field's validators only after the form's clean(), so
    cross-field code saw end_year=10**30 and built a set of every year up to
    it. As the form field's min_value and max_value, the same bounds refuse the
    number at the field, before clean(). An integer field without validators
    is held to its column's range. Use it as Meta.formfield_callback.
    """
    if isinstance(db_field, models.IntegerField | models.DecimalField) and not db_field.choices:
        validators = db_field.validators
        lows = [v.limit_value for v in validators if isinstance(v, MinValueValidator)]
        highs = [v.limit_value for v in validators if isinstance(v, MaxValueValidator)]
        if lows:
            kwargs.setdefault("min_value", max(lows))
        if highs:
            kwargs.setdefault("max_value", min(highs))
    return db_field.formfield(**kwargs)


def normalise_newlines(text: str) -> str:
    """Line breaks as "\n" whatever the browser sent ("\r\n" from a textarea)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class NormalisedNewlinesMixin:
    """Reads every text field's line breaks as "\n", so an untouched form is unchanged.

    Browsers send a textarea's line breaks as "\r\n" (the HTML standard asks
    them to), while text saved by code, the demo or an import holds "\n". An
    untouched form then looked changed: has_changed() was true and the saved
    text differed from the stored one, so the history recorded a change of
    every multi-line field. The bound data is normalised once, before any
    field reads it, so cleaning, has_changed() and the saved values agree.
    """

    data: Any
    fields: dict[str, forms.Field]
    is_bound: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = self._normalised_data()

    def _normalised_data(self) -> Any:
        names = [
            self.add_prefix(name)  # type: ignore[attr-defined]
            for name, field in self.fields.items()
            if isinstance(field, forms.CharField)
        ]
        data = self.data.copy()  # a QueryDict copy is mutable; a dict copy too
        for name in names:
            if hasattr(data, "setlist") and name in data:
                values = data.getlist(name)
                data.setlist(
                    name, [normalise_newlines(v) if isinstance(v, str) else v for v in values]
                )
            elif isinstance(data.get(name), str):
                data[name] = normalise_newlines(data[name])
        return data


class VersionedForm(NormalisedNewlinesMixin, forms.ModelForm):
    """Carries the version the form was loaded at, for save_versioned()."""

    # The largest value of a PositiveIntegerField column on every backend.
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # Without the version it was loaded at, a save could overwrite someone
        # else's change unseen: refuse it rather than skip the check.
        if self.instance.pk and not data.get("version"):
            self.add_error(
                None,
                _(
                    "This form is missing its version, so a save could overwrite someone "
                    "else's changes. Reload the page and enter your changes again."
                ),
            )
        return data

    @property
    def expected_version(self) -> int:
        return self.cleaned_data["version"] if self.instance.pk else self.instance.version

    def add_conflict_error(self) -> None:
        self.add_error(None, ValidationError(CONFLICT_MESSAGE, code=CONFLICT_CODE))

    def save_checked(self) -> Any:
        """Save a new row plainly, an edited one only if nobody saved it since it was
        loaded (else VersionConflict); many-to-many fields with it.

        An edit form sent back untouched (its version included) writes
        nothing: no new version, no entry in the history.
        """
        instance = self.save(commit=False)
        if not instance._state.adding and not self.has_changed():
            return instance
        # savepoint=False: the row and its links are one change; an error
        # undoes the caller's transaction with it (save_or_form_error opens it).
        with transaction.atomic(savepoint=False):
            if instance._state.adding:
                instance.save()
                self._save_m2m_of_new_row()
            else:
                save_versioned(instance, expected_version=self.expected_version)
                self.save_m2m()
        return instance

    def _save_m2m_of_new_row(self) -> None:
        """save_m2m() without the empty choices: a row inserted just now has no
        links to remove, and Django's set() would read them first."""
        empty = {
            f.name: self.cleaned_data.pop(f.name)
            for f in self.instance._meta.many_to_many
            if f.name in self.cleaned_data and not self.cleaned_data[f.name]
        }
        try:
            self.save_m2m()
        finally:
            self.cleaned_data.update(empty)


class HeldChoiceField(forms.ModelChoiceField):
    """A choice whose object the request may hold already (`held`: {pk: instance}).

    A posted id found there is that instance, without the query Django makes
    to find it; any other id is looked up in the queryset as always. Each held
    instance must be one the queryset returns (the view's own reading of the
    same rule, e.g. the viewer's active seats on the account for its seats).
    """

    held: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.held = {}

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values:
            found = self.held.get(str(value).strip())
            if found is not None:
                return found
        return super().to_python(value)


class ModelMultipleIdsField(forms.ModelMultipleChoiceField):
    """Refuses ids no integer column can hold before they reach the database.

    Django checks each id with an exact lookup, which copes with any size, and
    then fetches them all with `pk__in`, which SQLite cannot bind beyond 64 bits
    (OverflowError, a server error). Found by tests/test_fuzz.py.
    """

    def _check_values(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else []:
            try:
                too_big = not -(2**63) <= int(str(pk).strip()) < 2**63
            except ValueError:
                continue  # not a number: Django reports it as an invalid choice
            if too_big:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
