"""Helpers for content stored in both languages (catalogues seeded in EN and DE)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language
from django_countries import countries


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
