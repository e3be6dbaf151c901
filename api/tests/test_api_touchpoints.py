"""Touchpoints through the API: planned, changed and marked done as from the grid."""

from __future__ import annotations

import json

from django.test import Client

from api import tokens
from notifications.models import Notification
from tests.fixtures import World
from touchpoints.models import Touchpoint


def tp_url(w: World) -> str:
    return f"/api/accounts/{w.account.slug}/touchpoints/"


def send(client, method: str, url: str, data: dict):  # type: ignore[no-untyped-def]
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def test_a_lead_plans_a_touchpoint_and_its_owner_is_told(world: World, api_client) -> None:
    answer = send(
        api_client("lead"),
        "post",
        tp_url(world),
        {
            "contact": world.contact.pk,
            "year": 2027,
            "quarter": 1,
            "date": "2027-02-03",
            "kind": "meeting",
            "title": "Annual review",
            "owner_seat": world.membership.pk,
        },
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["owner"], body["date"], body["status"]) == (
        world.member.username,
        "2027-02-03",
        "planned",
    )
    assert Notification.objects.filter(recipient=world.member).exists()
    assert Touchpoint.objects.get(pk=body["id"]).history.get().history_user == world.lead


def test_the_grids_rules_answer_422_at_their_field(world: World, api_client) -> None:
    lead = api_client("lead")
    base = {"contact": world.contact.pk, "year": 2027, "quarter": 1, "title": "X"}
    cases = [
        ({**base, "owner_seat": world.former_membership.pk}, "owner_seat"),  # left the team
        (
            {**base, "owner_seat": world.lead_membership.pk, "contact": world.archived_contact.pk},
            "contact",
        ),
        ({**base, "owner_seat": world.lead_membership.pk, "kind": "party"}, "kind"),
        (
            {
                **base,
                "owner_seat": world.lead_membership.pk,
                "companion_seats": [world.lead_membership.pk],
            },
            "companion_seats",
        ),
    ]
    before = Touchpoint.objects.count()
    for data, field in cases:
        answer = send(lead, "post", tp_url(world), data)
        assert answer.status_code == 422, (data, answer.content)
        assert field in answer.json()["errors"], answer.json()
    assert Touchpoint.objects.count() == before


def test_the_owner_marks_their_own_done_with_its_version(world: World) -> None:
    world.touchpoint.owner = world.membership
    world.touchpoint.save()
    _row, token = tokens.issue(user=world.member, name="t")
    owner = Client(headers={"Authorization": f"Bearer {token}"})
    url = f"{tp_url(world)}{world.touchpoint.pk}/done/"
    version = Touchpoint.objects.get(pk=world.touchpoint.pk).version
    done = send(owner, "post", url, {"outcome": "Signed", "version": version})
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["outcome"]) == ("done", "Signed")
    again = send(owner, "post", url, {"outcome": "Twice", "version": version})
    assert again.status_code == 409
    # The owner may not change or delete it: that is the leads' (the grid's rule).
    change = send(owner, "patch", f"{tp_url(world)}{world.touchpoint.pk}/", {"title": "Mine"})
    assert change.status_code == 403
    assert owner.delete(f"{tp_url(world)}{world.touchpoint.pk}/").status_code == 403


def test_a_lead_changes_and_deletes(world: World, api_client) -> None:
    lead = api_client("lead")
    url = f"{tp_url(world)}{world.touchpoint.pk}/"
    version = world.touchpoint.version
    changed = send(lead, "patch", url, {"quarter": 3, "version": version})
    assert changed.status_code == 200 and changed.json()["quarter"] == 3
    assert changed.json()["title"] == "Christmas gift"  # fields not sent stay
    assert lead.delete(url).status_code == 204
    assert not Touchpoint.objects.filter(pk=world.touchpoint.pk).exists()
    assert lead.delete(url).status_code == 404
