"""The customer's people: contacts, their buying-centre roles and reporting lines."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from accounts.models.accounts import KeyAccount
from core.collation import by_name
from core.models import KeptHistoricalRecords, Versioned
from core.validators import PlainEmailModel


class BuyingRole(models.TextChoices):
    USER = "user", pgettext_lazy("buying-centre role", "user")
    INFLUENCER = "influencer", _("influencer")
    BUYER = "buyer", _("buyer")
    DECIDER = "decider", _("decider")
    GATEKEEPER = "gatekeeper", _("gatekeeper")
    INITIATOR = "initiator", _("initiator")
    APPROVER = "approver", _("approver")


class BuyingCentreRole(models.Model):
    """The buying-centre roles, a fixed catalogue seeded by a migration.

    A table (not a text list) so that "all deciders" is a plain join on every
    database, SQLite included.
    """

    code = models.CharField(_("code"), max_length=20, choices=BuyingRole, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("buying-centre role")
        verbose_name_plural = _("buying-centre roles")
        ordering = ["order"]

    def __str__(self) -> str:
        return str(self.get_code_display())


class CustomerContactQuerySet(models.QuerySet["CustomerContact"]):
    def active(self) -> CustomerContactQuerySet:
        return self.filter(archived_at__isnull=True)


class CustomerContact(PlainEmailModel, Versioned):
    """A person at the customer (Ansprechpartner beim Kunden)."""

    class Attitude(models.IntegerChoices):
        STRONG_OPPONENT = -3, _("strong opponent")
        OPPONENT = -2, _("opponent")
        SCEPTIC = -1, _("sceptic")
        NEUTRAL = 0, _("neutral")
        SYMPATHISER = 1, _("sympathiser")
        SUPPORTER = 2, _("supporter")
        STRONG_SUPPORTER = 3, _("strong supporter")

    account = models.ForeignKey(
        KeyAccount, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("account")
    )
    first_name = models.CharField(_("first name"), max_length=80, blank=True)
    last_name = models.CharField(_("last name"), max_length=80)
    # The contact's key in the company's CRM: an import matches on it, so a
    # corrected file updates the contact in place (imports.contacts).
    crm_id = models.CharField(
        _("CRM id"),
        max_length=64,
        blank=True,
        help_text=_("The contact's key in the CRM; imports match on it."),
    )
    position = models.CharField(_("position"), max_length=120, blank=True)
    department = models.CharField(_("department"), max_length=120, blank=True)
    country = CountryField(_("country"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    buying_roles = models.ManyToManyField(
        BuyingCentreRole, blank=True, related_name="contacts", verbose_name=_("buying-centre roles")
    )
    attitude = models.SmallIntegerField(
        _("attitude towards us"), choices=Attitude, default=Attitude.NEUTRAL
    )
    influence = models.PositiveSmallIntegerField(
        _("influence"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (little) to 5 (decisive)."),
    )
    reports_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="direct_reports",
        verbose_name=_("reports to"),
    )
    notes = models.TextField(_("notes"), blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = KeptHistoricalRecords(m2m_fields=[buying_roles])
    objects = CustomerContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer contact")
        verbose_name_plural = _("customer contacts")
        ordering = [*by_name("last_name", "first_name"), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attitude__gte=-3, attitude__lte=3), name="contact_attitude_range"
            ),
            models.CheckConstraint(
                condition=Q(influence__gte=1, influence__lte=5), name="contact_influence_1_to_5"
            ),
            models.CheckConstraint(
                condition=~Q(reports_to=F("pk")), name="contact_not_own_manager"
            ),
            models.UniqueConstraint(
                fields=["account", "crm_id"],
                condition=~Q(crm_id=""),
                name="contact_crm_id_unique_per_account",
                violation_error_message=_("Another contact of this account has this CRM id."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("accounts:contact_detail", args=[self.account.slug, self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_active(self) -> bool:
        return self.archived_at is None

    def clean(self) -> None:
        boss = self.reports_to
        if boss is None:
            return
        if boss.account_id != self.account_id:
            raise ValidationError({"reports_to": _("Choose a contact of the same account.")})
        # Walk up the chain: reporting to one's own report would make a loop.
        seen = {self.pk}
        while boss is not None:
            if boss.pk in seen:
                raise ValidationError(
                    {
                        "reports_to": _(
                            "%(name)s already reports to this contact, directly or "
                            "indirectly; that would make a loop."
                        )
                        % {"name": boss}
                    }
                )
            seen.add(boss.pk)
            boss = boss.reports_to
