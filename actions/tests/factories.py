"""factory_boy factory for plan actions (the shared ones are in tests/factories.py)."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from actions.models import PlanAction
from tests.factories import ObjectiveFactory, TeamMemberFactory


class PlanActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanAction

    objective = factory.SubFactory(ObjectiveFactory)
    account = factory.LazyAttribute(lambda a: a.objective.plan.account)
    owner = factory.LazyAttribute(lambda a: TeamMemberFactory(account=a.account))
    title = factory.Sequence(lambda n: f"Action {n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
