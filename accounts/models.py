"""Key accounts with their plans, account teams and customer contacts."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.fields import RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from kamteam.constraints import PostgresExclusionConstraint, YearRange
from kamteam.i18n import pick
from kamteam.validators import PlainEmailModel

if TYPE_CHECKING:
    from profiles.models import User

MONEY = {"max_digits": 14, "decimal_places": 2}
MAX_PLAN_YEARS = 10
# The years a plan, touchpoint or meeting may be in; forms refuse others at the field.
YEAR_MIN = 2000
YEAR_MAX = 2100


class Versioned(models.Model):
    """A row that is saved with an optimistic version check.

    See kamteam.concurrency.save_versioned: a save from a form that was
    loaded at an older version is refused instead of overwriting the newer
    data silently.
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


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

    name = models.CharField(_("name"), max_length=200)
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
    revenue_last_year = models.DecimalField(
        _("revenue last year (EUR)"),
        **MONEY,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    revenue_target = models.DecimalField(
        _("revenue target (EUR)"),
        **MONEY,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
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
        ordering = ["name"]
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
                condition=Q(revenue_last_year__gte=0, revenue_target__gte=0),
                name="keyaccount_revenue_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "archived"]), name="keyaccount_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:detail", args=[self.slug])

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class AccountTeamMemberQuerySet(models.QuerySet["AccountTeamMember"]):
    def active(self) -> AccountTeamMemberQuerySet:
        return self.filter(archived_at__isnull=True)

    def leads(self) -> AccountTeamMemberQuerySet:
        return self.active().filter(Q(is_lead=True) | Q(role__grants_lead=True))


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
        ordering = ["role__order", "user__last_name", "user__first_name"]
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
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role_label})"

    @property
    def is_active(self) -> bool:
        return self.archived_at is None

    @property
    def is_account_lead(self) -> bool:
        return self.is_lead or self.role.grants_lead

    @property
    def role_label(self) -> str:
        """Role with its country, e.g. 'NKAM Germany'."""
        if self.country:
            return f"{self.role.name} {self.country.name}"
        return self.role.name

    def clean(self) -> None:
        if self.role_id and self.role.is_national and not self.country:
            raise ValidationError(
                {
                    "country": _("%(role)s is a national role: choose the country it serves.")
                    % {"role": self.role.name}
                }
            )


class KeyAccountPlan(Versioned):
    """The multi-year key account plan, worked out with the core team."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        AGREED = "agreed", _("agreed")

    account = models.ForeignKey(
        KeyAccount, on_delete=models.PROTECT, related_name="plans", verbose_name=_("account")
    )
    start_year = models.PositiveSmallIntegerField(
        _("start year"), validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("end year"), validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    account_profile = models.TextField(
        _("account profile"),
        blank=True,
        help_text=_("Who the customer is: business, markets, organisation, history with us."),
    )
    swot_strengths = models.TextField(_("customer strengths"), blank=True)
    swot_weaknesses = models.TextField(_("customer weaknesses"), blank=True)
    swot_opportunities = models.TextField(_("customer opportunities"), blank=True)
    swot_threats = models.TextField(_("customer threats"), blank=True)
    strategy = models.TextField(_("strategy"), blank=True)
    workshop_date = models.DateField(
        _("workshop date"),
        null=True,
        blank=True,
        help_text=_("When the team worked out this plan together."),
    )
    workshop_participants = models.ManyToManyField(
        AccountTeamMember,
        blank=True,
        related_name="plan_workshops",
        verbose_name=_("workshop participants"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )

    history = HistoricalRecords(m2m_fields=[workshop_participants])

    class Meta:
        verbose_name = _("key account plan")
        verbose_name_plural = _("key account plans")
        ordering = ["account", "-start_year"]
        constraints = [
            models.UniqueConstraint(fields=["account", "start_year"], name="plan_unique_start"),
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year"))
                & Q(end_year__lt=F("start_year") + MAX_PLAN_YEARS),
                name="plan_period_1_to_10_years",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "agreed"]), name="plan_status_valid"
            ),
            # clean() names the overlapping plan; this guards against two saves at once.
            PostgresExclusionConstraint(
                name="plan_periods_do_not_overlap",
                expressions=[
                    ("account", RangeOperators.EQUAL),
                    (YearRange("start_year", "end_year"), RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("accounts:plan_detail", args=[self.account.slug, self.pk])

    @property
    def period(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    def covers(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year

    def clean(self) -> None:
        if self.start_year and self.end_year:
            if self.end_year < self.start_year:
                raise ValidationError(
                    {"end_year": _("The end year cannot be before the start year.")}
                )
            if self.end_year - self.start_year >= MAX_PLAN_YEARS:
                raise ValidationError(
                    {"end_year": _("A plan covers at most %(n)d years.") % {"n": MAX_PLAN_YEARS}}
                )
            if self.account_id:
                overlapping = (
                    KeyAccountPlan.objects.filter(account_id=self.account_id)
                    .exclude(pk=self.pk)
                    .filter(start_year__lte=self.end_year, end_year__gte=self.start_year)
                    .first()
                )
                if overlapping:
                    raise ValidationError(
                        _("This period overlaps the plan %(period)s of this account.")
                        % {"period": overlapping.period}
                    )


class PlanRevenueTarget(models.Model):
    plan = models.ForeignKey(
        KeyAccountPlan, on_delete=models.CASCADE, related_name="revenue_targets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("revenue target (EUR)"), **MONEY, validators=[MinValueValidator(Decimal(0))]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("revenue target")
        verbose_name_plural = _("revenue targets")
        ordering = ["plan", "year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="revenuetarget_unique_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="revenuetarget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"


class PlanPotential(Versioned):
    """Whitespace: business we could win at this customer."""

    plan = models.ForeignKey(KeyAccountPlan, on_delete=models.CASCADE, related_name="potentials")
    description = models.CharField(_("description"), max_length=300)
    estimated_value = models.DecimalField(
        _("estimated value (EUR)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    year = models.PositiveSmallIntegerField(_("year"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("potential")
        verbose_name_plural = _("potentials")
        ordering = ["year", "-estimated_value", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_value__isnull=True) | Q(estimated_value__gte=0),
                name="potential_value_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class PlanObjective(Versioned):
    class Kind(models.TextChoices):
        RELATIONSHIP = "relationship", _("relationship goal")
        BUSINESS = "business", _("business goal")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        ACHIEVED = "achieved", _("achieved")
        MISSED = "missed", _("missed")

    plan = models.ForeignKey(KeyAccountPlan, on_delete=models.CASCADE, related_name="objectives")
    text = models.CharField(_("objective"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.BUSINESS)
    target = models.CharField(
        _("target"), max_length=200, blank=True, help_text=_("How we measure it, e.g. '+15 %'.")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = [F("due_date").asc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["relationship", "business"]), name="objective_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_progress", "achieved", "missed"]),
                name="objective_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_overdue(self) -> bool:
        return (
            self.due_date is not None
            and self.due_date < timezone.localdate()
            and self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)
        )


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

    history = HistoricalRecords()
    objects = CustomerContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer contact")
        verbose_name_plural = _("customer contacts")
        ordering = ["last_name", "first_name", "pk"]
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


class CacheGeneration(models.Model):
    """A counter that moves on every committed change within its scope.

    Cached page fragments put the counters they depend on into their cache
    key (kamteam.fragments), so a change makes the old fragments unreachable
    instead of having to find and delete them. Scopes: ``account:<pk>`` for
    what belongs to one account, ``shared`` for what many accounts show
    (people, profiles, catalogues), ``all`` for any change at all.
    """

    scope = models.CharField(max_length=40, unique=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.scope}: {self.value}"
