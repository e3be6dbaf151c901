"""The Jinja2 environment for the few hot partials rendered with Jinja2.

Everything else is a Django template. Jinja2 renders a page of 25 portfolio
rows in about half the time Django's engine takes (README, "Libraries, and
why"), and the rows are what a manager waits for after every change. The partials
stay as close to Django's syntax and behaviour as the two engines allow:

- texts through Django's own gettext (the active language), in ``{% trans %}``
  blocks whose messages are the very ones Django's ``blocktranslate`` makes
  (``%(name)s`` placeholders), so both engines share one catalogue;
  ``manage.py makemessages`` reads the ``.jinja`` files too
  (core/management/commands/makemessages.py);
- autoescaping on, as in Django templates;
- the filters the partials use, with Django's meaning: ``date`` in the current
  time zone and language, ``money`` and ``percent`` as in the ``kam`` library;
- ``url(name, *args)`` for Django's ``{% url %}``; ``slug_url(name)`` and
  ``id_url(name, *head)`` for one view's address of every row (by an
  account's slug, or by a row's id after the other arguments), reversed once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date as datetime_date
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import date as django_date
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext, npgettext, pgettext
from jinja2 import Environment

from core.templatetags.kam import id_url_parts, money, percent


def url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


_SLUG = "kamteam-slug-placeholder"


def slug_url(name: str) -> Callable[[str], str]:
    """The address of the view `name` for any slug, reversed once for a whole table.

    ``slug_url('accounts:health')(a.slug)`` equals ``url('accounts:health',
    a.slug)``: a slug holds only letters, digits, "-" and "_", which need no
    quoting, so the one reversed address takes each slug in the placeholder's
    place (reverse costs some 10 µs a call, four times per row).
    """
    prefix, suffix = reverse(name, args=[_SLUG]).split(_SLUG)
    return lambda slug: f"{prefix}{slug}{suffix}"


def id_url(name: str, *head: Any) -> Callable[[int], str]:
    """The address of the view `name` for `head` and any row id, reversed once
    for a whole table: ``id_url('raci:task_edit', slug)(task.pk)`` equals
    ``url('raci:task_edit', slug, task.pk)`` (as ``{% row_url %}`` in Django's
    templates, core/templatetags/kam.py)."""
    parts = id_url_parts(name, *head)

    def address(pk: int) -> str:
        if parts is None or isinstance(pk, bool) or not isinstance(pk, int):
            return reverse(name, args=[*head, pk])
        return f"{parts[0]}/{pk}/{parts[1]}"

    return address


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


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting in _TEXT_SETTINGS:
        for memo in (_gettext_in, _pgettext_in, _date_in):
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


def environment(**options: Any) -> Environment:
    env = Environment(**options)
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        memo_gettext, ngettext, newstyle=False, pgettext=memo_pgettext, npgettext=npgettext
    )
    env.globals.update(url=url, slug_url=slug_url, id_url=id_url)
    env.filters.update(date=date, money=money, percent=percent)
    return env
