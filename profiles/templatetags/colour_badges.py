"""`{% colour_badges profile %}`: a person's colours as badges (profiles/_colour_badges.html).

The badges show the one or two colours and nothing else of the profile, in
the page's language: each pair of colours is rendered once per language and
remembered (core.i18n.per_language). A RACI matrix shows them for every
holder and a touchpoint grid for every contact; through two nested includes
per badge they cost a tenth of a matrix's first render.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.i18n import per_language

register = template.Library()


@register.simple_tag
def colour_badges(profile: Any) -> SafeString:
    """The badges of `profile` (a Profile, or nothing: "" for none and for a
    profile without a colour)."""
    if not profile or not getattr(profile, "primary_colour", ""):
        return mark_safe("")
    return _badges(get_language(), tuple(profile.colours))


@per_language
def _badges(language: str | None, colours: tuple[str, ...]) -> SafeString:
    return mark_safe(render_to_string("profiles/_colour_badges.html", {"colours": colours}))
