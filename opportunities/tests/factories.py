"""Opportunities for tests: open, on the world's account unless told otherwise."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from opportunities.models import Opportunity, OpportunityStage


def stage(name_en: str = "Propose") -> OpportunityStage:
    """A stage seeded by the migration: Qualify, Develop, Propose, Negotiate."""
    return OpportunityStage.objects.get(name_en=name_en)


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    account = factory.LazyAttribute(lambda o: o.owner.account)
    title = factory.Sequence(lambda n: f"Deal {n}")
    value = Decimal("100000")
    probability = 50
    stage = factory.LazyFunction(stage)
    expected_close = datetime.date(2026, 11, 30)
