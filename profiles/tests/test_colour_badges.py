"""`{% colour_badges profile %}`: the colours as badges, remembered per pair and language."""

from __future__ import annotations

from django.utils import translation

from profiles.models import Profile
from profiles.templatetags.colour_badges import colour_badges

BADGE = '<span class="badge colour-badge '
SWATCH = '<span class="swatch" aria-hidden="true"></span>'


def test_no_profile_or_no_colour_shows_nothing() -> None:
    assert colour_badges(None) == ""
    assert colour_badges("") == ""  # a missing profile, as a template resolves it
    assert colour_badges(Profile(primary_colour="")) == ""


def test_the_badges_name_the_colours_in_the_active_language() -> None:
    profile = Profile(primary_colour="green", secondary_colour="red")
    with translation.override("en"):
        english = colour_badges(profile).replace("\n", "")  # each name's include ends a line
    with translation.override("de"):
        german = colour_badges(profile).replace("\n", "")
    with translation.override("en"):
        again = colour_badges(profile).replace("\n", "")
    assert (
        english
        == again
        == (
            '<span class="colour-badges">'
            f'{BADGE}colour-green" title="primary colour">{SWATCH}Green</span>'
            f'{BADGE}colour-red" title="secondary colour">{SWATCH}Red</span>'
            "</span>"
        )
    )
    assert f'colour-green" title="Primärfarbe">{SWATCH}Grün</span>' in german
    assert f'colour-red" title="Sekundärfarbe">{SWATCH}Rot</span>' in german
