"""The REST API: tokens, the pages' access rules, writes with versions, lists, limits."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from openapi_spec_validator import validate

from accounts.models import CustomerContact
from api import tokens
from api.models import ApiToken
from tests.factories import ContactFactory, KeyAccountFactory, TeamMemberFactory, role
from tests.fixtures import World
from tests.queries import page_queries


def contacts_url(w: World) -> str:
    return f"/api/accounts/{w.account.slug}/contacts/"


def patch(client: Client, url: str, data: dict):  # type: ignore[no-untyped-def]
    return client.patch(url, json.dumps(data), content_type="application/json")


def post(client: Client, url: str, data: dict):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(data), content_type="application/json")


def test_a_token_lists_its_owners_accounts_and_nothing_else(world: World, api_client) -> None:
    KeyAccountFactory(name="Somebody else's")
    other = TeamMemberFactory(user=world.lead).account  # the lead is on a second team
    response = api_client("lead").get("/api/accounts/")
    assert response.status_code == 200
    body = response.json()
    assert {a["slug"] for a in body["items"]} == {world.account.slug, other.slug}
    assert body["count"] == 2
    # A manager reads every account, as in the portfolio.
    assert api_client("manager").get("/api/accounts/").json()["count"] >= 3


def test_without_a_valid_token_nothing_is_answered(world: World) -> None:
    for headers in ({}, {"Authorization": "Bearer kt_forged"}, {"Authorization": "Basic x"}):
        response = Client(headers=headers).get("/api/accounts/")
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Bearer"
        assert "slug" not in response.content.decode()


def test_a_revoked_token_or_one_of_a_person_who_left_is_refused(world: World) -> None:
    row, token = tokens.issue(user=world.lead, name="sync")
    client = Client(headers={"Authorization": f"Bearer {token}"})
    assert client.get("/api/me/").json()["username"] == world.lead.username
    row.refresh_from_db()
    assert row.last_used_at is not None
    tokens.revoke(token=row)
    assert client.get("/api/me/").status_code == 401
    _row, token = tokens.issue(user=world.member, name="sync")
    world.member.is_active = False
    world.member.save()
    assert Client(headers={"Authorization": f"Bearer {token}"}).get("/api/me/").status_code == 401


def test_only_a_fingerprint_of_the_token_is_stored(world: World) -> None:
    row, token = tokens.issue(user=world.lead, name="sync")
    stored = ApiToken.objects.filter(pk=row.pk).values().get()
    assert token not in json.dumps(stored, default=str)
    assert stored["key_hash"] == tokens.digest(token) and stored["prefix"] == token[:10]


def test_outsiders_find_nothing_and_members_may_not_write(world: World, api_client) -> None:
    outsider, member = api_client("outsider"), api_client("member")
    contact_url = f"{contacts_url(world)}{world.contact.pk}/"
    for url in (f"/api/accounts/{world.account.slug}/", contacts_url(world), contact_url):
        assert outsider.get(url).status_code == 404
        assert member.get(url).status_code == 200
    assert outsider.get(f"/api/accounts/{world.account.slug}/team/").status_code == 404
    assert post(outsider, contacts_url(world), {"last_name": "X"}).status_code == 404
    refused = post(member, contacts_url(world), {"last_name": "X"})
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only the account's leads can change it."
    assert patch(member, contact_url, {"last_name": "X", "version": 1}).status_code == 403
    assert member.post(f"{contact_url}archive/").status_code == 403
    assert not CustomerContact.objects.filter(last_name="X").exists()


def test_a_lead_creates_and_changes_a_contact_with_its_history(world: World, api_client) -> None:
    lead = api_client("lead")
    created = post(
        lead,
        contacts_url(world),
        {"first_name": "Anna", "last_name": "Berger", "buying_roles": ["decider"], "country": "AT"},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["buying_roles"], body["country"], body["version"]) == (["decider"], "AT", 1)
    assert (body["attitude"], body["influence"]) == (0, 3)  # the form's defaults
    url = f"{contacts_url(world)}{body['id']}/"
    changed = patch(lead, url, {"position": "Head of purchasing", "version": 1})
    assert changed.status_code == 200, changed.content
    assert (changed.json()["position"], changed.json()["first_name"]) == (
        "Head of purchasing",
        "Anna",
    )
    assert changed.json()["version"] == 2
    contact = CustomerContact.objects.get(pk=body["id"])
    assert {record.history_user for record in contact.history.all()} == {world.lead}


def test_a_stale_version_is_refused_with_409_and_a_missing_one_with_422(
    world: World, api_client
) -> None:
    lead = api_client("lead")
    url = f"{contacts_url(world)}{world.contact.pk}/"
    version = world.contact.version
    assert patch(lead, url, {"position": "First", "version": version}).status_code == 200
    stale = patch(lead, url, {"position": "Second", "version": version})
    assert stale.status_code == 409
    assert "changed" in stale.json()["detail"]
    missing = patch(lead, url, {"position": "Third"})
    assert missing.status_code == 422
    assert "missing its version" in missing.json()["errors"]["__all__"][0]
    world.contact.refresh_from_db()
    assert world.contact.position == "First"


def test_bad_input_is_named_at_the_field_and_nothing_is_written(world: World, api_client) -> None:
    elsewhere = ContactFactory()  # a contact of another account cannot be the boss
    lead = api_client("lead")
    before = CustomerContact.objects.count()
    response = post(
        lead,
        contacts_url(world),
        {
            "last_name": "",
            "email": "not-an-address",
            "buying_roles": ["pope"],
            "influence": 9,
            "reports_to": elsewhere.pk,
            "country": "XX",
        },
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {
        "last_name",
        "email",
        "buying_roles",
        "influence",
        "reports_to",
        "country",
    }
    wrong_type = post(lead, contacts_url(world), {"last_name": ["a"], "influence": "many"})
    assert wrong_type.status_code == 422
    not_json = lead.post(contacts_url(world), "{", content_type="application/json")
    assert not_json.status_code in (400, 422)
    assert CustomerContact.objects.count() == before


def test_archiving_is_refused_while_others_report_to_the_contact(world: World, api_client) -> None:
    boss = ContactFactory(account=world.account, last_name="Boss")
    report = ContactFactory(account=world.account, last_name="Report", reports_to=boss)
    lead = api_client("lead")
    refused = lead.post(f"{contacts_url(world)}{boss.pk}/archive/")
    assert refused.status_code == 409
    assert "still reports to" in refused.json()["detail"]
    archived = lead.post(f"{contacts_url(world)}{report.pk}/archive/")
    assert archived.status_code == 200 and archived.json()["archived"] is True
    listed = lead.get(contacts_url(world), {"archived": "true"}).json()
    assert report.pk in [c["id"] for c in listed["items"]]


def test_updated_since_lists_only_what_changed(world: World, api_client) -> None:
    lead = api_client("lead")
    later = timezone.now() + timedelta(seconds=1)
    assert lead.get(contacts_url(world), {"updated_since": later.isoformat()}).json()["count"] == 0
    earlier = (timezone.now() - timedelta(days=1)).isoformat()
    assert lead.get(contacts_url(world), {"updated_since": earlier}).json()["count"] >= 1
    assert lead.get("/api/accounts/", {"updated_since": "yesterday"}).status_code == 422


def test_every_list_is_paged(world: World, api_client) -> None:
    for n in range(5):
        ContactFactory(account=world.account, last_name=f"Paged{n}")
    lead = api_client("lead")
    first = lead.get(contacts_url(world), {"page_size": 2}).json()
    assert len(first["items"]) == 2 and first["count"] >= 5
    beyond = lead.get(contacts_url(world), {"page": 1000}).json()
    assert beyond["items"] == []
    for bad in ({"page": 0}, {"page_size": 501}, {"page": 10**12}):
        assert lead.get(contacts_url(world), bad).status_code == 422


@override_settings(API_RATE_PER_MINUTE=3)
def test_a_token_is_rate_limited(world: World, api_client) -> None:
    lead, member = api_client("lead"), api_client("member")
    answers = [lead.get("/api/me/") for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert 0 < int(answers[-1]["Retry-After"]) <= 60
    assert member.get("/api/me/").status_code == 200  # another token, its own budget


def test_the_browser_session_works_and_needs_csrf_on_writes(world: World) -> None:
    session = Client(enforce_csrf_checks=True)
    session.force_login(world.lead)
    assert session.get("/api/me/").json()["username"] == world.lead.username
    assert post(session, contacts_url(world), {"last_name": "Y"}).status_code in (401, 403)
    assert not CustomerContact.objects.filter(last_name="Y").exists()


def test_only_managers_and_leads_look_colleagues_up_and_see_no_addresses(
    world: World, api_client
) -> None:
    refused = api_client("member").get("/api/users/")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only managers and account leads look colleagues up."
    people = api_client("lead").get("/api/users/", {"page_size": 500}).json()["items"]
    assert world.outsider.username in {p["username"] for p in people}
    assert all(set(p) == {"username", "first_name", "last_name"} for p in people)


def test_the_team_is_listed_with_roles_and_leads(world: World, api_client) -> None:
    body = api_client("member").get(f"/api/accounts/{world.account.slug}/team/").json()
    seats = {(s["person"]["username"], s["role"], s["is_lead"]) for s in body["items"]}
    assert (world.lead.username, "gkam", True) in seats
    assert (world.member.username, "inside-sales", False) in seats
    assert world.former_membership.user.username not in {s[0] for s in seats}


def test_the_openapi_document_validates(world: World) -> None:
    client = Client()
    client.force_login(world.member)
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert {"/api/accounts/", "/api/accounts/{slug}/contacts/{contact_id}/"} <= set(
        document["paths"]
    )
    assert Client().get("/api/openapi.json").status_code == 302  # a page: signed in only
    # A program gets the same document from the command the README names.
    out = io.StringIO()
    call_command("export_openapi_schema", "--api", "api.urls_api.api", stdout=out)
    assert json.loads(out.getvalue())["paths"] == document["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
    # The intranet has no internet: every script and style comes from our own static files.
    # (Not a search for "cdn": the page's random CSRF token may spell it.)
    sources = re.findall(r'(?:src|href)="([^"]+)"', docs.content.decode())
    assert sources and all(source.startswith("/static/") for source in sources), sources


@pytest.mark.parametrize(
    "path, grow",
    [
        ("/api/accounts/", lambda w: TeamMemberFactory(user=w.lead, role=role("gkam"))),
        ("/api/accounts/{slug}/contacts/", lambda w: ContactFactory(account=w.account)),
        ("/api/accounts/{slug}/team/", lambda w: TeamMemberFactory(account=w.account)),
        ("/api/users/", lambda w: TeamMemberFactory(account=w.account)),
    ],
)
def test_lists_cost_the_same_queries_at_two_sizes(world: World, api_client, path, grow) -> None:
    client = api_client("lead")
    url = path.format(slug=world.account.slug)
    small = page_queries(client, url)
    for _ in range(20):
        grow(world)
    assert page_queries(client, url) == small
    assert small <= 6
