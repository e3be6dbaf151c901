"""What a contact's page says about reaching them, on the road: the last touchpoint,
the next one, and who of the team owns the relationship."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F

from accounts.models import CustomerContact
from touchpoints.models import RelationshipPair, Touchpoint


@dataclass
class ContactReach:
    last: Touchpoint | None  # the latest done
    next: Touchpoint | None  # the earliest still planned, overdue or not
    owners: list[RelationshipPair] = field(default_factory=list)


def contact_reach(contact: CustomerContact) -> ContactReach:
    """Three queries; everything here the account's readers see on its touchpoint pages."""
    touchpoints = contact.touchpoints.select_related("owner__user", "owner__role")
    last = (
        touchpoints.filter(status=Touchpoint.Status.DONE)
        .order_by("-year", "-quarter", F("date").desc(nulls_last=True), "-pk")
        .first()
    )
    upcoming = (
        touchpoints.filter(status=Touchpoint.Status.PLANNED)
        .order_by("year", "quarter", F("date").asc(nulls_last=True), "pk")
        .first()
    )
    owners = list(contact.relationships.select_related("member__user", "member__role"))
    return ContactReach(last=last, next=upcoming, owners=owners)
