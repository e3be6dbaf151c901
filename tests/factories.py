"""factory_boy factories for the test suite."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import (
    AccountTeamMember,
    CustomerContact,
    KeyAccount,
    KeyAccountPlan,
    PlanObjective,
    PlanPotential,
    RevenueActual,
    TeamRole,
)
from users.models import MANAGERS_GROUP, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def manager(self, create: bool, extracted: bool, **kwargs: object) -> None:
        if create and extracted:
            self.groups.add(Group.objects.get_or_create(name=MANAGERS_GROUP)[0])
        if create:
            self.save()


def role(code: str) -> TeamRole:
    """A team role seeded by the migration: gkam, nkam, inside-sales, ..."""
    return TeamRole.objects.get(code=code)


class KeyAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyAccount
        skip_postgeneration_save = True  # the revenue row below needs no second save

    name = factory.Sequence(lambda n: f"Customer {n:03d} AG")
    slug = factory.Sequence(lambda n: f"customer-{n:03d}")
    industry = "Machinery"
    hq_country = "DE"
    classification = "A"
    # This year's revenue so far, as every account of the old factory had some.
    revenue = factory.RelatedFactory(
        "tests.factories.RevenueActualFactory", factory_related_name="account"
    )


class RevenueActualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RevenueActual

    account = factory.SubFactory(KeyAccountFactory, revenue=None)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    amount = Decimal("1000000")


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountTeamMember

    account = factory.SubFactory(KeyAccountFactory)
    user = factory.SubFactory(UserFactory)
    role = factory.LazyFunction(lambda: role("inside-sales"))
    team = AccountTeamMember.Team.CORE


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyAccountPlan

    account = factory.SubFactory(KeyAccountFactory)
    start_year = 2026
    end_year = 2028
    strategy = "Grow together."


class PotentialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanPotential

    plan = factory.SubFactory(PlanFactory)
    description = factory.Sequence(lambda n: f"Potential {n}")
    estimated_value = Decimal("10000")
    year = 2026


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanObjective

    plan = factory.SubFactory(PlanFactory)
    text = factory.Sequence(lambda n: f"Objective {n}")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerContact

    account = factory.SubFactory(KeyAccountFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Sequence(lambda n: f"Contact{n}")
    position = "Buyer"
