"""The sentence of each kind of notification, written in the reader's language.

Texts are made when they are read, from the kind and the stored names
(`params`), with gettext in the active language: a German reader reads
German, whoever caused the notification. A name that has a word in each
language (a team role, a health band) is stored as {"en": ..., "de": ...}
(`in_every_language`) and shown in the reader's.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.i18n import rendered_in_every_language
from notifications.kinds import Kind

# Shown for a name a stored notification lacks: never a bare "%(name)s".
MISSING = "…"


# {language: name}, for names that have a word in each language (core.i18n).
in_every_language = rendered_in_every_language


def _localized(value: Any) -> Any:
    """A name in the active language when it was stored in every language."""
    if not isinstance(value, dict):
        return value
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return value.get(language) or value.get(settings.LANGUAGE_CODE) or next(iter(value.values()))


def _date(value: Any) -> str:
    """An ISO date as the reader's language writes it."""
    try:
        return formats.date_format(datetime.date.fromisoformat(str(value)), "DATE_FORMAT")
    except ValueError:
        return MISSING


class _Names(dict):
    """The stored names, each in the reader's language; a missing one shows as "…"."""

    def __init__(self, params: dict[str, Any]) -> None:
        super().__init__({key: _localized(value) for key, value in params.items()})

    def __missing__(self, key: str) -> str:
        return MISSING


def _team(kind: str, p: _Names) -> str:
    if kind == Kind.ADDED_TO_TEAM:
        return _("You were added to the team of %(account)s as %(role)s.") % p
    if kind == Kind.REMOVED_FROM_TEAM:
        return _("You were taken off the team of %(account)s (%(role)s).") % p
    return _("You are now a lead of %(account)s (%(role)s): you can change everything in it.") % p


def _touchpoint(kind: str, p: _Names) -> str:
    if kind == Kind.TOUCHPOINT_ASSIGNED:
        return _("The touchpoint “%(title)s” with %(contact)s (%(account)s) is now yours.") % p
    if kind == Kind.TOUCHPOINT_REMINDER:
        p["date"] = _date(p["date"])
        return (
            _("Tomorrow, %(date)s: your touchpoint “%(title)s” with %(contact)s (%(account)s).") % p
        )
    if p.get("done"):
        return _("Your touchpoint “%(title)s” with %(contact)s (%(account)s) was marked done.") % p
    return _("Your touchpoint “%(title)s” with %(contact)s (%(account)s) was changed.") % p


def _raci(kind: str, p: _Names) -> str:
    if kind == Kind.MATRIX_AGREED:
        p["date"] = _date(p["date"])
        return _("The team agreed the RACI matrix of %(account)s on %(date)s.") % p
    if "template" in p:  # a template applied: one summary per person
        p["count"] = count = int(p.get("count") or 0)
        return (
            ngettext(
                "The template “%(template)s” was applied to the RACI matrix of %(account)s: "
                "it gives you %(count)d letter.",
                "The template “%(template)s” was applied to the RACI matrix of %(account)s: "
                "it gives you %(count)d letters.",
                count,
            )
            % p
        )
    if kind == Kind.RACI_LETTER_GIVEN:
        return (
            _("Your role %(role)s got the letter %(letter)s for “%(task)s” (RACI, %(account)s).")
            % p
        )
    if p.get("deleted"):
        return (
            _(
                "The task “%(task)s” was deleted from the RACI matrix of %(account)s; your role "
                "%(role)s held %(letter)s there."
            )
            % p
        )
    return (
        _("Your role %(role)s no longer holds %(letter)s for “%(task)s” (RACI, %(account)s).") % p
    )


def _plan(kind: str, p: _Names) -> str:
    if kind == Kind.PLAN_REVIEWED:
        return _("A manager reviewed the plan %(period)s of %(account)s.") % p
    return _("The health of %(account)s dropped from %(previous)s to %(band)s.") % p


def _news(kind: str, p: _Names) -> str:
    return _("News from %(account)s: “%(title)s”.") % p


def _comment(kind: str, p: _Names) -> str:
    if kind == Kind.MENTIONED:
        return _("%(author)s mentioned you on %(where)s (%(account)s): “%(excerpt)s”") % p
    return _("%(author)s answered on %(where)s (%(account)s): “%(excerpt)s”") % p


_TEXTS: dict[str, Callable[[str, _Names], str]] = {
    Kind.ADDED_TO_TEAM: _team,
    Kind.REMOVED_FROM_TEAM: _team,
    Kind.MADE_LEAD: _team,
    Kind.TOUCHPOINT_ASSIGNED: _touchpoint,
    Kind.TOUCHPOINT_CHANGED: _touchpoint,
    Kind.TOUCHPOINT_REMINDER: _touchpoint,
    Kind.RACI_LETTER_GIVEN: _raci,
    Kind.RACI_LETTER_TAKEN: _raci,
    Kind.MATRIX_AGREED: _raci,
    Kind.PLAN_REVIEWED: _plan,
    Kind.HEALTH_BAND_DROPPED: _plan,
    Kind.CUSTOMER_NEWS: _news,
    Kind.MENTIONED: _comment,
    Kind.REVIEW_ANSWERED: _comment,
}


def render_text(kind: str, params: dict[str, Any]) -> str:
    """The sentence of a notification of `kind` with `params`, in the active language."""
    write = _TEXTS.get(kind)
    if write is None:  # a kind that no longer exists: say what little we know
        return _("Something changed in %(account)s.") % _Names(params or {})
    return write(kind, _Names(params or {}))
