from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kamteam.i18n import pick
from profiles.colours import Colour

MANAGERS_GROUP = "Managers"


class User(AbstractUser):
    """A colleague at our company who can log in.

    Custom from the first migration so that later issues (profiles, calendar
    tokens) can add fields without a painful user-model swap.
    """

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_manager(self) -> bool:
        """Managers review every account read-only; staff count as managers.

        Cached per instance: templates ask this several times a page.
        """
        cached = self.__dict__.get("_is_manager")
        if cached is None:
            cached = self.is_active and (
                self.is_staff or self.groups.filter(name=MANAGERS_GROUP).exists()
            )
            self.__dict__["_is_manager"] = cached
        return cached


MOTIVE_MIN = Decimal("-2.0")
MOTIVE_MAX = Decimal("2.0")
# Reiss's bands: below -0.8 low, above +0.8 high, in between average.
BAND_LIMIT = Decimal("0.8")


class Motive(models.Model):
    """One of Steven Reiss's 16 life motives, seeded by a data migration."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), unique=True)
    name_en = models.CharField(_("name (English)"), max_length=60)
    name_de = models.CharField(_("name (German)"), max_length=60)
    low_en = models.CharField(_("low pole (English)"), max_length=200)
    low_de = models.CharField(_("low pole (German)"), max_length=200)
    high_en = models.CharField(_("high pole (English)"), max_length=200)
    high_de = models.CharField(_("high pole (German)"), max_length=200)

    class Meta:
        verbose_name = _("life motive")
        verbose_name_plural = _("life motives")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_en, self.name_de)

    @property
    def low(self) -> str:
        return pick(self.low_en, self.low_de)

    @property
    def high(self) -> str:
        return pick(self.high_en, self.high_de)


class Profile(models.Model):
    """What we know about a person's personality: a colleague or a customer contact.

    Personal data: who may see it is decided in profiles/access.py only.
    """

    user = models.OneToOneField(
        User,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="profile",
        verbose_name=_("colleague"),
    )
    contact = models.OneToOneField(
        "accounts.CustomerContact",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="profile",
        verbose_name=_("customer contact"),
    )
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=10,
        choices=Colour,
        blank=True,
        help_text=_("The most pronounced colour; leave empty if unknown."),
    )
    secondary_colour = models.CharField(
        _("secondary colour"),
        max_length=10,
        choices=Colour,
        blank=True,
        help_text=_("Most people have a second pronounced colour."),
    )
    goals = models.TextField(
        _("goals (Zielvereinbarungen)"),
        blank=True,
        max_length=4000,
        help_text=_("Their objectives for this year."),
    )
    bonus = models.TextField(
        _("what their bonus depends on"),
        blank=True,
        max_length=4000,
    )
    interests = models.TextField(_("interests"), blank=True, max_length=4000)
    character_notes = models.TextField(_("character notes"), blank=True, max_length=4000)
    share_with_team = models.BooleanField(
        _("share my colours and motives with my teams"),
        default=False,
        help_text=_(
            "Members of your account teams then see your colours and motive "
            "profile. Goals, bonus and notes stay private."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(contact__isnull=True))
                | (Q(user__isnull=True) & Q(contact__isnull=False)),
                name="profile_of_exactly_one_person",
            ),
            models.CheckConstraint(
                condition=Q(secondary_colour="") | ~Q(secondary_colour=F("primary_colour")),
                name="profile_secondary_differs_from_primary",
            ),
            models.CheckConstraint(
                condition=Q(secondary_colour="") | ~Q(primary_colour=""),
                name="profile_secondary_needs_primary",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user or self.contact)

    @property
    def colours(self) -> list[str]:
        return [c for c in (self.primary_colour, self.secondary_colour) if c]

    def clean(self) -> None:
        if self.secondary_colour and not self.primary_colour:
            raise ValidationError(
                {"primary_colour": _("Choose the primary colour before a secondary one.")}
            )
        if self.secondary_colour and self.secondary_colour == self.primary_colour:
            raise ValidationError(
                {"secondary_colour": _("The secondary colour must differ from the primary.")}
            )


class MotiveScore(models.Model):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="scores")
    motive = models.ForeignKey(Motive, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(
        _("score"),
        max_digits=2,
        decimal_places=1,
        validators=[MinValueValidator(MOTIVE_MIN), MaxValueValidator(MOTIVE_MAX)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("motive score")
        verbose_name_plural = _("motive scores")
        ordering = ["motive__order"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "motive"], name="motivescore_unique"),
            models.CheckConstraint(
                condition=Q(score__gte=MOTIVE_MIN, score__lte=MOTIVE_MAX),
                name="motivescore_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.motive}: {self.score}"

    @property
    def band(self) -> str:
        if self.score < -BAND_LIMIT:
            return "low"
        if self.score > BAND_LIMIT:
            return "high"
        return "average"
