"""Activities: what happened with the customer's people, planned or not.

The handbook's information manager keeps track of every call, visit, e-mail
and meeting with the customer, and of the colleagues who came along (take
inside sales along to a visit). A planned touchpoint that is done *is* an
activity: its row here is kept in step with the touchpoint (activities.sync),
so nobody types it twice and the timeline and "last contact" see it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import CustomerContact, KeyAccount
from core.models import KeptHistoricalRecords, Versioned
from core.validators import SupportedDatesModel
from touchpoints.models import Touchpoint


class ActivityKind(models.TextChoices):
    CALL = "call", _("call")
    VISIT = "visit", _("visit")
    EMAIL = "email", _("e-mail")
    MEETING = "meeting", _("meeting")
    EVENT = "event", _("event")
    OTHER = "other", _("other")


# A done touchpoint's kind as an activity (touchpoints have content and gifts, which
# reach the contact without a conversation: "other").
KIND_OF_TOUCHPOINT = {
    Touchpoint.Kind.CALL: ActivityKind.CALL,
    Touchpoint.Kind.MEETING: ActivityKind.MEETING,
    Touchpoint.Kind.EVENT: ActivityKind.EVENT,
}

# Buying-centre roles whose people need regular contact: the deciders and those who
# sway them (DOMAIN: "key players and freshness").
KEY_PLAYER_ROLES = ("decider", "approver", "influencer")
FRESHNESS_DEFAULT_DAYS = 90


class Activity(SupportedDatesModel, Versioned):
    account = models.ForeignKey(
        KeyAccount, on_delete=models.PROTECT, related_name="activities", verbose_name=_("account")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ActivityKind, default="call")
    happened_on = models.DateField(_("date"))
    subject = models.CharField(_("subject"), max_length=200)
    note = models.TextField(_("note"), max_length=4000, blank=True)
    contacts = models.ManyToManyField(
        CustomerContact, related_name="activities", verbose_name=_("contacts met")
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="activities",
        verbose_name=_("from our side"),
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="activities_logged",
        verbose_name=_("logged by"),
    )
    # Set for a done touchpoint's activity: it is changed through the touchpoint only.
    touchpoint = models.OneToOneField(
        Touchpoint,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activity",
        verbose_name=_("touchpoint"),
    )
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = KeptHistoricalRecords(m2m_fields=[contacts, participants])

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-happened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in ActivityKind]), name="activity_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["account", "-happened_on"], name="activity_account_newest"),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return f"{reverse('activities:list', args=[self.account.slug])}#activity-{self.pk}"
