"""Helpers for content stored in both languages (catalogues seeded in EN and DE)."""

from __future__ import annotations

from django.utils.translation import get_language


def pick(english: str, german: str) -> str:
    """The German text when the request is in German and one exists, else English."""
    if german and (get_language() or "").startswith("de"):
        return german
    return english
