from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.collation import by_name
from core.i18n import pick
from core.models import Versioned
from core.validators import SupportedDatesModel
from profiles.colours import Colour
from users.models import User

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


class Profile(SupportedDatesModel, Versioned):
    """What we know about a person's personality: a colleague or a customer contact.

    Versioned: a contact's profile is edited by every lead of the account, so a
    save from an older form is refused rather than overwriting silently.

    Personal data: who may see it is decided in profiles/access.py only.
    """

    class LegalBasis(models.TextChoices):
        LEGITIMATE_INTEREST = "legitimate_interest", _("legitimate interest")
        CONSENT = "consent", _("consent")

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
        _("share my colours with my teams"),
        default=False,
        help_text=_(
            "Everyone on your account teams then sees your colour type. Motives, goals, "
            "bonus and notes stay private unless you share them with a team below."
        ),
    )
    # Customer contacts never agreed to being profiled: their profile records
    # why we may hold it (GDPR Art. 6). Colleague profiles leave these empty.
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis, blank=True)
    legal_basis_note = models.TextField(
        _("note on the legal basis"),
        blank=True,
        max_length=2000,
        help_text=_(
            "For legitimate interest: what our interest is and why it outweighs "
            "theirs (required). For consent: how it was given."
        ),
    )
    consent_date = models.DateField(_("consent given on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            # Blank is allowed for rows written by scripts; the contact profile
            # form always asks for a basis before it saves colours or motives.
            models.CheckConstraint(
                condition=Q(legal_basis="", consent_date__isnull=True)
                | (
                    Q(legal_basis="legitimate_interest", consent_date__isnull=True)
                    & ~Q(legal_basis_note="")
                )
                | Q(legal_basis="consent", consent_date__isnull=False),
                name="profile_legal_basis_complete",
            ),
            models.CheckConstraint(
                condition=Q(contact__isnull=False)
                | Q(legal_basis="", legal_basis_note="", consent_date__isnull=True),
                name="profile_legal_basis_contacts_only",
            ),
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
        errors = self._legal_basis_errors()
        if self.secondary_colour and not self.primary_colour:
            errors["primary_colour"] = _("Choose the primary colour before a secondary one.")
        elif self.secondary_colour and self.secondary_colour == self.primary_colour:
            errors["secondary_colour"] = _("The secondary colour must differ from the primary.")
        if errors:
            raise ValidationError(errors)

    def _legal_basis_errors(self) -> dict[str, str]:
        """The friendly side of the legal-basis constraints (see Meta)."""
        if self.contact_id is None and (self.legal_basis or self.legal_basis_note):
            return {"legal_basis": _("Only a customer contact's profile records a legal basis.")}
        if self.legal_basis != self.LegalBasis.CONSENT:
            self.consent_date = None  # a date of consent means nothing without consent
        if self.legal_basis == self.LegalBasis.LEGITIMATE_INTEREST and not (
            self.legal_basis_note.strip()
        ):
            return {
                "legal_basis_note": _(
                    "Describe our legitimate interest: what it is and why it outweighs "
                    "the contact's own interests."
                )
            }
        if self.legal_basis == self.LegalBasis.CONSENT:
            if self.consent_date is None:
                return {"consent_date": _("Enter the date the contact gave their consent.")}
            if self.consent_date > timezone.localdate():
                return {"consent_date": _("The date of consent cannot lie in the future.")}
        return {}


class MotiveScore(models.Model):
    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="scores", verbose_name=_("profile")
    )
    motive = models.ForeignKey(
        Motive, on_delete=models.PROTECT, related_name="+", verbose_name=_("life motive")
    )
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


class ProfilePart(models.TextChoices):
    """The groups of a colleague's profile that are shown, or kept back, together."""

    COLOURS = "colours", _("colour type")
    MOTIVES = "motives", _("life motives")
    GOALS = "goals", _("goals and bonus")
    NOTES = "notes", _("interests and character notes")


class ShareAudience(models.TextChoices):
    LEADS = "leads", _("the account's leads")
    TEAM = "team", _("the whole account team")


class ProfileShare(models.Model):
    """A person's own decision to show one private part of their profile to one team.

    Only the person creates, changes or revokes these (profiles.views.my_sharing):
    nobody can widen their access to someone else's profile by an action of
    their own. A grant works only while the person is an active member of
    that account's team, and is dropped when they leave it.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="profile_shares", verbose_name=_("person")
    )
    account = models.ForeignKey(
        "accounts.KeyAccount",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("key account"),
    )
    part = models.CharField(_("part of the profile"), max_length=10, choices=ProfilePart)
    audience = models.CharField(_("shared with"), max_length=10, choices=ShareAudience)
    created_at = models.DateTimeField(_("shared since"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("profile share")
        verbose_name_plural = _("profile shares")
        ordering = [*by_name("account__name"), "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "account", "part"], name="profileshare_one_per_part"
            ),
            # Colours are shared with all of one's teams at once (Profile.share_with_team).
            models.CheckConstraint(
                condition=Q(part__in=["motives", "goals", "notes"]),
                name="profileshare_private_parts_only",
            ),
            models.CheckConstraint(
                condition=Q(audience__in=["leads", "team"]), name="profileshare_audience_valid"
            ),
        ]

    def __str__(self) -> str:
        audience = self.get_audience_display()
        return f"{self.user}: {self.get_part_display()} → {self.account} ({audience})"
