"""Key accounts, the roles on an account team, and the team's members."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.collation import NameField, by_name
from core.i18n import country_name, pick
from core.models import Versioned

if TYPE_CHECKING:
    from users.models import User


class TeamRole(models.Model):
    """A role on an account team (GKAM, NKAM, inside sales, ...), managed by staff."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=80, unique=True)
    name_de = models.CharField(_("name (German)"), max_length=80, unique=True)
    description_en = models.CharField(_("description (English)"), max_length=200, blank=True)
    description_de = models.CharField(_("description (German)"), max_length=200, blank=True)
    is_national = models.BooleanField(
        _("national role"),
        default=False,
        help_text=_("Holders serve one country or region, which is then required."),
    )
    grants_lead = models.BooleanField(
        _("leads the account"),
        default=False,
        help_text=_("Holders of this role are leads of the account and may edit it."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("team role")
        verbose_name_plural = _("team roles")
        ordering = ["order", "name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_en, self.name_de)

    @property
    def description(self) -> str:
        return pick(self.description_en, self.description_de)


class KeyAccountQuerySet(models.QuerySet["KeyAccount"]):
    def active(self) -> KeyAccountQuerySet:
        return self.filter(status=KeyAccount.Status.ACTIVE)

    def search(self, text: str) -> KeyAccountQuerySet:
        """Accounts whose name or industry contains `text`; all of them for ''."""
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(industry__icontains=text))

    def visible_to(self, user: User) -> KeyAccountQuerySet:
        """Accounts the user may open: all for managers, else their own."""
        if not user.is_authenticated:
            return self.none()
        if user.is_manager:
            return self.all()
        return self.filter(
            Exists(AccountTeamMember.objects.active().filter(account=OuterRef("pk"), user=user))
        )


class KeyAccount(Versioned):
    class Classification(models.TextChoices):
        A = "A", _("A: strategic")
        B = "B", _("B: important")
        C = "C", _("C: developing")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        ARCHIVED = "archived", _("archived")

    # In a reader's order, "Österreich" beside "Oslo" (core.collation), in every list.
    name = NameField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short name for links"),
        max_length=80,
        unique=True,
        help_text=_("Lower-case letters, digits and hyphens; used in the account's address."),
    )
    industry = models.CharField(_("industry"), max_length=120, blank=True)
    hq_country = CountryField(_("headquarters country"))
    classification = models.CharField(
        _("classification"), max_length=1, choices=Classification, default=Classification.B
    )
    attractiveness = models.PositiveSmallIntegerField(
        _("customer attractiveness"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (low) to 5 (high): how attractive this customer is for us."),
    )
    relative_position = models.PositiveSmallIntegerField(
        _("our relative position"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (weak) to 5 (strong): our position against competitors at this customer."),
    )
    # Kapta's "freshness": decision makers and influencers not met for longer are flagged
    # on the overview and in the portfolio (activities.selectors.stale_key_players).
    freshness_days = models.PositiveSmallIntegerField(
        _("key players' freshness (days)"),
        default=90,
        validators=[MinValueValidator(7), MaxValueValidator(730)],
        help_text=_(
            "Deciders, approvers and influencers not contacted for more days than this are "
            "flagged on the overview and in the portfolio."
        ),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTIVE)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = KeyAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("key account")
        verbose_name_plural = _("key accounts")
        ordering = by_name("name")
        constraints = [
            models.CheckConstraint(
                condition=Q(attractiveness__gte=1, attractiveness__lte=5),
                name="keyaccount_attractiveness_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(relative_position__gte=1, relative_position__lte=5),
                name="keyaccount_relative_position_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "archived"]), name="keyaccount_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(freshness_days__gte=7, freshness_days__lte=730),
                name="keyaccount_freshness_7_to_730",
            ),
        ]
        indexes = [
            # The portfolio's first page in its default order, and its headquarters'
            # countries one index probe each, at any number of accounts.
            models.Index(
                fields=["status", "classification", "name"], name="keyaccount_portfolio_order"
            ),
            models.Index(fields=["status", "hq_country"], name="keyaccount_status_country"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:detail", args=[self.slug])

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


# Who leads an account: a member flagged as lead, or one whose role grants it
# (the KAM). The one rule, in its SQL form; AccountTeamMember.is_account_lead
# is the same rule for a loaded row. AccountAccess.is_lead builds on that.
IS_LEAD = Q(is_lead=True) | Q(role__grants_lead=True)


class AccountTeamMemberQuerySet(models.QuerySet["AccountTeamMember"]):
    def active(self) -> AccountTeamMemberQuerySet:
        return self.filter(archived_at__isnull=True)

    def leads(self) -> AccountTeamMemberQuerySet:
        return self.active().filter(IS_LEAD)


class AccountTeamMember(Versioned):
    """One person in one role on one account's team."""

    class Team(models.TextChoices):
        CORE = "core", _("core team")
        EXTENDED = "extended", _("extended team")

    account = models.ForeignKey(
        KeyAccount, on_delete=models.PROTECT, related_name="team_members", verbose_name=_("account")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="team_memberships",
        verbose_name=_("person"),
    )
    role = models.ForeignKey(
        TeamRole, on_delete=models.PROTECT, related_name="members", verbose_name=_("team role")
    )
    team = models.CharField(_("team"), max_length=10, choices=Team, default=Team.CORE)
    country = CountryField(
        _("country or region"), blank=True, help_text=_("Required for national roles such as NKAM.")
    )
    is_lead = models.BooleanField(
        _("lead"),
        default=False,
        help_text=_("Leads edit everything in this account. GKAM and NKAMs always lead."),
    )
    responsibilities = models.TextField(_("responsibilities"), blank=True)
    created_at = models.DateTimeField(_("on the team since"), auto_now_add=True)
    archived_at = models.DateTimeField(_("left the team at"), null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = AccountTeamMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["role__order", *by_name("user__last_name", "user__first_name")]
        constraints = [
            # One person holds a role (in a country) once per account; former
            # members are kept for the record and may rejoin.
            models.UniqueConstraint(
                fields=["account", "user", "role", "country"],
                condition=Q(archived_at__isnull=True),
                name="teammember_unique_active_role",
            ),
            models.CheckConstraint(
                condition=Q(team__in=["core", "extended"]), name="teammember_team_valid"
            ),
        ]
        indexes = [
            # visible_to(): "is this user an active member of this account?"
            models.Index(fields=["user", "account"], name="teammember_user_account"),
            # The countries national members serve, one index probe each
            # (portfolio.selectors.country_choices).
            models.Index(
                fields=["country"],
                condition=Q(archived_at__isnull=True) & ~Q(country=""),
                name="teammember_active_country",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role_label})"

    @property
    def is_active(self) -> bool:
        return self.archived_at is None

    @property
    def is_account_lead(self) -> bool:
        """IS_LEAD for this row."""
        return self.is_lead or self.role.grants_lead

    @property
    def role_label(self) -> str:
        """Role with its country, e.g. 'NKAM Germany'."""
        if self.country:
            return f"{self.role.name} {country_name(self.country.code)}"
        return self.role.name

    def clean(self) -> None:
        if self.role_id and self.role.is_national and not self.country:
            raise ValidationError(
                {
                    "country": _("%(role)s is a national role: choose the country it serves.")
                    % {"role": self.role.name}
                }
            )
