"""Information management: touchpoints per contact and quarter, relationship
pairs, the team's own meeting rhythm, and personal calendar feeds."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import YEAR_MAX, YEAR_MIN, AccountTeamMember, CustomerContact, KeyAccount
from core.collation import by_name
from core.models import KeptHistoricalRecords, Versioned
from core.validators import SupportedDatesModel

QUARTERS = [(q, f"Q{q}") for q in range(1, 5)]


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> datetime.date:
    return datetime.date(year, quarter * 3 - 2, 1)


def quarter_end(year: int, quarter: int) -> datetime.date:
    if quarter == 4:
        return datetime.date(year, 12, 31)
    return datetime.date(year, quarter * 3 + 1, 1) - datetime.timedelta(days=1)


class TouchpointQuerySet(models.QuerySet["Touchpoint"]):
    def overdue(self, today: datetime.date) -> TouchpointQuerySet:
        """Touchpoint.is_overdue in SQL: planned, and its quarter is over or its date passed."""
        return self.overdue_in(today.year, quarter_of(today), today)

    def overdue_in(self, year: int, quarter: int, today: datetime.date) -> TouchpointQuerySet:
        """`overdue` on `today`, a day of `quarter` of `year`: the values go into the
        SQL as they are, so a prepared query (core.prepared) can take them as arguments."""
        return self.filter(status=Touchpoint.Status.PLANNED).filter(
            overdue_condition(year, quarter, today)
        )


def overdue_condition(year: int, quarter: int, today: datetime.date) -> Q:
    """A planned touchpoint is overdue on `today` (in `quarter` of `year`) once its
    quarter is over or the date it was planned for has passed: every page that
    says "overdue" (the home page, my touchpoints, the grid, the health score)
    asks this."""
    return Q(year__lt=year) | Q(year=year, quarter__lt=quarter) | Q(date__lt=today)


class Touchpoint(SupportedDatesModel, Versioned):
    """What reaches one customer contact in one quarter (Informationsplanung)."""

    class Kind(models.TextChoices):
        CONTENT = "content", _("content (article, letter, reference story)")
        MEETING = "meeting", _("meeting")
        CALL = "call", _("call")
        EVENT = "event", _("event")
        GIFT = "gift", _("gift")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    account = models.ForeignKey(
        KeyAccount, on_delete=models.PROTECT, related_name="touchpoints", verbose_name=_("account")
    )
    contact = models.ForeignKey(
        CustomerContact,
        on_delete=models.PROTECT,
        related_name="touchpoints",
        verbose_name=_("customer contact"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]
    )
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTERS)
    date = models.DateField(_("date"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.CONTENT)
    title = models.CharField(_("what exactly"), max_length=300)
    owner = models.ForeignKey(
        AccountTeamMember,
        on_delete=models.PROTECT,
        related_name="touchpoints",
        verbose_name=_("owner"),
    )
    # The handbook: take inside sales along to the customer. Companions see the
    # touchpoint in their My touchpoints and calendar; the owner stays in charge.
    companions = models.ManyToManyField(
        AccountTeamMember,
        blank=True,
        related_name="companion_touchpoints",
        verbose_name=_("colleagues who join"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PLANNED)
    outcome = models.TextField(_("outcome"), blank=True, max_length=4000)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = KeptHistoricalRecords(m2m_fields=[companions])
    objects = TouchpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("touchpoint")
        verbose_name_plural = _("touchpoints")
        ordering = ["year", "quarter", "date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="touchpoint_quarter_1_to_4"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "done", "cancelled"]),
                name="touchpoint_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["content", "meeting", "call", "event", "gift", "other"]),
                name="touchpoint_kind_valid",
            ),
        ]
        indexes = [
            # The grid: one account's touchpoints of one year.
            models.Index(fields=["account", "year"], name="touchpoint_account_year"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        """Planned, and its quarter is over or its date passed, today."""
        return self.overdue_on(timezone.localdate())

    def overdue_on(self, today: datetime.date) -> bool:
        """overdue_condition in Python: planned, and on `today` its quarter is over
        or its date has passed."""
        return self.status == self.Status.PLANNED and (
            quarter_end(self.year, self.quarter) < today
            or (self.date is not None and self.date < today)
        )

    def clean(self) -> None:
        errors = {}
        if self.contact_id and self.account_id and self.contact.account_id != self.account_id:
            errors["contact"] = _("Choose a contact of this account.")
        if (
            self.owner_id
            and self.account_id
            and (self.owner.account_id != self.account_id or not self.owner.is_active)
        ):
            errors["owner"] = _("The owner must be on this account's team.")
        if self.date and self.year and self.quarter:
            if self.date.year != self.year:
                errors["date"] = _("The date must lie in %(year)s.") % {"year": self.year}
            elif quarter_of(self.date) != self.quarter:
                errors["date"] = _("The date must lie in Q%(q)s.") % {"q": self.quarter}
        if errors:
            raise ValidationError(errors)


class RelationshipLevel(models.IntegerChoices):
    NONE = 0, _("no contact")
    KNOWN = 1, _("known to each other")
    REGULAR = 2, _("regular contact")
    GOOD = 3, _("good relationship")
    TRUSTED = 4, _("trusted partner")
    ADVISOR = 5, _("trusted advisor")


# The constraints' own words, for a save that reaches them past clean() (which
# names the people and levels): Django's default named the fields, not the people.
DUPLICATE_PAIR_MESSAGE = _(
    "This team member already has a relationship with this contact. Edit that one "
    "instead of adding a second."
)
TARGET_BELOW_MESSAGE = _(
    "The target level cannot be below the current level: the plan says where the "
    "relationship should go."
)


class RelationshipPair(Versioned):
    """Who of ours talks with whom at the customer (Beziehungsplan)."""

    class Cadence(models.TextChoices):
        MONTHLY = "monthly", _("monthly")
        QUARTERLY = "quarterly", _("quarterly")
        YEARLY = "yearly", _("yearly")

    account = models.ForeignKey(KeyAccount, on_delete=models.PROTECT, related_name="relationships")
    member = models.ForeignKey(
        AccountTeamMember,
        on_delete=models.PROTECT,
        related_name="relationships",
        verbose_name=_("our team member"),
    )
    contact = models.ForeignKey(
        CustomerContact,
        on_delete=models.PROTECT,
        related_name="relationships",
        verbose_name=_("customer contact"),
    )
    current_level = models.PositiveSmallIntegerField(
        _("current level"), choices=RelationshipLevel, default=RelationshipLevel.KNOWN
    )
    target_level = models.PositiveSmallIntegerField(
        _("target level"), choices=RelationshipLevel, default=RelationshipLevel.GOOD
    )
    cadence = models.CharField(
        _("cadence"), max_length=10, choices=Cadence, default=Cadence.QUARTERLY
    )
    next_occasion = models.CharField(_("next occasion"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=4000)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        ordering = [*by_name("contact__last_name"), "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "contact"],
                name="relationship_unique_pair",
                violation_error_message=DUPLICATE_PAIR_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(current_level__lte=5, target_level__lte=5),
                name="relationship_levels_valid",
            ),
            models.CheckConstraint(
                condition=Q(target_level__gte=F("current_level")),
                name="relationship_target_not_below_current",
                violation_error_message=TARGET_BELOW_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member.user} – {self.contact}"

    def clean(self) -> None:
        errors = {}
        if self.contact_id and self.account_id and self.contact.account_id != self.account_id:
            errors["contact"] = _("Choose a contact of this account.")
        if self.member_id and self.account_id and self.member.account_id != self.account_id:
            errors["member"] = _("Choose a member of this account's team.")
        if (
            self.current_level is not None
            and self.target_level is not None
            and self.target_level < self.current_level
        ):
            errors["target_level"] = _(
                "The target cannot be below the current level (%(current)s). Choose the "
                "level this relationship should reach; if it has cooled, lower the current "
                "level instead."
            ) % {"current": self.get_current_level_display()}
        if "contact" not in errors and self._duplicates().exists():
            # At the field, in a KAM's words: an error here also keeps Django's
            # generic "…with this Our team member and Customer contact already
            # exists" of the unique constraint from showing as well.
            errors["contact"] = _(
                "A relationship between %(member)s and %(contact)s already exists. Edit "
                "that one instead of adding a second."
            ) % {"member": self.member.user.display_name, "contact": self.contact.full_name}
        if errors:
            raise ValidationError(errors)

    def _duplicates(self) -> models.QuerySet[RelationshipPair]:
        """Other pairs of the same member and contact (relationship_unique_pair)."""
        if not (self.member_id and self.contact_id):
            return RelationshipPair.objects.none()
        return RelationshipPair.objects.filter(
            member_id=self.member_id, contact_id=self.contact_id
        ).exclude(pk=self.pk)


class TeamMeetingQuerySet(models.QuerySet["TeamMeeting"]):
    def in_person(self, year: int) -> TeamMeetingQuerySet:
        """In-person meetings of `year` that are planned or held (not cancelled):
        what counts for "the core team meets in person at least once a year"."""
        return self.filter(year=year, format=TeamMeeting.Format.IN_PERSON).exclude(
            status=TeamMeeting.Status.CANCELLED
        )


class TeamMeeting(SupportedDatesModel, Versioned):
    """The team's own exchange rhythm (Teaminformationsaustausch)."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        VIDEO = "video", _("video conference")
        PHONE = "phone", _("phone conference")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    account = models.ForeignKey(KeyAccount, on_delete=models.PROTECT, related_name="meetings")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]
    )
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTERS)
    date = models.DateField(_("date"), null=True, blank=True)
    format = models.CharField(_("format"), max_length=10, choices=Format, default=Format.VIDEO)
    purpose = models.CharField(_("purpose"), max_length=200)
    participants = models.ManyToManyField(
        AccountTeamMember, blank=True, related_name="meetings", verbose_name=_("participants")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PLANNED)

    history = KeptHistoricalRecords(m2m_fields=[participants])
    objects = TeamMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("team meeting")
        verbose_name_plural = _("team meetings")
        ordering = ["year", "quarter", "date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="meeting_quarter_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return self.purpose

    def clean(self) -> None:
        errors = {}
        if (
            self.date
            and self.year
            and self.quarter
            and (self.date.year != self.year or quarter_of(self.date) != self.quarter)
        ):
            errors["date"] = _("The date must lie in Q%(q)s %(year)s.") % {
                "q": self.quarter,
                "year": self.year,
            }
        if self.status == self.Status.HELD and self.is_in_future():
            errors["status"] = _(
                "A meeting that lies in the future cannot have been held yet. Keep it "
                "planned, or correct its date."
            )
        if errors:
            raise ValidationError(errors)

    def is_in_future(self) -> bool:
        """After today: its date, or without a date its quarter's first day.

        Not a database constraint: "today" moves, and a row valid when saved
        must stay valid. A quarter that has begun may hold an undated meeting.
        """
        today = timezone.localdate()
        if self.date:
            return self.date > today
        if self.year and self.quarter in (1, 2, 3, 4):
            return quarter_start(self.year, self.quarter) > today
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's secret calendar address; deleting it revokes the address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)
