"""The API's authorization matrix: every operation of the OpenAPI document, every actor.

The same rules as the pages (tests/test_authorization_matrix.py): outsiders find
nothing (404), read-only members and managers may not write (403), anonymous
callers are asked for a token (401). A refused write changes nothing. An
operation without an entry in ROUTES fails `test_every_api_operation_has_a_sample`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client

from api.urls_api import api
from raci.models import RaciAssignment
from tests.factories import (
    ContactFactory,
    RevenueActualFactory,
    TeamMemberFactory,
    UserFactory,
    role,
)
from tests.fixtures import World
from tests.snapshot import database_snapshot

ANY = "any"  # everyone with a token
READ = "read"  # the account's readers; outsiders 404
WRITE = "write"  # the account's leads; members and managers 403; outsiders 404
CHOOSERS = "choosers"  # managers and leads (the people picker's users); others 403

EXPECTED: dict[str, dict[str, int]] = {
    "outsider": {ANY: 200, READ: 404, WRITE: 404, CHOOSERS: 403},
    "member": {ANY: 200, READ: 200, WRITE: 403, CHOOSERS: 403},
    "manager": {ANY: 200, READ: 200, WRITE: 403, CHOOSERS: 200},
}
ACTORS = ["outsider", "member", "manager", "lead"]


@dataclass
class Sample:
    kind: str
    kwargs: Callable[[World], dict[str, object]]
    body: Callable[[World], dict[str, object]] = lambda w: {}
    lead_status: int = 200


def _slug(w: World) -> dict[str, object]:
    return {"slug": w.account.slug}


def _contact(w: World) -> dict[str, object]:
    return {"slug": w.account.slug, "contact_id": w.contact.pk}


def _lone_contact(w: World) -> dict[str, object]:
    """A contact nobody reports to, so archiving it goes through."""
    contact = ContactFactory(account=w.account, last_name="Lone")
    return {"slug": w.account.slug, "contact_id": contact.pk}


def _seat(w: World) -> dict[str, object]:
    return {"slug": w.account.slug, "seat_id": w.membership.pk}


def _removable_seat(w: World) -> dict[str, object]:
    seat = TeamMemberFactory(account=w.account, role=role("engineering"))
    return {"slug": w.account.slug, "seat_id": seat.pk}


def _new_seat(w: World) -> dict[str, object]:
    return {"person": UserFactory(username="matrix-seat").username, "role": "engineering"}


def _revenue(w: World) -> dict[str, object]:
    actual = w.account.revenue_actuals.first() or RevenueActualFactory(account=w.account)
    return {"slug": w.account.slug, "revenue_id": actual.pk}


def _revenue_change(w: World) -> dict[str, object]:
    return {"amount": "123.00", "version": w.account.revenue_actuals.first().version}


def _touchpoint(w: World) -> dict[str, object]:
    return {"slug": w.account.slug, "touchpoint_id": w.touchpoint.pk}


def _new_touchpoint(w: World) -> dict[str, object]:
    return {
        "contact": w.contact.pk,
        "year": 2026,
        "quarter": 2,
        "title": "Matrix visit",
        "owner_seat": w.membership.pk,
    }


def _task(w: World) -> dict[str, object]:
    return {"slug": w.account.slug, "task_id": w.raci_task.pk}


def _held_letter(w: World) -> dict[str, object]:
    RaciAssignment.objects.get_or_create(task=w.raci_task, role=role("gkam"), letter="R")
    return {"slug": w.account.slug, "task_id": w.raci_task.pk, "role": "gkam", "letter": "R"}


ROUTES: dict[tuple[str, str], Sample] = {
    ("get", "/api/accounts/"): Sample(ANY, lambda w: {}),
    ("get", "/api/accounts/{slug}/"): Sample(READ, _slug),
    ("get", "/api/accounts/{slug}/team/"): Sample(READ, _slug),
    ("post", "/api/accounts/{slug}/team/"): Sample(WRITE, _slug, _new_seat, 201),
    ("patch", "/api/accounts/{slug}/team/{seat_id}/"): Sample(
        WRITE, _seat, lambda w: {"team": "extended", "version": w.membership.version}
    ),
    ("post", "/api/accounts/{slug}/team/{seat_id}/remove/"): Sample(WRITE, _removable_seat),
    ("get", "/api/accounts/{slug}/contacts/"): Sample(READ, _slug),
    ("post", "/api/accounts/{slug}/contacts/"): Sample(
        WRITE, _slug, lambda w: {"last_name": "Matrix"}, 201
    ),
    ("get", "/api/accounts/{slug}/contacts/{contact_id}/"): Sample(READ, _contact),
    ("patch", "/api/accounts/{slug}/contacts/{contact_id}/"): Sample(
        WRITE, _contact, lambda w: {"position": "Matrix", "version": w.contact.version}
    ),
    ("post", "/api/accounts/{slug}/contacts/{contact_id}/archive/"): Sample(WRITE, _lone_contact),
    ("get", "/api/accounts/{slug}/plans/"): Sample(READ, _slug),
    ("get", "/api/accounts/{slug}/raci/"): Sample(READ, _slug),
    ("get", "/api/accounts/{slug}/touchpoints/"): Sample(READ, _slug),
    ("get", "/api/accounts/{slug}/revenue/"): Sample(READ, _slug),
    ("post", "/api/accounts/{slug}/revenue/"): Sample(
        WRITE, _slug, lambda w: {"year": 2001, "amount": "1.00"}, 201
    ),
    ("patch", "/api/accounts/{slug}/revenue/{revenue_id}/"): Sample(
        WRITE, _revenue, _revenue_change
    ),
    ("post", "/api/accounts/{slug}/touchpoints/"): Sample(WRITE, _slug, _new_touchpoint, 201),
    ("patch", "/api/accounts/{slug}/touchpoints/{touchpoint_id}/"): Sample(
        WRITE, _touchpoint, lambda w: {"title": "Matrix", "version": w.touchpoint.version}
    ),
    ("post", "/api/accounts/{slug}/touchpoints/{touchpoint_id}/done/"): Sample(
        WRITE, _touchpoint, lambda w: {"outcome": "Went well", "version": w.touchpoint.version}
    ),
    ("delete", "/api/accounts/{slug}/touchpoints/{touchpoint_id}/"): Sample(
        WRITE, _touchpoint, lead_status=204
    ),
    ("put", "/api/accounts/{slug}/raci/{task_id}/letters/"): Sample(
        WRITE, _task, lambda w: {"role": "gkam", "letter": "A"}
    ),
    ("delete", "/api/accounts/{slug}/raci/{task_id}/letters/{role}/{letter}/"): Sample(
        WRITE, _held_letter
    ),
    ("get", "/api/me/"): Sample(ANY, lambda w: {}),
    ("get", "/api/users/"): Sample(CHOOSERS, lambda w: {}),
}
OPERATIONS = sorted(ROUTES)


def _operations() -> set[tuple[str, str]]:
    document = api.get_openapi_schema()
    return {(method, path) for path, item in document["paths"].items() for method in item}


def _request(world: World, path: str, sample: Sample) -> tuple[str, str]:
    """The URL and body (a sample may create the row it points at: before a snapshot)."""
    return path.format(**sample.kwargs(world)), json.dumps(sample.body(world))


def _call(client: Client, method: str, url: str, body: str):  # type: ignore[no-untyped-def]
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, body, content_type="application/json")


def test_every_api_operation_has_a_sample() -> None:
    operations = _operations()
    assert not operations - set(ROUTES), f"add to ROUTES: {operations - set(ROUTES)}"
    assert not set(ROUTES) - operations, f"no longer in the API: {set(ROUTES) - operations}"


@pytest.mark.parametrize("method, path", OPERATIONS)
def test_anonymous_callers_are_asked_for_a_token(world: World, method: str, path: str) -> None:
    url, body = _request(world, path, ROUTES[(method, path)])
    before = database_snapshot()
    response = _call(Client(), method, url, body)
    assert response.status_code == 401
    assert database_snapshot() == before


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("method, path", OPERATIONS)
def test_as(world: World, api_client, method: str, path: str, actor: str) -> None:
    sample = ROUTES[(method, path)]
    client = api_client(actor)
    client.get("/api/me/")  # the token's first use is recorded: before the snapshot
    url, body = _request(world, path, sample)
    before = database_snapshot()
    response = _call(client, method, url, body)
    if actor == "lead":
        expected = sample.lead_status if sample.kind == WRITE else 200
        assert response.status_code == expected, response.content[:500]
        return
    assert response.status_code == EXPECTED[actor][sample.kind], response.content[:500]
    if sample.kind == WRITE:
        assert database_snapshot() == before
