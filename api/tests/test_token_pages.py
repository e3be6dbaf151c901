"""A person's API tokens in their profile: create (shown once), list, revoke."""

from __future__ import annotations

import re

from django.test import Client, override_settings
from django.urls import reverse

from api import tokens
from api.models import ApiToken
from tests.fixtures import World
from tests.queries import page_queries

LIST = "/me/api-tokens/"


def test_a_new_token_is_shown_once_and_then_only_its_beginning(world: World) -> None:
    client = world.client_for("lead")
    assert "You have no API tokens." in client.get(LIST).content.decode()
    created = client.post(LIST, {"name": "CRM sync"})
    assert created.status_code == 201
    shown = re.search(r'id="new-token"[^>]*>(kt_[^<]+)</textarea>', created.content.decode())
    token = shown.group(1)
    assert "it is shown only this once" in created.content.decode()
    assert "no-store" in created["Cache-Control"]
    row = ApiToken.objects.get(user=world.lead)
    assert row.key_hash == tokens.digest(token)
    listed = client.get(LIST).content.decode()
    assert token not in listed and f"{row.prefix}…" in listed and "CRM sync" in listed
    me = Client(headers={"Authorization": f"Bearer {token}"}).get("/api/me/")
    assert me.json()["username"] == world.lead.username


def test_a_name_is_required_and_used_once_and_tokens_are_limited(world: World) -> None:
    client = world.client_for("lead")
    empty = client.post(LIST, {"name": ""})
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()
    client.post(LIST, {"name": "CRM"})
    twice = client.post(LIST, {"name": "CRM"})
    assert twice.status_code == 400
    assert "You have an active token of this name already." in twice.content.decode()
    with override_settings(API_TOKENS_PER_PERSON=2):
        assert client.post(LIST, {"name": "ERP"}).status_code == 201
        full = client.post(LIST, {"name": "BI"})
        assert full.status_code == 400
        assert "You have 2 tokens; revoke one you no longer use first." in full.content.decode()
    assert ApiToken.objects.filter(user=world.lead).count() == 2


def test_revoking_asks_first_and_keeps_the_record(world: World) -> None:
    row, token = tokens.issue(user=world.lead, name="CRM")
    client = world.client_for("lead")
    url = reverse("tokens:revoke", args=[row.pk])
    assert "Revoke CRM?" in client.get(url).content.decode()
    done = client.post(url, follow=True)
    assert "CRM (kt_" in done.content.decode() and "is revoked" in done.content.decode()
    row.refresh_from_db()
    assert row.revoked_at is not None
    assert "revoked" in client.get(LIST).content.decode()
    assert client.get(url).status_code == 404  # revoked: nothing left to revoke
    assert Client(headers={"Authorization": f"Bearer {token}"}).get("/api/me/").status_code == 401
    # The name is free again for a new token.
    assert client.post(LIST, {"name": "CRM"}).status_code == 201


def test_nobody_else_sees_or_revokes_a_token(world: World) -> None:
    row, _token = tokens.issue(user=world.lead, name="Lena's sync")
    url = reverse("tokens:revoke", args=[row.pk])
    for who in ("member", "manager", "outsider", "staff"):
        client = world.client_for(who)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
        assert "Lena&#x27;s sync" not in client.get(LIST).content.decode()
    assert "Lena&#x27;s sync" in world.client_for("lead").get(LIST).content.decode()
    row.refresh_from_db()
    assert row.revoked_at is None


def test_the_token_page_costs_the_same_queries_with_1_and_10_tokens(world: World) -> None:
    client = world.client_for("lead")
    tokens.issue(user=world.lead, name="first")
    small = page_queries(client, LIST)
    for n in range(9):
        row, _token = tokens.issue(user=world.lead, name=f"t{n}")
        if n % 2:
            tokens.revoke(token=row)
    assert page_queries(client, LIST) == small


def test_the_personal_export_names_tokens_without_their_secret(world: World) -> None:
    from api.exports import personal_sections

    row, token = tokens.issue(user=world.lead, name="CRM")
    tokens.revoke(token=row)
    exported = personal_sections(world.lead)["api_tokens"]
    assert [(t["name"], t["begins_with"]) for t in exported] == [("CRM", token[:10])]
    assert exported[0]["revoked_at"] is not None
    assert token not in str(exported) and row.key_hash not in str(exported)
    assert personal_sections(world.member) == {"api_tokens": []}
