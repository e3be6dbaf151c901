"""RACI matrices per key account (the handbook's RASCI), and central templates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import AccountTeamMember, KeyAccount, TeamRole
from core.models import KeptHistoricalRecords, Versioned
from core.validators import SupportedDatesModel


class Letter(models.TextChoices):
    R = "R", _("Responsible")
    A = "A", _("Accountable (approves)")
    S = "S", _("Supporting")
    C = "C", _("Consulted")
    I = "I", _("Informed")  # noqa: E741


LETTER_ORDER = "RASCI"

# What each letter asks of the people who hold it, in plain words.
LETTER_MEANING = {
    "R": _("does the task"),
    "A": _("decides and authorises; exactly one per task"),
    "S": _("helps to get it done"),
    "C": _("must be asked before a decision"),
    "I": _("must hear about the result"),
}
LETTER_ASK = {
    "R": _("You do this task."),
    "A": _("You decide and sign off on this task."),
    "S": _("You help to get this task done."),
    "C": _("You must be asked before a decision on this task."),
    "I": _("You must be told the result of this task."),
}
_LETTERS = Q(letter__in=list(LETTER_ORDER))


class RaciTaskQuerySet(models.QuerySet["RaciTask"]):
    def complete(self) -> RaciTaskQuerySet:
        """Tasks with an A and an R that somebody holds: the rule the portfolio counts by.

        The A and at least one R must sit with a role that an active member of
        the task's account holds: a letter on a role nobody holds is nobody's
        job. At most one A per task is a database constraint, so "has an A" is
        "exactly one A". raci.checks.task_gaps says the same of loaded letters
        (the matrix page and "My roles"), with a message per gap.
        """
        held = AccountTeamMember.objects.active().filter(
            account=models.OuterRef(models.OuterRef("account")), role=models.OuterRef("role")
        )
        letters = RaciAssignment.objects.filter(models.Exists(held), task=models.OuterRef("pk"))
        return self.filter(
            models.Exists(letters.filter(letter=Letter.A)),
            models.Exists(letters.filter(letter=Letter.R)),
        )


class RaciTask(Versioned):
    account = models.ForeignKey(
        KeyAccount, on_delete=models.PROTECT, related_name="raci_tasks", verbose_name=_("account")
    )
    name = models.CharField(_("task"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = RaciTaskQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("RACI task")
        verbose_name_plural = _("RACI tasks")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                "account", Lower("name"), name="racitask_unique_name_per_account"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RaciAssignment(models.Model):
    """One letter held by one team role on one task."""

    task = models.ForeignKey(
        RaciTask, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("RACI task")
    )
    role = models.ForeignKey(
        TeamRole, on_delete=models.PROTECT, related_name="+", verbose_name=_("team role")
    )
    letter = models.CharField(_("letter"), max_length=1, choices=Letter)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("RACI letter")
        verbose_name_plural = _("RACI letters")
        constraints = [
            models.UniqueConstraint(fields=["task", "role", "letter"], name="raci_unique_letter"),
            # Exactly one A per task: two simultaneous requests cannot both win.
            models.UniqueConstraint(
                fields=["task"], condition=Q(letter="A"), name="raci_one_accountable_per_task"
            ),
            models.CheckConstraint(condition=_LETTERS, name="raci_letter_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.task}: {self.role} {self.letter}"


class RaciMatrix(SupportedDatesModel, Versioned):
    """The matrix's status: a draft until the team agreed it in a session."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        AGREED = "agreed", _("agreed")

    account = models.OneToOneField(KeyAccount, on_delete=models.PROTECT, related_name="raci_matrix")
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    agreed_on = models.DateField(_("agreed in the team session on"), null=True, blank=True)
    participants = models.ManyToManyField(
        AccountTeamMember, blank=True, related_name="+", verbose_name=_("participants")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = KeptHistoricalRecords(m2m_fields=[participants])

    class Meta:
        verbose_name = _("RACI matrix")
        verbose_name_plural = _("RACI matrices")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(agreed_on__isnull=False),
                name="racimatrix_agreed_needs_date",
            ),
        ]

    def __str__(self) -> str:
        return str(self.account)


class RaciTemplate(Versioned):
    """Company-wide rules, set once centrally (the handbook's alternative)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("RACI template")
        verbose_name_plural = _("RACI templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RaciTemplateTask(models.Model):
    template = models.ForeignKey(RaciTemplate, on_delete=models.CASCADE, related_name="tasks")
    name = models.CharField(_("task"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("template task")
        verbose_name_plural = _("template tasks")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint("template", Lower("name"), name="templatetask_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class RaciTemplateAssignment(models.Model):
    task = models.ForeignKey(RaciTemplateTask, on_delete=models.CASCADE, related_name="assignments")
    role = models.ForeignKey(
        TeamRole, on_delete=models.PROTECT, related_name="+", verbose_name=_("team role")
    )
    letter = models.CharField(_("letter"), max_length=1, choices=Letter)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["task", "role", "letter"], name="templateraci_unique_letter"
            ),
            models.UniqueConstraint(
                fields=["task"], condition=Q(letter="A"), name="templateraci_one_accountable"
            ),
            models.CheckConstraint(condition=_LETTERS, name="templateraci_letter_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.task}: {self.role} {self.letter}"
