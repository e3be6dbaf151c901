"""The colour model (Farbenlehre): four types on two axes, and what follows.

Rot and Blau are fact-oriented, Grün and Orange people-oriented; Rot and
Orange are extroverted, Blau and Grün introverted. Two colours that share an
axis are neighbours; the two pairs that share none are opposites and tend to
clash: Rot with Grün, Orange with Blau.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Colour(models.TextChoices):
    RED = "red", _("Red")
    BLUE = "blue", _("Blue")
    GREEN = "green", _("Green")
    ORANGE = "orange", _("Orange")


# (fact-oriented, extroverted) per colour
_AXES = {
    Colour.RED: (True, True),
    Colour.BLUE: (True, False),
    Colour.GREEN: (False, False),
    Colour.ORANGE: (False, True),
}


class Fit(Enum):
    SAME = "same"
    NEIGHBOUR = "neighbour"
    OPPOSITE = "opposite"


def fit(a: str, b: str) -> Fit:
    """How two colours get on: the same, neighbours (one axis shared) or opposites."""
    if a == b:
        return Fit.SAME
    shared = sum(x == y for x, y in zip(_AXES[Colour(a)], _AXES[Colour(b)], strict=True))
    return Fit.NEIGHBOUR if shared else Fit.OPPOSITE


FIT_LABELS: dict[Fit, Promise] = {
    Fit.SAME: _("same colour: you speak their language"),
    Fit.NEIGHBOUR: _("neighbouring colour: a good fit"),
    Fit.OPPOSITE: _("opposite colour: may clash, adapt your style"),
}


@dataclass(frozen=True)
class Hints:
    summary: Promise
    approach: tuple[Promise, ...]
    avoid: tuple[Promise, ...]


HINTS: dict[str, Hints] = {
    Colour.RED: Hints(
        summary=_("Goal-driven, conscious of power, gets to the point (facts, extroverted)."),
        approach=(
            _("Be brief and come to the point."),
            _("Talk about results and benefits."),
            _("Offer options and let them decide and lead."),
        ),
        avoid=(
            _("Long introductions and small talk."),
            _("Details they did not ask for."),
            _("Taking the decision out of their hands."),
        ),
    ),
    Colour.BLUE: Hints(
        summary=_("Expert in their field, reliable, wants detail (facts, introverted)."),
        approach=(
            _("Give full detail, with facts and figures."),
            _("Put pros and cons in writing."),
            _("Give them time to think before they decide."),
        ),
        avoid=(
            _("Pressure to decide on the spot."),
            _("Vague claims and exaggeration."),
            _("Too much enthusiasm and too little substance."),
        ),
    ),
    Colour.GREEN: Hints(
        summary=_("Team player who values relationships and loyalty (people, introverted)."),
        approach=(
            _("Build trust first; keep a calm pace."),
            _("Take your time and keep in regular contact."),
            _("Show what a decision means for the people involved."),
        ),
        avoid=(
            _("Pressure and hard closing."),
            _("Sudden changes without explanation."),
            _("Conflict in front of others."),
        ),
    ),
    Colour.ORANGE: Hints(
        summary=_("Enthusiastic and sociable, wants recognition (people, extroverted)."),
        approach=(
            _("Bring enthusiasm and give them room to talk."),
            _("Show personal interest in them."),
            _("Recognise their ideas and successes."),
        ),
        avoid=(
            _("Dry detail and long documents."),
            _("Ignoring their ideas."),
            _("Cutting them short."),
        ),
    ),
}
