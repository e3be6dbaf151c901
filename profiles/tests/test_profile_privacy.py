"""Profiles are personal data: who sees which field, on every page and export.

Every field carries a unique marker; for each actor and page the test checks
which markers appear in the HTML. A colleague's colours are shown to their
teams once they opt in; motives, goals and bonus, interests and notes only to
the team (or its leads) the person shared each of them with. The person and
staff see everything; leads and managers see nothing unshared.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from profiles.models import Motive, MotiveScore, Profile, ProfileShare
from tests.factories import TeamMemberFactory, UserFactory, role
from tests.fixtures import World
from touchpoints.models import RelationshipPair

PRIVATE = {
    "goals": "GOAL-MARKER",
    "bonus": "BONUS-MARKER",
    "interests": "INTEREST-MARKER",
    "character_notes": "NOTE-MARKER",
}
# The colour shows as its label; the motive score as "+1.7".
SHARED = {"primary_colour": "Orange", "score": "+1.7"}


@pytest.fixture
def colleague(world: World):
    """A second member of the account (not a lead) with a full profile."""
    person = UserFactory(username="colleague", first_name="Carla", last_name="Colleague")
    TeamMemberFactory(account=world.account, user=person, role=role("engineering"))
    profile = Profile.objects.create(user=person, primary_colour="orange", **PRIVATE)
    MotiveScore.objects.create(
        profile=profile, motive=Motive.objects.get(code="power"), score=Decimal("1.7")
    )
    return person


def _page(world: World, actor: str, url: str) -> tuple[int, str]:
    response = world.client_for(actor).get(url)
    return response.status_code, response.content.decode()


def _assert_sees(html: str, shared: bool, private: bool) -> None:
    for marker in PRIVATE.values():
        assert (marker in html) == private, marker
    assert ("+1.7" in html) == shared
    assert ("colour-orange" in html) == shared


def _share(person, account, part: str, audience: str) -> ProfileShare:
    return ProfileShare.objects.create(user=person, account=account, part=part, audience=audience)


def _person_url(colleague) -> str:
    return reverse("profiles:person", args=[colleague.username])


@pytest.mark.parametrize(
    ("actor", "status", "shared", "private"),
    [
        ("lead", 404, False, False),  # leading her team grants nothing she did not share
        ("staff", 200, True, True),
        ("member", 404, False, False),  # not opted in
        ("manager", 404, False, False),
        ("outsider", 404, False, False),
    ],
)
def test_colleague_profile_page_by_actor(world, colleague, actor, status, shared, private):
    code, html = _page(world, actor, _person_url(colleague))
    assert code == status
    if code == 200:
        _assert_sees(html, shared, private)


def test_the_person_sees_everything_stored_about_them(world: World, colleague) -> None:
    from django.test import Client

    client = Client()
    client.force_login(colleague)
    html = client.get(_person_url(colleague)).content.decode()
    _assert_sees(html, shared=True, private=True)


def test_opting_in_to_colours_shares_colours_only(world, colleague) -> None:
    Profile.objects.filter(user=colleague).update(share_with_team=True)
    for actor in ("member", "lead"):
        code, html = _page(world, actor, _person_url(colleague))
        assert code == 200
        assert "colour-orange" in html
        assert "+1.7" not in html
        for marker in PRIVATE.values():
            assert marker not in html
    # Opting in shares with the person's teams, not with managers or outsiders.
    assert _page(world, "manager", _person_url(colleague))[0] == 404
    assert _page(world, "outsider", _person_url(colleague))[0] == 404


@pytest.mark.parametrize(
    ("part", "audience", "lead_sees", "member_sees", "markers"),
    [
        ("motives", "leads", True, False, ["+1.7"]),
        ("motives", "team", True, True, ["+1.7"]),
        ("goals", "leads", True, False, ["GOAL-MARKER", "BONUS-MARKER"]),
        ("notes", "team", True, True, ["INTEREST-MARKER", "NOTE-MARKER"]),
    ],
)
def test_each_part_is_shown_only_to_whom_the_person_shared_it_with(
    world, colleague, part, audience, lead_sees, member_sees, markers
):
    _share(colleague, world.account, part, audience)
    every = ["+1.7", *PRIVATE.values()]
    for actor, sees in (("lead", lead_sees), ("member", member_sees)):
        code, html = _page(world, actor, _person_url(colleague))
        assert code == (200 if sees else 404), actor
        for marker in every:
            assert (marker in html) == (sees and marker in markers), (actor, marker)
    assert _page(world, "manager", _person_url(colleague))[0] == 404


def test_a_share_with_another_team_does_not_reach_this_one(world, colleague) -> None:
    from tests.factories import KeyAccountFactory, TeamMemberFactory

    other = KeyAccountFactory()
    TeamMemberFactory(account=other, user=colleague, role=role("engineering"))
    _share(colleague, other, "goals", "team")
    assert _page(world, "lead", _person_url(colleague))[0] == 404


@pytest.mark.parametrize(
    ("actor", "opted_in", "shared"),
    [
        ("lead", False, False),
        ("lead", True, True),
        ("member", False, False),
        ("member", True, True),
        ("manager", False, False),
        ("manager", True, False),
    ],
)
def test_team_pages_show_colours_and_motives_only_to_whom_may_see_them(
    world, colleague, actor, opted_in, shared
):
    Profile.objects.filter(user=colleague).update(share_with_team=opted_in)
    if opted_in:
        _share(colleague, world.account, "motives", "team")
    _, team = _page(world, actor, reverse("accounts:team", args=[world.account.slug]))
    assert ("colour-orange" in team) == shared  # Carla's badge in the member list
    RelationshipPair.objects.create(
        account=world.account,
        member=colleague.team_memberships.get(),
        contact=world.contact,
    )
    _, pairs = _page(world, actor, reverse("touchpoints:relationships", args=[world.account.slug]))
    assert ("colour-orange" in pairs) == shared  # her badge in the relationship plan
    _, raci = _page(world, actor, reverse("raci:matrix", args=[world.account.slug]))
    assert ("colour-orange" in raci) == shared  # her badge under the Engineering column
    _, composition = _page(
        world, actor, reverse("accounts:team_composition", args=[world.account.slug])
    )
    assert ("+1.7" in composition) == shared  # her row in the heat map
    for html in (team, composition):
        for marker in PRIVATE.values():
            assert marker not in html


def test_leaving_the_team_ends_what_was_shared_with_it(world: World, colleague) -> None:
    from accounts import services

    _share(colleague, world.account, "goals", "leads")
    assert _page(world, "lead", _person_url(colleague))[0] == 200
    membership = colleague.team_memberships.get()
    assert services.member_remove(member=membership) == []
    assert _page(world, "lead", _person_url(colleague))[0] == 404
    assert not ProfileShare.objects.filter(user=colleague).exists()
    # Coming back starts afresh: the old share does not revive.
    services.member_restore(member=membership)
    assert _page(world, "lead", _person_url(colleague))[0] == 404


def test_contact_profile_is_for_the_account_team_only(world: World) -> None:
    profile = Profile.objects.create(
        contact=world.contact, primary_colour="blue", interests="CONTACT-INTEREST"
    )
    MotiveScore.objects.create(
        profile=profile, motive=Motive.objects.get(code="order"), score=Decimal("1.6")
    )
    url = world.contact.get_absolute_url()
    for actor, sees in (("lead", True), ("member", True), ("manager", False)):
        code, html = _page(world, actor, url)
        assert code == 200
        assert ("CONTACT-INTEREST" in html) == sees, actor
        assert ("+1.6" in html) == sees, actor
        assert ("colour-blue" in html) == sees, actor
    for name in (
        "accounts:contacts",
        "accounts:contact_tree",
        "touchpoints:grid",
        "touchpoints:relationships",
    ):
        _, html = _page(world, "manager", reverse(name, args=[world.account.slug]))
        assert "colour-blue" not in html
        _, html = _page(world, "member", reverse(name, args=[world.account.slug]))
        assert "colour-blue" in html
    assert _page(world, "outsider", url)[0] == 404


def test_export_holds_everything_about_me_and_nothing_about_others(world, colleague) -> None:
    from django.test import Client

    client = Client()
    client.force_login(colleague)
    response = client.get(reverse("my_export"))
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["user"]["username"] == "colleague"
    assert data["profile"]["goals"] == "GOAL-MARKER"
    assert data["profile"]["motives"] == {"Power": 1.7}
    assert [m["account"] for m in data["team_memberships"]] == [world.account.name]
    # Another person's export does not contain this profile.
    other = world.client_for("member").get(reverse("my_export")).content.decode()
    assert "GOAL-MARKER" not in other


@pytest.mark.parametrize("opted_in", [False, True])
def test_nobody_but_the_person_edits_a_colleague_profile(world, colleague, opted_in) -> None:
    Profile.objects.filter(user=colleague).update(share_with_team=opted_in)
    _share(colleague, world.account, "goals", "leads")
    url = reverse("profiles:person_edit", args=[colleague.username])
    for actor in ("lead", "staff"):
        client = world.client_for(actor)
        assert client.get(url).status_code == 403
        response = client.post(url, {"primary_colour": "red", "goals": "OVERWRITTEN"})
        assert response.status_code == 403
    for actor in ("member", "manager", "outsider"):
        code = world.client_for(actor).get(url).status_code
        assert code == (403 if actor == "member" and opted_in else 404), actor
    profile = Profile.objects.get(user=colleague)
    assert (profile.primary_colour, profile.goals) == ("orange", "GOAL-MARKER")


@pytest.mark.parametrize("actor", ["manager", "staff"])
def test_reviewers_get_no_colour_fit_from_contact_profiles(world, colleague, actor) -> None:
    """Fit and owner suggestions come from the contacts' colours: the team's alone."""
    Profile.objects.filter(user=colleague).update(share_with_team=True)
    Profile.objects.create(contact=world.contact, primary_colour="orange")
    uncovered = world.contact.account.contacts.create(first_name="Ulla", last_name="Uncovered")
    Profile.objects.create(contact=uncovered, primary_colour="orange")
    RelationshipPair.objects.create(
        account=world.account, member=colleague.team_memberships.get(), contact=world.contact
    )
    url = reverse("touchpoints:relationships", args=[world.account.slug])
    _, html = _page(world, "member", url)
    assert "same colour" in html and "Colours fit best" in html  # the team sees the fit
    _, html = _page(world, actor, url)
    assert "same colour" not in html
    assert "Colours fit best" not in html
    assert "colour-orange" not in html.split("Contacts without a relationship owner")[-1]
