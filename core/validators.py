"""Validators shared by every app's forms and models."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Collection
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _

# RFC 5321 allows a quoted local part and characters such as ? & = % / in it.
# A mailto: link built from such an address can smuggle in headers
# ("?cc=...&subject=..."), and no colleague or customer really uses one, so
# only the plain characters of everyday addresses are accepted before the @.
PLAIN_LOCAL_PART = re.compile(r"[A-Za-z0-9._'+-]+")

PLAIN_EMAIL_MESSAGE = _(
    "Enter a plain email address such as name@example.com: before the @ only letters, "
    "digits and . _ + - ' are allowed (no quotes, no ? & = % /)."
)


def validate_plain_email(value: str) -> None:
    """Refuse what Django's email check lets through but a mailto: link should not."""
    if not value:
        return
    validate_email(value)
    local, _at, _domain = value.rpartition("@")
    if not PLAIN_LOCAL_PART.fullmatch(local):
        raise ValidationError(PLAIN_EMAIL_MESSAGE, code="plain_email")


class PlainEmailModel:
    """Model mixin: the fields in plain_email_fields must pass validate_plain_email.

    A validator on the model field would change its migration state; here the
    check runs where field validators run (full_clean, ModelForm), and like
    them it is skipped for a field the form already refused, so the message
    does not show twice at the field.
    """

    plain_email_fields: tuple[str, ...] = ("email",)

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        checks = {field: validate_plain_email for field in self.plain_email_fields}
        _clean_fields_and(self, super().clean_fields, exclude, checks)  # type: ignore[misc]


def _clean_fields_and(
    instance: models.Model,
    clean_fields: Callable[[Collection[str] | None], None],
    exclude: Collection[str] | None,
    checks: dict[str, Callable[[Any], None]],
) -> None:
    """Django's clean_fields, then each check of `checks` (field name: validator) on
    the fields not excluded and not refused already; all errors raised together."""
    errors: dict[str, list[ValidationError]] = {}
    try:
        clean_fields(exclude)
    except ValidationError as error:
        errors = error.error_dict
    for name, check in checks.items():
        if (exclude and name in exclude) or name in errors:
            continue
        try:
            check(getattr(instance, instance._meta.get_field(name).attname))
        except ValidationError as error:
            errors[name] = error.error_list
    if errors:
        raise ValidationError(errors)


# The years the app stores dates, plans, touchpoints and meetings in. A date in
# the year 1 or 9999 is a slip of the keyboard, and at the far ends a date plus
# a year overflows Python's date.
YEAR_MIN = 2000
YEAR_MAX = 2100


def validate_supported_date(day: datetime.date | None) -> None:
    """Refuse a date outside YEAR_MIN..YEAR_MAX, at the field."""
    if day is not None and not YEAR_MIN <= day.year <= YEAR_MAX:
        raise ValidationError(
            _("Choose a date between %(low)s and %(high)s.") % {"low": YEAR_MIN, "high": YEAR_MAX},
            code="unsupported_date",
        )


class SupportedDatesModel:
    """Model mixin: every date field of the model must pass validate_supported_date.

    It covers the model's date fields itself, so a date field added later is
    bounded too; as PlainEmailModel, it runs where field validators run and
    skips a field the form already refused.
    """

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        dates = {
            field.name: validate_supported_date
            for field in self._meta.concrete_fields  # type: ignore[attr-defined]
            if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)
        }
        _clean_fields_and(self, super().clean_fields, exclude, dates)  # type: ignore[misc, arg-type]
