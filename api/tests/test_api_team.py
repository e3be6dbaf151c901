"""Team seats through the API: the team form's rules, notifications, versions, removal."""

from __future__ import annotations

import json

from django.test import Client

from accounts.models import AccountTeamMember
from api import tokens
from notifications.models import Notification
from tests.factories import TeamMemberFactory, UserFactory, role
from tests.fixtures import World


def team_url(w: World) -> str:
    return f"/api/accounts/{w.account.slug}/team/"


def send(client, method: str, url: str, data: dict):  # type: ignore[no-untyped-def]
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def test_a_lead_adds_a_colleague_who_is_told(world: World, api_client) -> None:
    anna = UserFactory(username="anna")
    added = send(
        api_client("lead"),
        "post",
        team_url(world),
        {"person": "anna", "role": "nkam", "country": "DE", "responsibilities": "Germany"},
    )
    assert added.status_code == 201, added.content
    body = added.json()
    assert (body["person"]["username"], body["role"], body["country"]) == ("anna", "nkam", "DE")
    assert body["is_lead"] is True  # an NKAM always leads
    assert Notification.objects.filter(recipient=anna).exists()
    seat = AccountTeamMember.objects.get(user=anna)
    assert seat.history.get().history_user == world.lead


def test_the_team_forms_rules_answer_422_at_their_field(world: World, api_client) -> None:
    lead = api_client("lead")
    cases = [
        ({"person": "nobody", "role": "engineering"}, "person"),
        ({"person": world.member.username, "role": "chief"}, "role"),
        ({"person": world.member.username, "role": "nkam"}, "country"),
        ({"person": world.member.username, "role": "inside-sales"}, "__all__"),  # held already
    ]
    for data, field in cases:
        answer = send(lead, "post", team_url(world), data)
        assert answer.status_code == 422, (data, answer.content)
        assert field in answer.json()["errors"], (data, answer.json())
    assert world.account.team_members.active().count() == 2


def test_an_nkam_cannot_make_themselves_lead_of_more(world: World, api_client) -> None:
    nkam = UserFactory(username="nkam-de")
    TeamMemberFactory(account=world.account, user=nkam, role=role("nkam"), country="DE")
    _row, token = tokens.issue(user=nkam, name="t")
    client = Client(headers={"Authorization": f"Bearer {token}"})
    answer = send(
        client, "post", team_url(world), {"person": "nkam-de", "role": "nkam", "country": "AT"}
    )
    assert answer.status_code == 422
    assert "for your countries only" in answer.json()["errors"]["__all__"][0]


def test_a_stale_version_is_409_and_the_last_lead_stays(world: World, api_client) -> None:
    lead = api_client("lead")
    url = f"{team_url(world)}{world.membership.pk}/"
    version = world.membership.version
    assert send(lead, "patch", url, {"team": "extended", "version": version}).status_code == 200
    stale = send(lead, "patch", url, {"team": "core", "version": version})
    assert stale.status_code == 409
    last = lead.post(f"{team_url(world)}{world.lead_membership.pk}/remove/")
    assert last.status_code == 409
    assert "only lead" in last.json()["detail"]
    assert world.account.team_members.leads().exists()


def test_removing_keeps_the_former_member(world: World, api_client) -> None:
    seat = TeamMemberFactory(account=world.account, role=role("engineering"))
    lead = api_client("lead")
    answer = lead.post(f"{team_url(world)}{seat.pk}/remove/")
    assert answer.status_code == 200
    seat.refresh_from_db()
    assert seat.archived_at is not None
    listed = lead.get(team_url(world)).json()["items"]
    assert seat.pk not in [s["id"] for s in listed]
