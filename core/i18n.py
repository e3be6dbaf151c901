"""Helpers for content stored in both languages (catalogues seeded in EN and DE)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language


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
