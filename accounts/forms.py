from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.amounts import add_yearly_amounts
from accounts.models import (
    AccountTeamMember,
    BuyingCentreRole,
    CustomerContact,
    KeyAccount,
    KeyAccountPlan,
    PlanObjective,
    PlanPotential,
    TeamRole,
)
from accounts.plan_periods import period_error, rows_left_out
from accounts.slugs import free_slug
from core.forms import DateInput, ModelMultipleIdsField, VersionedForm, bounded_formfield
from core.localized_numbers import LocalizedAmountField
from core.validators import validate_plain_email
from core.widgets import OneStringSelect
from users.pickers import PeopleSelectMultiple, PersonChoiceField, active_people

RESERVED_SLUGS = {"new"}


class KeyAccountForm(VersionedForm):
    class Meta:
        model = KeyAccount
        formfield_callback = bounded_formfield
        fields = [
            "name",
            "slug",
            "industry",
            "hq_country",
            "classification",
            "attractiveness",
            "relative_position",
            "freshness_days",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        # Revenue is kept per year: actuals on the account's revenue page
        # (accounts.revenue), targets in the plan.

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left empty (or posted by an older form): the account keeps what it has.
        self.fields["freshness_days"].required = False

    def clean_freshness_days(self) -> int:
        days = self.cleaned_data.get("freshness_days")
        return self.instance.freshness_days if days is None else days

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"] or slugify(self.data.get("name", ""))[:80]
        if not slug:
            raise ValidationError(_("Enter a short name of letters, digits or hyphens."))
        if KeyAccount.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise ValidationError(
                _("Another key account already uses “%(slug)s”; choose another short name.")
                % {"slug": slug}
            )
        # "new" is the address of the create page: an account there could never be opened.
        if slug in RESERVED_SLUGS:
            raise ValidationError(
                _("“%(slug)s” is reserved; choose another short name.") % {"slug": slug}
            )
        return slug


class KeyAccountCreateForm(KeyAccountForm):
    """A manager creates an account and appoints its first lead."""

    first_lead = PersonChoiceField(
        label=_("First lead"),
        suggest_url=reverse_lazy("people_pick"),
        help_text=_("The key account manager who will lead this account and build its team."),
    )
    lead_role = forms.ModelChoiceField(label=_("Lead's team role"), queryset=TeamRole.objects.all())
    lead_country = KeyAccount._meta.get_field("hq_country").formfield(
        label=_("Lead's country or region"),
        required=False,
        help_text=_("Only for a national role such as NKAM."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "Used in the account's address; leave empty to derive it from the name."
        )
        self.fields["first_lead"].queryset = active_people()  # who is active now, not at import
        self.fields["lead_role"].initial = TeamRole.objects.filter(grants_lead=True).first()

    def clean_slug(self) -> str:
        if self.cleaned_data["slug"]:
            return super().clean_slug()  # typed in: the user knows the short name they chose
        # Derived: never refused for a name another account has, nor named to the user.
        name = self.cleaned_data.get("name")
        if not name:
            return ""  # the name's own error says what is missing
        if not (slug := free_slug(name, reserved=RESERVED_SLUGS)):
            raise ValidationError(
                _("“%(name)s” has no letters for the account's address: type one here (a-z, 0-9).")
                % {"name": name}
            )
        return slug

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        role = data.get("lead_role")
        if role and role.is_national and not data.get("lead_country"):
            self.add_error(
                "lead_country",
                _("%(role)s is a national role: choose the country it serves.")
                % {"role": role.name},
            )
        return data


class TeamMemberForm(VersionedForm):
    user = PersonChoiceField(label=_("Person"))

    class Meta:
        model = AccountTeamMember
        fields = ["user", "role", "team", "country", "is_lead", "responsibilities"]
        # 250 countries: written in one string, beside the 3,257 colleagues of a large company.
        widgets = {
            "country": OneStringSelect,
            "responsibilities": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, account: KeyAccount, actor: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account
        self.actor = actor  # the AccountAccess of who saves, for the rule on own seats
        user = self.fields["user"]
        user.queryset = active_people()
        user.widget.suggest_url = f"{reverse('people_pick')}?{urlencode({'account': account.slug})}"
        if self.instance.pk:
            # Replacing the person would rewrite history; add a new member instead.
            self.fields["user"].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        user, role = data.get("user"), data.get("role")
        country = data.get("country") or ""
        if user and role:
            clash = (
                self.instance.account.team_members.active()
                .filter(user=user, role=role)
                .exclude(pk=self.instance.pk)
            )
            # A national role may be held once per country; any other role once,
            # whatever country is noted with it.
            if role.is_national:
                clash = clash.filter(country=country)
            if clash.exists():
                raise ValidationError(
                    _("%(user)s already holds this role on this account.") % {"user": user}
                )
            self._check_own_seat(user, role, country, data.get("is_lead", False))
        return data

    def _check_own_seat(self, user: Any, role: TeamRole, country: str, is_lead: bool) -> None:
        """A lead of some countries only (an NKAM) cannot lead more by their own seat."""
        actor = self.actor
        if actor is None or actor.leads_globally or user != actor.user:
            return
        if (role.grants_lead or is_lead) and not (
            role.is_national and country in actor.national_countries
        ):
            raise ValidationError(
                _("You lead this account for your countries only: another lead must give you more.")
            )


class KeyAccountPlanCreateForm(forms.ModelForm):
    class Meta:
        model = KeyAccountPlan
        formfield_callback = bounded_formfield
        fields = ["start_year", "end_year"]

    def __init__(self, *args: Any, account: KeyAccount, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account


class KeyAccountPlanForm(VersionedForm):
    """The plan's text, status and workshop, plus one revenue field a year."""

    class Meta:
        model = KeyAccountPlan
        formfield_callback = bounded_formfield
        fields = [
            "start_year",
            "end_year",
            "status",
            "account_profile",
            "swot_strengths",
            "swot_weaknesses",
            "swot_opportunities",
            "swot_threats",
            "strategy",
            "workshop_date",
            "workshop_participants",
        ]
        field_classes = {"workshop_participants": ModelMultipleIdsField}
        widgets = {
            "workshop_date": DateInput(),
            "workshop_participants": PeopleSelectMultiple,
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in (
                    "account_profile",
                    "swot_strengths",
                    "swot_weaknesses",
                    "swot_opportunities",
                    "swot_threats",
                    "strategy",
                )
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan: KeyAccountPlan = self.instance
        participants = self.fields["workshop_participants"]
        participants.queryset = plan.account.team_members.active().select_related("user", "role")
        participants.label_from_instance = lambda m: f"{m.user.display_name}, {m.role_label}"
        targets = {t.year: t.amount for t in plan.revenue_targets.all()}
        # The years as loaded: the period itself may be changed in this form.
        self.revenue_years = plan.years
        # The heading names the plan as saved, whatever (refused) period was entered.
        self.saved_period = plan.period
        add_yearly_amounts(
            self.fields,
            self.revenue_years,
            targets,
            name=self.revenue_field,
            label=_("Revenue target %(year)s (%(currency)s)"),
        )

    @staticmethod
    def revenue_field(year: int) -> str:
        return f"revenue_{year}"

    @property
    def revenue_fields(self) -> list[forms.BoundField]:
        return [self[self.revenue_field(y)] for y in self.revenue_years]

    @property
    def revenue_targets(self) -> dict[int, Decimal | None]:
        return {y: self.cleaned_data.get(self.revenue_field(y)) for y in self.revenue_years}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("status") == KeyAccountPlan.Status.AGREED and not data.get("workshop_date"):
            self.add_error(
                "workshop_date",
                _("An agreed plan needs the date of the workshop in which the team agreed it."),
            )
        if self._check_period_order(data):
            self._check_period_keeps_rows(data)
        return data

    def _check_period_order(self, data: dict[str, Any]) -> bool:
        """A reversed or too long period is refused as such, in the new-plan form's
        words, before the rows are checked: of 2027-2026 every year looks "left out"."""
        start, end = data.get("start_year"), data.get("end_year")
        if not start or not end or not (error := period_error(start, end)):
            return True
        self.add_error("end_year", error)
        # Keeps the new start off the instance: the model's check would
        # otherwise pair it with the saved end and name another problem.
        del data["start_year"]
        return False

    def _check_period_keeps_rows(self, data: dict[str, Any]) -> None:
        """A shorter or moved period must not drop targets, potentials or objectives."""
        start, end = data.get("start_year"), data.get("end_year")
        if not start or not end or self.has_error("start_year") or self.has_error("end_year"):
            return
        plan: KeyAccountPlan = self.instance
        if (start, end) == (plan.start_year, plan.end_year):
            return  # rows an earlier change left outside do not block other edits
        entered = [y for y in self.revenue_years if data.get(self.revenue_field(y)) is not None]
        if problems := rows_left_out(plan, start, end, entered):
            self.add_error(
                "end_year" if start == plan.start_year else "start_year",
                _("The new period %(start)s–%(end)s would leave out %(what)s.")
                % {"start": start, "end": end, "what": "; ".join(problems)},
            )


class PlanPotentialForm(VersionedForm):
    class Meta:
        model = PlanPotential
        formfield_callback = bounded_formfield
        fields = ["description", "estimated_value", "year"]
        field_classes = {"estimated_value": LocalizedAmountField}

    def __init__(self, *args: Any, plan: KeyAccountPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        years = plan.years
        # A potential from before the period changed keeps its year as a choice,
        # so editing its text does not move it to another year unasked.
        if self.instance.pk and self.instance.year not in years:
            years = sorted([*years, self.instance.year])
        self.fields["year"] = forms.TypedChoiceField(
            label=_("Year"), coerce=int, choices=[(y, y) for y in years]
        )


class PlanObjectiveForm(VersionedForm):
    class Meta:
        model = PlanObjective
        fields = ["text", "kind", "target", "due_date", "status"]
        widgets = {"due_date": DateInput()}

    def __init__(self, *args: Any, plan: KeyAccountPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.plan = plan

    def clean_due_date(self) -> datetime.date | None:
        due = self.cleaned_data["due_date"]
        plan: KeyAccountPlan = self.instance.plan
        # An objective left outside by an earlier change of the period keeps its
        # date when edited, as a potential keeps its year: no new date unasked.
        unchanged = self.instance.pk and due == self.instance.due_date
        if due and not plan.covers(due.year) and not unchanged:
            raise ValidationError(
                _("The plan covers %(period)s: choose a due date within that period.")
                % {"period": plan.period}
            )
        return due


class CustomerContactForm(VersionedForm):
    class Meta:
        model = CustomerContact
        formfield_callback = bounded_formfield
        fields = [
            "first_name",
            "last_name",
            "position",
            "department",
            "country",
            "email",
            "phone",
            "buying_roles",
            "attitude",
            "influence",
            "reports_to",
            "notes",
            "crm_id",
        ]
        field_classes = {"buying_roles": ModelMultipleIdsField}
        widgets = {
            "influence": forms.Select(choices=[(i, i) for i in range(1, 6)]),
            "buying_roles": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, account: KeyAccount, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.account = account
        self.fields["buying_roles"].queryset = BuyingCentreRole.objects.all()
        # Only contacts of this account can be the boss; never the contact itself.
        self.fields["reports_to"].queryset = account.contacts.active().exclude(pk=self.instance.pk)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        validate_plain_email(email)
        return email
