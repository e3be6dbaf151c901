"""factory_boy factories of the whitespace map."""

from __future__ import annotations

import factory

from tests.factories import KeyAccountFactory
from whitespace.models import CellStatus, CustomerUnit, Offering, WhitespaceCell


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering

    name = factory.Sequence(lambda n: f"Offering {n}")
    order = factory.Sequence(lambda n: n)


class CustomerUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerUnit

    account = factory.SubFactory(KeyAccountFactory)
    name = factory.Sequence(lambda n: f"Plant {n}")
    kind = CustomerUnit.Kind.PLANT
    order = factory.Sequence(lambda n: n)


class WhitespaceCellFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WhitespaceCell

    unit = factory.SubFactory(CustomerUnitFactory)
    offering = factory.SubFactory(OfferingFactory)
    status = CellStatus.SUPPLY
