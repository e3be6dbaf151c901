"""Reading query strings without trusting them: one parser for every filter.

A list page reads its filters through a `QueryReader`. A value that does not
fit (an unknown choice, a number that is not one, a year out of range) is
dropped and its parameter named in `ignored`; `say_ignored` tells the user in
one message, the same on every page, instead of the page failing or
silently showing something else.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

# Every number of this many digits fits a bigint id (PostgreSQL's and SQLite's).
ID_DIGITS = 18


def int_param(value: str | None, *, max_digits: int = 9) -> int | None:
    """A positive whole number written in ASCII digits, else None.

    str.isdigit() also accepts "²" or Arabic-Indic digits, which int() then
    refuses or reads unexpectedly; ids and years are plain ASCII.
    """
    if value and value.isascii() and value.isdecimal() and len(value) <= max_digits:
        return int(value)
    return None


class QueryReader:
    """Reads named values from a query string; what does not fit is noted in `ignored`."""

    def __init__(self, params: Mapping[str, str]) -> None:
        self.params = params
        self.ignored: list[str] = []

    def _raw(self, name: str) -> str:
        return self.params.get(name, "") or ""

    def _ignore(self, name: str) -> None:
        if name not in self.ignored:
            self.ignored.append(name)

    def text(self, name: str, *, max_length: int = 100) -> str:
        """Free text, trimmed and cut to `max_length`."""
        return self._raw(name).strip()[:max_length]

    def choice(self, name: str, choices: Collection[str], default: str = "") -> str:
        raw = self._raw(name)
        if raw in choices:
            return raw
        if raw:
            self._ignore(name)
        return default

    def integer(self, name: str, *, low: int | None = None, high: int | None = None) -> int | None:
        """A whole number within [low, high], else None (and noted when one was given)."""
        raw = self._raw(name)
        value = int_param(raw)
        if value is not None and (low is None or value >= low) and (high is None or value <= high):
            return value
        if raw:
            self._ignore(name)
        return None

    def ordering(self, name: str, fields: Collection[str], default: str) -> tuple[str, bool]:
        """A sort field and whether it runs descending ("-name"); `default` when unknown."""
        raw = self.params.get(name, default) or ""
        field = raw.removeprefix("-")
        if field in fields:
            return field, raw.startswith("-")
        self._ignore(name)
        return default.removeprefix("-"), default.startswith("-")

    def country(self, name: str) -> str:
        """A two-letter country code, upper-cased."""
        raw = self._raw(name).upper()
        if len(raw) == 2 and raw.isalpha() and raw.isascii():
            return raw
        if raw:
            self._ignore(name)
        return ""


def say_ignored(request: HttpRequest, ignored: list[str]) -> None:
    """One warning naming the parameters a page could not use."""
    if ignored:
        messages.warning(
            request,
            _("Some filter values were not understood and were ignored: %(names)s.")
            % {"names": ", ".join(ignored)},
        )
