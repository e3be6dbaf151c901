"""The workspace overview reads the active team and the active contacts once and
works out its counts, leads and key contacts from them: the same answers as a
query each (accounts.selectors.account_overview)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from accounts import selectors
from coaching.selectors import appreciation_status
from tests.factories import ContactFactory
from tests.fixtures import World


def test_team_counts_and_leads_are_those_of_the_queries(world: World) -> None:
    data = selectors.account_overview(world.account)
    active = world.account.team_members.active()
    assert data["team_counts"] == {
        "core": active.filter(team="core").count(),
        "extended": active.filter(team="extended").count(),
    }
    assert data["leads"] == list(world.account.team_members.leads())
    assert world.former_membership not in data["active_team"]


def test_key_contacts_are_the_five_most_influential_in_name_order(world: World) -> None:
    for name, influence in [
        ("Zeller", 5),
        ("Adler", 4),
        ("Berg", 5),
        ("Cramer", 4),
        ("Dorn", 4),
        ("Eckert", 4),
        ("Low", 3),
    ]:
        ContactFactory(account=world.account, last_name=name, influence=influence)
    ContactFactory(
        account=world.account, last_name="Archived", influence=5, archived_at=timezone.now()
    )
    data = selectors.account_overview(world.account)
    expected = list(
        world.account.contacts.active()
        .filter(influence__gte=4)
        .order_by("-influence", "last_name", "first_name")[:5]
    )
    assert data["key_contacts"] == expected
    names = [c.last_name for c in data["key_contacts"]]
    assert names.index("Berg") < names.index("Zeller") and "Low" not in names
    assert data["contact_count"] == world.account.contacts.active().count()
    text = world.client_for("member").get(reverse("accounts:detail", args=["nordwind"])).text
    assert "Berg" in text and "Archived" not in text


def test_thanks_due_from_the_team_read_equals_its_own_read(world: World) -> None:
    team = selectors.account_overview(world.account)["active_team"]
    own = appreciation_status(world.account, exclude_user_id=world.lead.pk)
    given = appreciation_status(world.account, exclude_user_id=world.lead.pk, team=team)
    pairs = [(t.member.pk, t.last_thanked) for t in own]
    assert [(t.member.pk, t.last_thanked) for t in given] == pairs
    assert world.lead.pk not in {t.member.user_id for t in given}
