"""Customer news: what a team member learnt from the customer, for the colleagues who need it.

The handbook's information manager brings information from the customer to
the right colleagues: an item is addressed to the whole team, the core team,
or chosen roles (say the NKAMs and inside sales), may name the customer
contacts it is about, and records who has read it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import CustomerContact, KeyAccount, TeamRole
from core.models import Versioned


class Audience(models.TextChoices):
    TEAM = "team", _("the whole team")
    CORE = "core", _("the core team")
    ROLES = "roles", _("chosen roles")


class NewsItem(Versioned):
    account = models.ForeignKey(
        KeyAccount, on_delete=models.PROTECT, related_name="news_items", verbose_name=_("account")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="news_written",
        verbose_name=_("author"),
    )
    title = models.CharField(_("headline"), max_length=200)
    body = models.TextField(_("what we learnt"), max_length=4000, blank=True)
    contacts = models.ManyToManyField(
        CustomerContact, blank=True, related_name="news_items", verbose_name=_("about contacts")
    )
    audience = models.CharField(_("for"), max_length=10, choices=Audience, default=Audience.TEAM)
    roles = models.ManyToManyField(
        TeamRole, blank=True, related_name="+", verbose_name=_("roles addressed")
    )
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__in=["team", "core", "roles"]), name="newsitem_audience_valid"
            ),
        ]
        indexes = [models.Index(fields=["account", "-created_at"], name="newsitem_account_new")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:detail", args=[self.account.slug, self.pk])


class NewsRead(models.Model):
    """One addressee has read one item (the author sees who)."""

    item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="news_read"
    )
    read_at = models.DateTimeField(_("read at"), auto_now_add=True)

    class Meta:
        verbose_name = _("news read")
        verbose_name_plural = _("news reads")
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="newsread_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.item}"
