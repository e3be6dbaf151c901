"""The KAM's coaching self-check and the appreciation log.

The handbook closes each success factor with questions a KAM asks
themselves ("When did you last thank your team members for their
support?"). A self-check is one dated set of answers; earlier checks are
kept, so a lead sees how their answers changed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import AccountTeamMember, KeyAccount
from core.i18n import pick
from core.validators import SupportedDatesModel

# A reminder shows on the workspace when a team member was last thanked longer ago.
APPRECIATION_REMINDER_DAYS = 90


class CoachingQuestion(models.Model):
    """A question of the company-wide catalogue, kept by staff in the admin."""

    text_en = models.CharField(_("question (English)"), max_length=300, unique=True)
    text_de = models.CharField(_("question (German)"), max_length=300, unique=True)
    topic_en = models.CharField(_("success factor (English)"), max_length=100, blank=True)
    topic_de = models.CharField(_("success factor (German)"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(
        _("asked"),
        default=True,
        help_text=_("Questions no longer asked keep their earlier answers."),
    )

    class Meta:
        verbose_name = _("coaching question")
        verbose_name_plural = _("coaching questions")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return pick(self.text_en, self.text_de)

    @property
    def topic(self) -> str:
        return pick(self.topic_en, self.topic_de)


class CoachingCheck(SupportedDatesModel, models.Model):
    """One self-check of a lead for one account, on one day."""

    account = models.ForeignKey(
        KeyAccount,
        on_delete=models.PROTECT,
        related_name="coaching_checks",
        verbose_name=_("account"),
    )
    answered_on = models.DateField(_("answered on"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("answered by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("coaching self-check")
        verbose_name_plural = _("coaching self-checks")
        ordering = ["account", "-answered_on", "-pk"]
        indexes = [
            # coaching page: an account's checks, newest first
            models.Index(fields=["account", "-answered_on"], name="coachingcheck_account_date"),
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.answered_on}"

    def clean(self) -> None:
        if self.answered_on and self.answered_on > timezone.localdate():
            raise ValidationError({"answered_on": _("A self-check cannot be dated in the future.")})


class CoachingAnswer(models.Model):
    self_check = models.ForeignKey(
        CoachingCheck,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("self-check"),
    )
    question = models.ForeignKey(
        CoachingQuestion,
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("question"),
    )
    answer = models.TextField(_("answer"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("coaching answer")
        verbose_name_plural = _("coaching answers")
        ordering = ["self_check", "question__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["self_check", "question"], name="coachinganswer_unique"
            ),
            models.CheckConstraint(condition=~Q(answer=""), name="coachinganswer_not_empty"),
        ]

    def __str__(self) -> str:
        return self.answer[:60]


class Appreciation(SupportedDatesModel, models.Model):
    """A lead thanked a team member for their support."""

    account = models.ForeignKey(
        KeyAccount,
        on_delete=models.PROTECT,
        related_name="appreciations",
        verbose_name=_("account"),
    )
    member = models.ForeignKey(
        AccountTeamMember,
        on_delete=models.PROTECT,
        related_name="appreciations",
        verbose_name=_("team member"),
    )
    thanked_on = models.DateField(_("thanked on"))
    note = models.CharField(
        _("for what"),
        max_length=300,
        blank=True,
        help_text=_("What you thanked them for, e.g. the quick quote for the Suzhou line."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appreciation")
        verbose_name_plural = _("appreciations")
        ordering = ["-thanked_on", "-pk"]
        indexes = [
            # last thanks per member of an account (workspace reminder)
            models.Index(fields=["account", "member", "-thanked_on"], name="appreciation_last"),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.thanked_on}"

    def clean(self) -> None:
        if self.thanked_on and self.thanked_on > timezone.localdate():
            raise ValidationError({"thanked_on": _("Record a thank-you once it has happened.")})
        if self.member_id and self.account_id and self.member.account_id != self.account_id:
            raise ValidationError({"member": _("Choose a member of this account's team.")})
