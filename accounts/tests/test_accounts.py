"""Key accounts: creation by managers, editing by leads, archive and restore."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import AccountTeamMember, KeyAccount
from tests.factories import KeyAccountFactory, TeamMemberFactory, UserFactory, role
from tests.fixtures import World
from tests.snapshot import database_snapshot


def _create_data(world: World, **overrides: object) -> dict[str, object]:
    data = {
        "name": "Südwind GmbH",
        "slug": "suedwind",
        "industry": "Chemicals",
        "hq_country": "AT",
        "classification": "B",
        "attractiveness": 4,
        "relative_position": 2,
        "description": "",
        "first_lead": world.lead.pk,
        "lead_role": role("gkam").pk,
        "lead_country": "",
    }
    data.update(overrides)
    return data


def test_manager_creates_account_with_first_lead(world: World) -> None:
    client = world.client_for("manager")
    response = client.post(reverse("accounts:create"), _create_data(world))
    account = KeyAccount.objects.get(slug="suedwind")
    assert response.status_code == 302
    assert response["Location"] == account.get_absolute_url()
    lead = account.team_members.get()
    assert lead.user == world.lead and lead.is_lead and lead.is_account_lead


def test_national_first_lead_needs_a_country(world: World) -> None:
    client = world.client_for("manager")
    before = database_snapshot()
    response = client.post(
        reverse("accounts:create"), _create_data(world, lead_role=role("nkam").pk)
    )
    assert response.status_code == 400
    assert "national role" in response.context["form"].errors["lead_country"][0]
    assert database_snapshot() == before


def test_duplicate_slug_and_bad_ranges_are_rejected_at_the_field(world: World) -> None:
    client = world.client_for("manager")
    before = database_snapshot()
    response = client.post(
        reverse("accounts:create"),
        _create_data(world, slug=world.account.slug, attractiveness=9),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) >= {"slug", "attractiveness"}
    assert database_snapshot() == before


def test_reserved_slug_new_is_rejected(world: World) -> None:
    response = world.client_for("manager").post(
        reverse("accounts:create"), _create_data(world, slug="new")
    )
    assert response.status_code == 400
    assert "slug" in response.context["form"].errors


def test_lead_edits_account(world: World, lead_client) -> None:
    data = _create_data(world, slug=world.account.slug, name="Nordwind Holding AG", version=1)
    response = lead_client.post(reverse("accounts:edit", args=[world.account.slug]), data)
    assert response.status_code == 302
    world.account.refresh_from_db()
    assert world.account.name == "Nordwind Holding AG"


def test_manager_archives_and_restores_and_nothing_is_lost(world: World) -> None:
    client = world.client_for("manager")
    contacts_before = world.account.contacts.count()
    response = client.post(reverse("accounts:archive", args=[world.account.slug]))
    assert response.status_code == 302
    world.account.refresh_from_db()
    assert world.account.status == KeyAccount.Status.ARCHIVED
    assert world.account.contacts.count() == contacts_before
    response = client.post(reverse("accounts:restore", args=[world.account.slug]))
    world.account.refresh_from_db()
    assert world.account.status == KeyAccount.Status.ACTIVE


def test_archived_account_is_read_only_for_its_lead(world: World, lead_client) -> None:
    world.account.status = KeyAccount.Status.ARCHIVED
    world.account.save()
    response = lead_client.get(reverse("accounts:edit", args=[world.account.slug]))
    assert response.status_code == 403
    assert b"archived" in response.content
    assert lead_client.get(world.account.get_absolute_url()).status_code == 200


def test_archive_asks_for_confirmation_first(world: World) -> None:
    response = world.client_for("manager").get(reverse("accounts:archive", args=["nordwind"]))
    assert response.status_code == 200
    assert b"Archive account" in response.content
    world.account.refresh_from_db()
    assert world.account.is_active


def test_account_list_shows_only_visible_accounts(world: World) -> None:
    other = KeyAccountFactory(name="Hidden Corp")
    member_page = world.client_for("member").get(reverse("accounts:list"))
    assert b"Nordwind AG" in member_page.content
    assert b"Hidden Corp" not in member_page.content
    manager_page = world.client_for("manager").get(reverse("accounts:list"))
    assert b"Hidden Corp" in manager_page.content
    assert other.slug.encode() in manager_page.content


def test_account_list_filters_and_survives_bad_input(world: World) -> None:
    KeyAccountFactory(name="Ostwind AG", classification="C")
    client = world.client_for("manager")
    page = client.get(reverse("accounts:list"), {"classification": "C"})
    assert b"Ostwind AG" in page.content and b"Nordwind AG" not in page.content
    page = client.get(reverse("accounts:list"), {"q": "nord"})
    assert b"Nordwind AG" in page.content and b"Ostwind AG" not in page.content
    for params in ({"page": "999"}, {"page": "x"}, {"classification": "Z", "status": "??"}):
        assert client.get(reverse("accounts:list"), params).status_code == 200


def test_home_lists_my_accounts_with_my_role(world: World) -> None:
    other = KeyAccountFactory(name="Second Account")
    TeamMemberFactory(account=other, user=world.member, role=role("engineering"))
    page = world.client_for("member").get(reverse("home"))
    assert b"Nordwind AG" in page.content and b"Second Account" in page.content
    assert "Inside sales" in page.content.decode()
    assert world.client_for("outsider").get(reverse("home")).context["my_accounts"] == []


def test_visible_to_excludes_former_members(world: World) -> None:
    former = world.former_membership.user
    assert not KeyAccount.objects.visible_to(former).exists()
    assert world.client_for("staff").get(world.account.get_absolute_url()).status_code == 200


def test_managers_see_every_account_even_archived(world: World) -> None:
    archived = KeyAccountFactory(status=KeyAccount.Status.ARCHIVED)
    assert set(KeyAccount.objects.visible_to(world.manager)) == {world.account, archived}


def test_history_records_who_changed_what(world: World, lead_client) -> None:
    data = _create_data(world, slug=world.account.slug, name="Nordwind Renamed", version=1)
    lead_client.post(reverse("accounts:edit", args=[world.account.slug]), data)
    page = lead_client.get(reverse("accounts:history", args=[world.account.slug]))
    text = page.content.decode()
    assert "Nordwind Renamed" in text and "Nordwind AG" in text
    entry = page.context["page"].object_list[0]
    assert entry.who == world.lead and entry.kind == "~"


def test_only_leads_become_members_through_the_first_lead(world: World) -> None:
    user = UserFactory()
    world.client_for("manager").post(
        reverse("accounts:create"), _create_data(world, first_lead=user.pk)
    )
    assert AccountTeamMember.objects.filter(user=user, is_lead=True).count() == 1
