"""Action plans: each objective of a key account plan breaks into actions.

Goal → objective → action, as the planning tools do it (Kapta's three levels):
an action has one owner from the account's team, a due date and a status,
and may name the customer contact it is about. The objective is one of the
global plan (`objective`) or of a country's national plan under it
(`national_objective`), never both.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import (
    AccountTeamMember,
    CustomerContact,
    KeyAccount,
    NationalObjective,
    PlanObjective,
)
from core.models import Versioned
from core.validators import SupportedDatesModel

DONE_DATE_MESSAGE = _("A done action has a done date; an open one has none.")


class PlanActionQuerySet(models.QuerySet["PlanAction"]):
    def not_done(self) -> PlanActionQuerySet:
        return self.exclude(status=PlanAction.Status.DONE)

    def overdue(self, today: datetime.date) -> PlanActionQuerySet:
        """PlanAction.is_overdue in SQL: not done, and its due date has passed."""
        return self.not_done().filter(due_date__lt=today)

    def owned_by(self, user: object) -> PlanActionQuerySet:
        """Actions whose owner's seat is the user's and still active, on active accounts."""
        return self.filter(
            owner__user=user,
            owner__archived_at__isnull=True,
            account__status=KeyAccount.Status.ACTIVE,
        )


class PlanActionManager(models.Manager.from_queryset(PlanActionQuerySet)):  # type: ignore[misc]
    """Every action comes with its owner's name and its contact.

    The plan pages prefetch `objectives__actions` by name (accounts cannot
    import this app); through this manager that is one query with the joins.
    """

    def get_queryset(self) -> PlanActionQuerySet:
        return super().get_queryset().select_related("owner__user", "contact")


class PlanAction(SupportedDatesModel, Versioned):
    """One step towards an objective: who does what by when."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")

    # The objective's account, kept on the row: the owner and the contact are
    # checked against it, and the home page and feeds filter by it.
    account = models.ForeignKey(
        KeyAccount, on_delete=models.PROTECT, related_name="plan_actions", verbose_name=_("account")
    )
    # Deleting an objective takes its actions with it, after a confirmation
    # that says how many (actions.services.objective_delete_notes).
    objective = models.ForeignKey(
        PlanObjective,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("objective"),
    )
    national_objective = models.ForeignKey(
        NationalObjective,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("national objective"),
    )
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        AccountTeamMember,
        on_delete=models.PROTECT,
        related_name="plan_actions",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    contact = models.ForeignKey(
        CustomerContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name=_("customer contact"),
    )
    note = models.TextField(_("note"), blank=True, max_length=4000)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = PlanActionManager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(objective__isnull=False, national_objective__isnull=True)
                | Q(objective__isnull=True, national_objective__isnull=False),
                name="planaction_one_objective",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_progress", "done"]),
                name="planaction_status_valid",
            ),
            models.CheckConstraint(
                condition=(Q(status="done") & Q(done_on__isnull=False))
                | (~Q(status="done") & Q(done_on__isnull=True)),
                name="planaction_done_date_with_done",
                violation_error_message=DONE_DATE_MESSAGE,
            ),
        ]
        indexes = [
            # Home and calendar feed: a person's open actions by due date.
            models.Index(fields=["owner", "status", "due_date"], name="planaction_owner_due"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def goal(self) -> PlanObjective | NationalObjective:
        """The objective the action serves, global or national."""
        return self.national_objective or self.objective  # type: ignore[return-value]

    @property
    def country(self) -> str:
        """The code of the national plan's country, "" for an action of the global plan."""
        if self.national_objective_id is None:
            return ""
        return str(self.national_objective.national_plan.country.code)

    def get_absolute_url(self) -> str:
        """The plan page (global or national), at the action's objective."""
        if self.national_objective_id is not None:
            plan = self.national_objective.national_plan.plan
        else:
            plan = self.objective.plan
        return self.url_in(plan.account.slug)

    def url_in(self, account_slug: str) -> str:
        """get_absolute_url from the account's slug and the ids the action's
        objective holds: no plan or account row needed (the home page's list)."""
        if self.national_objective_id is not None:
            national = self.national_objective.national_plan
            address = reverse(
                "accounts:national_plan",
                args=[account_slug, national.plan_id, national.country.code.lower()],
            )
            return f"{address}#nobjective-{self.national_objective_id}"
        address = reverse("accounts:plan_detail", args=[account_slug, self.objective.plan_id])
        return f"{address}#objective-{self.objective_id}"

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    def is_overdue_on(self, today: datetime.date) -> bool:
        return not self.is_done and self.due_date < today

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())

    def clean(self) -> None:
        errors = {}
        if (
            self.owner_id
            and self.account_id
            and (self.owner.account_id != self.account_id or not self.owner.is_active)
        ):
            errors["owner"] = _("The owner must be on this account's team.")
        if self.contact_id and self.account_id and self.contact.account_id != self.account_id:
            errors["contact"] = _("Choose a contact of this account.")
        if self.done_on and self.done_on > timezone.localdate():
            errors["done_on"] = _("The done date cannot be in the future.")
        if errors:
            raise ValidationError(errors)
