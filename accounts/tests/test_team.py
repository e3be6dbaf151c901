"""The account team: adding, editing and removing members without losing anything."""

from __future__ import annotations

from django.urls import reverse

from accounts import services
from accounts.models import AccountTeamMember
from tests.factories import UserFactory, role
from tests.fixtures import World
from tests.snapshot import database_snapshot


def _member_url(world: World, name: str, member: AccountTeamMember) -> str:
    return reverse(f"accounts:{name}", args=[world.account.slug, member.pk])


def test_lead_adds_a_national_member_with_country(world: World, lead_client) -> None:
    user = UserFactory()
    url = reverse("accounts:member_add", args=[world.account.slug])
    response = lead_client.post(
        url, {"user": user.pk, "role": role("nkam").pk, "team": "core", "country": ""}
    )
    assert response.status_code == 400
    assert "national role" in response.context["form"].errors["country"][0]
    response = lead_client.post(
        url, {"user": user.pk, "role": role("nkam").pk, "team": "core", "country": "CN"}
    )
    assert response.status_code == 302
    member = world.account.team_members.get(user=user)
    assert member.is_account_lead  # NKAMs always lead
    assert member.role_label == "NKAM China"


def test_same_person_same_role_twice_is_rejected(world: World, lead_client) -> None:
    before = database_snapshot()
    response = lead_client.post(
        reverse("accounts:member_add", args=[world.account.slug]),
        {"user": world.member.pk, "role": role("inside-sales").pk, "team": "core"},
    )
    assert response.status_code == 400
    assert "already holds this role" in response.content.decode()
    assert database_snapshot() == before


def test_a_country_does_not_make_a_second_gkam_seat(world: World, lead_client) -> None:
    """GKAM is not national: noting a country must not let the same person hold it twice."""
    before = database_snapshot()
    response = lead_client.post(
        reverse("accounts:member_add", args=[world.account.slug]),
        {"user": world.lead.pk, "role": role("gkam").pk, "team": "core", "country": "DE"},
    )
    assert response.status_code == 400
    assert "already holds this role" in response.content.decode()
    assert database_snapshot() == before


def test_a_national_role_may_be_held_for_two_countries(world: World, lead_client) -> None:
    url = reverse("accounts:member_add", args=[world.account.slug])
    for country in ("DE", "AT"):
        data = {"user": world.member.pk, "role": role("nkam").pk, "team": "core"}
        response = lead_client.post(url, {**data, "country": country})
        assert response.status_code == 302


def test_one_person_can_hold_roles_on_several_accounts(world: World) -> None:
    from tests.factories import KeyAccountFactory, TeamMemberFactory

    TeamMemberFactory(account=KeyAccountFactory(), user=world.member, role=role("gkam"))
    assert world.member.team_memberships.count() == 2


def test_removing_a_member_keeps_the_record_and_can_be_undone(world: World, lead_client) -> None:
    url = _member_url(world, "member_remove", world.membership)
    page = lead_client.get(url)
    assert page.status_code == 200 and b"Remove from team" in page.content
    assert lead_client.post(url).status_code == 302
    world.membership.refresh_from_db()
    assert world.membership.archived_at is not None
    assert world.client_for("member").get(world.account.get_absolute_url()).status_code == 404
    response = lead_client.post(_member_url(world, "member_restore", world.membership))
    assert response.status_code == 302
    world.membership.refresh_from_db()
    assert world.membership.is_active


def test_the_only_lead_cannot_leave(world: World, lead_client) -> None:
    url = _member_url(world, "member_remove", world.lead_membership)
    page = lead_client.get(url)
    assert "only lead" in page.content.decode()
    response = lead_client.post(url)
    assert response.status_code == 409
    world.lead_membership.refresh_from_db()
    assert world.lead_membership.is_active


def test_the_only_lead_cannot_drop_the_lead_flag(world: World, lead_client) -> None:
    world.lead_membership.role = role("inside-sales")
    world.lead_membership.is_lead = True
    world.lead_membership.save()
    response = lead_client.post(
        _member_url(world, "member_edit", world.lead_membership),
        {"role": role("inside-sales").pk, "team": "core", "is_lead": "", "version": 1},
    )
    assert response.status_code == 400
    assert "only lead" in response.content.decode()


def test_registered_blockers_stop_a_removal(world: World, monkeypatch) -> None:
    monkeypatch.setattr(
        services, "member_blockers", [lambda m: ["Holds the A for the framework contract."]]
    )
    assert services.member_remove(member=world.membership) == [
        "Holds the A for the framework contract."
    ]
    world.membership.refresh_from_db()
    assert world.membership.is_active


def test_person_cannot_be_swapped_on_an_existing_membership(world: World, lead_client) -> None:
    other = UserFactory()
    lead_client.post(
        _member_url(world, "member_edit", world.membership),
        {"user": other.pk, "role": role("inside-sales").pk, "team": "extended", "version": 1},
    )
    world.membership.refresh_from_db()
    assert world.membership.user == world.member
    assert world.membership.team == "extended"


def test_team_page_groups_core_extended_and_former(world: World) -> None:
    page = world.client_for("member").get(reverse("accounts:team", args=[world.account.slug]))
    assert world.lead_membership in page.context["core"]
    assert world.former_membership in page.context["former"]
    assert b"Remove" not in page.content  # read-only for members
