"""A person finds only what they may open, actor by actor (tests/fixtures.py World).

Everyone finds active accounts by name, as the directory shows them; only the
team (and managers, staff) find an account's contacts, RACI tasks,
touchpoints and plan text, and only the team's accounts open from a hit.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import KeyAccount
from raci.models import RaciTask
from tests.factories import ContactFactory, KeyAccountFactory, TeamMemberFactory, UserFactory, role
from tests.fixtures import World


@pytest.fixture
def zephyr(world: World) -> KeyAccount:
    """Zephyr text in Nordwind (the world's account) and in a second account nobody here is on."""
    world.plan.swot_strengths = "A loyal Zephyr customer base"
    world.plan.save()
    world.touchpoint.outcome = "Zephyrs liked the gift"
    world.touchpoint.save()
    world.raci_task.description = "Zephyr framework for all countries"
    world.raci_task.save()
    other = KeyAccountFactory(name="Zephyr Werke GmbH", slug="zephyr")
    TeamMemberFactory(account=other, user=UserFactory(username="zkam"), role=role("gkam"))
    ContactFactory(account=other, first_name="Zora", last_name="Zephyrine")
    RaciTask.objects.create(account=other, name="Zephyr secret task")
    return other


def _search(world: World, who: str, text: str, name: str = "search") -> str:
    response = world.client_for(who).get(reverse(name), {"q": text})
    assert response.status_code == 200
    return response.content.decode()


def _kinds(html: str) -> set[str]:
    kinds = ("accounts", "contacts", "colleagues", "tasks", "touchpoints", "plans")
    return {kind for kind in kinds if f'id="group-{kind}"' in html}


@pytest.mark.parametrize("who", ["lead", "member"])
def test_team_finds_its_accounts_work_and_only_the_directory_of_others(
    world: World, zephyr: KeyAccount, who: str
) -> None:
    html = _search(world, who, "zephyr")
    assert _kinds(html) == {"accounts", "tasks", "touchpoints", "plans"}
    assert reverse("raci:matrix", args=["nordwind"]) in html
    assert reverse("accounts:plan_detail", args=["nordwind", world.plan.pk]) in html
    assert "Zephyr secret task" not in html
    assert "Zephyrine" not in html
    # The other account: its directory entry, not its workspace.
    assert "/directory/?q=Zephyr+Werke+GmbH" in html
    assert 'href="/accounts/zephyr/' not in html


@pytest.mark.parametrize("who", ["manager", "staff"])
def test_managers_find_every_accounts_work(world: World, zephyr: KeyAccount, who: str) -> None:
    html = _search(world, who, "zephyr")
    assert _kinds(html) == {"accounts", "contacts", "tasks", "touchpoints", "plans"}
    assert "<mark>Zephyr</mark> secret task" in html
    assert "<mark>Zephyr</mark>ine" in html
    assert 'href="/accounts/zephyr/"' in html


def test_outsider_finds_accounts_only_as_the_directory_shows_them(
    world: World, zephyr: KeyAccount
) -> None:
    html = _search(world, "outsider", "zephyr")
    assert _kinds(html) == {"accounts"}
    assert "/directory/?q=Zephyr+Werke+GmbH" in html
    assert "/accounts/" not in html.split('id="group-accounts"')[1]
    # The directory shows the KAMs: so does the hit.
    assert "directory entry" in html


@pytest.mark.parametrize("who", ["outsider", "member"])
def test_contacts_stay_with_the_team(world: World, who: str) -> None:
    html = _search(world, who, "Müller")
    contact_url = reverse("accounts:contact_detail", args=["nordwind", world.contact.pk])
    assert (contact_url in html) is (who == "member")


def test_archived_contacts_are_not_found(world: World) -> None:
    world.archived_contact.last_name = "Quaxley"
    world.archived_contact.save()
    assert "Quaxley" not in _search(world, "lead", "quaxley")


def test_archived_account_is_found_by_its_team_not_by_outsiders(world: World) -> None:
    world.account.status = KeyAccount.Status.ARCHIVED
    world.account.save()
    assert 'href="/accounts/nordwind/"' in _search(world, "lead", "nordwind")
    assert "Nordwind" not in _search(world, "outsider", "nordwind").split("</form>")[-1]


def test_colleagues_are_found_by_name_and_open_only_what_they_shared(world: World) -> None:
    html = _search(world, "outsider", "lena")
    assert _kinds(html) == {"colleagues"}
    # Lena shared nothing: her e-mail, not her profile page.
    assert "mailto:lead@example.com" in html
    assert reverse("profiles:person", args=["lead"]) not in html
    # Her own profile is hers to open.
    assert reverse("profiles:person", args=["lead"]) in _search(world, "lead", "lena")


def test_suggestions_follow_the_same_rules(world: World, zephyr: KeyAccount) -> None:
    html = _search(world, "outsider", "zephyr", "search_suggest")
    assert 'role="listbox"' in html
    assert "Zephyrine" not in html and "secret task" not in html
    assert "/directory/?q=Zephyr+Werke+GmbH" in html
    lead_html = _search(world, "lead", "zephyr", "search_suggest")
    assert reverse("raci:matrix", args=["nordwind"]) in lead_html


def test_anonymous_is_sent_to_the_login(world: World) -> None:
    for name in ("search", "search_suggest"):
        response = world.client_for(None).get(reverse(name), {"q": "nordwind"})
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_suggestions_leave_long_text_to_the_results_page(world: World) -> None:
    """The type-ahead asks names only; plan text and touchpoints wait for the page."""
    world.plan.swot_strengths = "A loyal Quokkaland customer base"
    world.plan.save()
    world.touchpoint.outcome = "Quokkaland liked the gift"
    world.touchpoint.save()
    suggestions = _search(world, "lead", "quokkaland", "search_suggest")
    assert "loyal" not in suggestions and "gift" not in suggestions
    assert "Search plan text and touchpoints too" in suggestions
    assert "/search/?q=quokkaland" in suggestions
    page = _search(world, "lead", "quokkaland")
    assert _kinds(page) == {"touchpoints", "plans"}


def test_a_plan_hit_names_its_field_as_the_language_writes_it(world: World) -> None:
    """capitalize() lowered the rest of the label: "Account-profil" for "Account-Profil"."""
    world.plan.account_profile = "Zephyr supplier since 1990"
    world.plan.save()
    client = world.client_for("lead")
    client.cookies["django_language"] = "de"
    html = client.get(reverse("search"), {"q": "zephyr"}).content.decode()
    assert "Account-Profil" in html and "Account-profil" not in html
