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
from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext, npgettext
from jinja2 import Environment

# The texts and dates remembered per language live in core.i18n, for Python
# writers of hot rows too (touchpoints.cells); `date` is this environment's filter.
from core.i18n import date, memo_gettext, memo_pgettext
from core.templatetags.kam import id_url_parts, money, percent

__all__ = ["date", "environment", "id_url", "slug_url", "url"]


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


def environment(**options: Any) -> Environment:
    env = Environment(**options)
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        memo_gettext, ngettext, newstyle=False, pgettext=memo_pgettext, npgettext=npgettext
    )
    env.globals.update(url=url, slug_url=slug_url, id_url=id_url)
    env.filters.update(date=date, money=money, percent=percent)
    return env
