"""Issue 13, point 18: someone on no team is pointed to the directory, not told
that there are no key accounts."""

from __future__ import annotations

from django.urls import reverse

from tests.factories import KeyAccountFactory
from tests.fixtures import World


def test_outsider_is_sent_to_the_directory_from_the_account_list(world: World) -> None:
    KeyAccountFactory.create_batch(3)
    text = world.client_for("outsider").get(reverse("accounts:list")).text
    assert "No key accounts yet" not in text
    assert "Managers create key accounts" not in text
    assert "You are not on any key account team" in text
    assert f'href="{reverse("directory")}"' in text


def test_outsider_is_told_so_even_with_a_filter(world: World) -> None:
    text = world.client_for("outsider").get(reverse("accounts:list") + "?q=nord").text
    assert "You are not on any key account team" in text


def test_home_links_people_on_no_team_to_the_directory(world: World) -> None:
    text = world.client_for("outsider").get(reverse("home")).text
    assert "You are not on any key account team yet." in text
    assert f'class="btn btn-primary" href="{reverse("directory")}"' in text
    assert f'class="btn btn-primary" href="{reverse("accounts:list")}"' not in text


def test_team_members_and_managers_keep_their_list(world: World) -> None:
    for who in ("member", "manager"):
        text = world.client_for(who).get(reverse("accounts:list")).text
        assert "Nordwind AG" in text
        assert "You are not on any key account team" not in text


def test_a_member_whose_filter_finds_nothing_is_not_sent_away(world: World) -> None:
    text = world.client_for("member").get(reverse("accounts:list") + "?q=zzz").text
    assert "No key account matches this filter." in text
    assert "You are not on any key account team" not in text
