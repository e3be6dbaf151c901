"""The kinds of notification and the ways of hearing about them, with their defaults."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What happened. The order is the order of the settings page."""

    ADDED_TO_TEAM = "added_to_team", _("I was added to an account team")
    REMOVED_FROM_TEAM = "removed_from_team", _("I was taken off an account team")
    MADE_LEAD = "made_lead", _("I was made a lead of an account")
    TOUCHPOINT_ASSIGNED = "touchpoint_assigned", _("A touchpoint was given to me")
    TOUCHPOINT_CHANGED = "touchpoint_changed", _("Someone else changed a touchpoint of mine")
    TOUCHPOINT_REMINDER = "touchpoint_reminder", _("A touchpoint of mine is due tomorrow")
    RACI_LETTER_GIVEN = "raci_letter_given", _("My role got a RACI letter")
    RACI_LETTER_TAKEN = "raci_letter_taken", _("My role lost a RACI letter")
    MATRIX_AGREED = "matrix_agreed", _("The RACI matrix of my team was agreed")
    PLAN_REVIEWED = "plan_reviewed", _("A manager reviewed a plan I lead")
    HEALTH_BAND_DROPPED = "health_band_dropped", _("An account I lead dropped a health band")
    CUSTOMER_NEWS = "customer_news", _("A colleague shared customer news with me")
    MENTIONED = "mentioned", _("Someone mentioned me in a comment")
    REVIEW_ANSWERED = "review_answered", _("Someone answered a plan review of mine")


class Channel(models.TextChoices):
    APP = "app", _("in the app only")
    EMAIL = "email", _("in the app and by e-mail at once")
    DIGEST = "digest", _("in the app and in the weekly digest")
    OFF = "off", _("off")


# Until a person chooses: what changes their work today comes by e-mail at
# once; what is good to know waits for the weekly digest.
DEFAULT_CHANNELS: dict[str, str] = {
    Kind.ADDED_TO_TEAM: Channel.EMAIL,
    Kind.REMOVED_FROM_TEAM: Channel.EMAIL,
    Kind.MADE_LEAD: Channel.EMAIL,
    Kind.TOUCHPOINT_ASSIGNED: Channel.EMAIL,
    Kind.TOUCHPOINT_CHANGED: Channel.DIGEST,
    Kind.TOUCHPOINT_REMINDER: Channel.EMAIL,
    Kind.RACI_LETTER_GIVEN: Channel.DIGEST,
    Kind.RACI_LETTER_TAKEN: Channel.DIGEST,
    Kind.MATRIX_AGREED: Channel.DIGEST,
    Kind.PLAN_REVIEWED: Channel.EMAIL,
    Kind.HEALTH_BAND_DROPPED: Channel.EMAIL,
    Kind.CUSTOMER_NEWS: Channel.DIGEST,
    Kind.MENTIONED: Channel.EMAIL,
    Kind.REVIEW_ANSWERED: Channel.EMAIL,
}


# The settings page, in groups, each kind explained in words.
GROUPS: list[tuple[str, list[Kind]]] = [
    (_("Your teams"), [Kind.ADDED_TO_TEAM, Kind.REMOVED_FROM_TEAM, Kind.MADE_LEAD]),
    (
        _("Touchpoints"),
        [Kind.TOUCHPOINT_ASSIGNED, Kind.TOUCHPOINT_CHANGED, Kind.TOUCHPOINT_REMINDER],
    ),
    (_("RACI matrices"), [Kind.RACI_LETTER_GIVEN, Kind.RACI_LETTER_TAKEN, Kind.MATRIX_AGREED]),
    (_("Plans and account health"), [Kind.PLAN_REVIEWED, Kind.HEALTH_BAND_DROPPED]),
    (_("Customer news"), [Kind.CUSTOMER_NEWS]),
    (_("Comments"), [Kind.MENTIONED, Kind.REVIEW_ANSWERED]),
]

EXPLANATIONS: dict[str, str] = {
    Kind.ADDED_TO_TEAM: _("A lead or a manager put you on a key account's team."),
    Kind.REMOVED_FROM_TEAM: _("A lead took you off a team; you no longer see that account."),
    Kind.MADE_LEAD: _("You may now change everything in the account, like its other leads."),
    Kind.TOUCHPOINT_ASSIGNED: _(
        "A colleague planned a touchpoint with a customer contact and made you its owner."
    ),
    Kind.TOUCHPOINT_CHANGED: _(
        "A colleague changed or marked done a touchpoint you own: its date, title or outcome."
    ),
    Kind.TOUCHPOINT_REMINDER: _("The day before a touchpoint with a date that you own."),
    Kind.RACI_LETTER_GIVEN: _(
        "A task in the RACI matrix now asks something of your team role: R, A, S, C or I."
    ),
    Kind.RACI_LETTER_TAKEN: _("A letter of your team role was taken away, or its task deleted."),
    Kind.MATRIX_AGREED: _("The team agreed its RACI matrix: who does what is settled."),
    Kind.PLAN_REVIEWED: _("A manager read a plan of an account you lead and left a comment."),
    Kind.HEALTH_BAND_DROPPED: _(
        "The health score of an account you lead fell into a worse band; managers hear of "
        "every account."
    ),
    Kind.CUSTOMER_NEWS: _(
        "A colleague posted news from the customer for your team, your part of it or your role."
    ),
    Kind.MENTIONED: _(
        "A colleague wrote @ and your user name in a comment on a plan, an objective, a "
        "potential, a RACI task or a plan review."
    ),
    Kind.REVIEW_ANSWERED: _("A lead or a colleague answered in the thread of a plan you reviewed."),
}
