"""Helpers for content stored in both languages (catalogues seeded in EN and DE),
and texts and dates remembered per language for the hot rows of long tables."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date as datetime_date
from datetime import datetime
from functools import lru_cache
from typing import Any, TypeVar

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import date as django_date
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext, pgettext
from django_countries import countries

T = TypeVar("T")


def pick(english: str, german: str) -> str:
    """The German text when the request is in German and one exists, else English."""
    if german and (get_language() or "").startswith("de"):
        return german
    return english


def rendered_in_every_language(make: Callable[[], object]) -> dict[str, str]:
    """{language code: str(make())} with each of settings.LANGUAGES active in turn."""
    names = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names[code] = str(make())
    return names


def country_name(code: str) -> str:
    """The name of the country `code` in the active language ("" for none).

    django_countries translates a name in some 45 µs; a portfolio page names
    dozens (its leads' countries, its country filter). The names depend on the
    language only: kept per language and code.
    """
    return _country_name(get_language() or settings.LANGUAGE_CODE, code) if code else ""


@lru_cache(maxsize=2048)
def _country_name(language: str, code: str) -> str:
    with translation.override(language):
        return str(countries.name(code))


class Labels:
    """Lazy labels as text, each translated once: a page's rows show the same few
    (a lazy label costs some 5 µs each time it is shown). For one request, in
    one language. Labels are known by their identity; each is held while its
    text is, so that no other object can take its id meanwhile."""

    def __init__(self) -> None:
        self._texts: dict[int, tuple[object, str]] = {}

    def __call__(self, label: object) -> str:
        known = self._texts.get(id(label))
        if known is None:
            known = self._texts[id(label)] = (label, str(label))
        return known[1]


# Django's named formats that show a date only, in every locale Django ships.
DATE_ONLY_FORMATS = frozenset(
    {"DATE_FORMAT", "SHORT_DATE_FORMAT", "MONTH_DAY_FORMAT", "YEAR_MONTH_FORMAT"}
)
# Texts already made, per language: a table shows the same few texts and dates in
# every row, and Django's gettext (some 5 µs) and date filter (some 35 µs) cost
# more than a look-up. Each memo is keyed by the language active at the call, so
# a miss runs Django's function in that very language.
MEMO_MAX = 4096


@lru_cache(maxsize=MEMO_MAX)
def _gettext_in(language: str | None, message: str) -> str:
    return gettext(message)


@lru_cache(maxsize=MEMO_MAX)
def _pgettext_in(language: str | None, context: str, message: str) -> str:
    return pgettext(context, message)


@lru_cache(maxsize=MEMO_MAX)
def _date_in(language: str | None, value: datetime_date, arg: str | None) -> str:
    return django_date(value, arg)


# The settings a remembered text depends on: Django resets its own translation
# and format caches for them (django.test.signals).
_TEXT_SETTINGS = frozenset(
    {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS", "FORMAT_MODULE_PATH"}
    | DATE_ONLY_FORMATS
)


# Other memos of texts per language (per_language), forgotten with these.
_MEMOS: list[Any] = [_gettext_in, _pgettext_in, _date_in]


def per_language(function: Callable[..., T]) -> Callable[..., T]:
    """`function(language, ...)` remembered (at most MEMO_MAX results), and
    forgotten with the texts above when a setting they depend on changes. Its
    first argument is the language it makes the text in: the caller's
    get_language()."""
    memo = lru_cache(maxsize=MEMO_MAX)(function)
    _MEMOS.append(memo)
    return memo


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting in _TEXT_SETTINGS:
        for memo in _MEMOS:
            memo.cache_clear()


def memo_gettext(message: str) -> str:
    return _gettext_in(get_language(), message)


def memo_pgettext(context: str, message: str) -> str:
    return _pgettext_in(get_language(), context, message)


def date(value: Any, arg: str | None = None) -> str:
    """Django's ``date`` filter; an aware datetime in the current time zone first,
    as Django's template engine converts it (``expects_localtime``).

    Dates are remembered per language; a datetime shown with a date-only named
    format is the local date it falls on.
    """
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        if arg not in DATE_ONLY_FORMATS:
            return django_date(value, arg)
        value = value.date()
    if not isinstance(value, datetime_date):
        return django_date(value, arg)
    return _date_in(get_language(), value, arg)
