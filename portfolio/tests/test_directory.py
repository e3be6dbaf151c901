"""The key account directory: every employee sees the accounts and their KAMs, nothing more."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services as account_services
from accounts.models import KeyAccount, PlanRevenueTarget
from portfolio.models import PlanReview
from raci.models import RaciTask
from tests.factories import ContactFactory, KeyAccountFactory, TeamMemberFactory, UserFactory, role
from tests.fixtures import World
from tests.queries import page_queries
from touchpoints.models import Touchpoint

DIRECTORY = reverse("directory")


def _names(response) -> list[str]:
    """Account names in the directory's first column, in order."""
    cells = re.findall(r'<td class="fw-semibold">(.*?)</td>', response.text)
    return [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in cells]


@pytest.fixture
def secrets(world: World) -> list[str]:
    """Team-internal details of the world's account, each a string found nowhere else."""
    account = world.account
    account.revenue_actuals.update(amount=Decimal("9876543"))
    PlanRevenueTarget.objects.create(plan=world.plan, year=2026, amount=Decimal("8765432"))
    account.description = "Descriptio Confidentialis Okapi"
    account.save()
    contact = ContactFactory(account=account, first_name="Zacharias", last_name="Geheimkontakt")
    RaciTask.objects.create(account=account, name="Geheimaufgabe Xylophon")
    Touchpoint.objects.create(
        account=account,
        contact=contact,
        year=2026,
        quarter=3,
        title="Geheimes Abendessen Quitte",
        owner=world.lead_membership,
    )
    world.plan.strategy = "Geheimstrategie Quokka"
    world.plan.account_profile = "Profilus Secretus Narwhal"
    world.plan.save()
    PlanReview.objects.create(
        plan=world.plan, reviewed_by=world.manager, comment="Reviewus Secretus Tapir"
    )
    return [
        "Zacharias",
        "Geheimkontakt",
        world.contact.last_name,  # Müller
        "Geheimaufgabe Xylophon",
        world.raci_task.name,  # Framework contract
        "Geheimes Abendessen Quitte",
        world.touchpoint.title,  # Christmas gift
        "Geheimstrategie Quokka",
        "Profilus Secretus Narwhal",
        "Descriptio Confidentialis Okapi",
        "Reviewus Secretus Tapir",
        world.meeting.purpose,  # Sales meeting
        "9876543",
        "9,876,543",
        "9.876.543",
        "8765432",
        "8,765,432",
        "8.765.432",
    ]


@pytest.fixture
def others(world: World) -> dict[str, KeyAccount]:
    kam = UserFactory(username="kam", first_name="Karla", last_name="Kampmann")
    beta = KeyAccountFactory(name="Beta Pharma", classification="B", industry="Pharmaceuticals")
    TeamMemberFactory(account=beta, user=kam, role=role("gkam"))
    gamma = KeyAccountFactory(name="Gamma Bau", classification="C", industry="Construction")
    archived = KeyAccountFactory(name="Zombie Archiv AG", classification="A")
    account_services.account_archive(account=archived)
    return {"beta": beta, "gamma": gamma, "archived": archived}


def test_everyone_sees_every_active_account_with_classification_and_kam(
    world: World, others
) -> None:
    response = world.client_for("outsider").get(DIRECTORY)
    assert response.status_code == 200
    assert _names(response) == ["Nordwind AG", "Beta Pharma", "Gamma Bau"]  # by class, name
    text = html.unescape(response.text)
    assert "Lena Lead" in text and "Karla Kampmann" in text
    assert "A: strategic" in text and "B: important" in text and "C: developing" in text
    assert "Pharmaceuticals" in text
    assert "Zombie Archiv AG" not in text
    assert "3 accounts" in text


def test_directory_shows_nothing_team_internal(world: World, others, secrets) -> None:
    for who in ("outsider", "member", "lead", "manager"):
        text = html.unescape(world.client_for(who).get(DIRECTORY).text)
        assert "Nordwind AG" in text
        leaked = [s for s in secrets if s in text]
        assert leaked == [], f"{who} sees {leaked}"
    # the team's read-only member is not a KAM: others do not learn they are on the team
    outsider = html.unescape(world.client_for("outsider").get(DIRECTORY).text)
    assert world.member.display_name not in outsider


def test_outsider_gets_no_link_into_any_workspace(world: World, others) -> None:
    response = world.client_for("outsider").get(DIRECTORY)
    for account in (world.account, others["beta"], others["gamma"]):
        assert f'href="{account.get_absolute_url()}"' not in response.text
    assert world.client_for("outsider").get(world.account.get_absolute_url()).status_code == 404


def test_member_gets_a_link_to_their_own_account_only(world: World, others) -> None:
    response = world.client_for("member").get(DIRECTORY)
    assert f'href="{world.account.get_absolute_url()}"' in response.text
    assert f'href="{others["beta"].get_absolute_url()}"' not in response.text


def test_manager_gets_a_link_to_every_account(world: World, others) -> None:
    response = world.client_for("manager").get(DIRECTORY)
    for account in (world.account, others["beta"], others["gamma"]):
        assert f'href="{account.get_absolute_url()}"' in response.text


def test_former_member_gets_no_link(world: World) -> None:
    client = Client()
    client.force_login(world.former_membership.user)
    assert f'href="{world.account.get_absolute_url()}"' not in client.get(DIRECTORY).text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=beta", ["Beta Pharma"]),
        ("q=PHARMA", ["Beta Pharma"]),  # industry, any case
        ("q=construction", ["Gamma Bau"]),
        ("q=zombie", []),  # archived
        ("classification=C", ["Gamma Bau"]),
        ("classification=A", ["Nordwind AG"]),
        ("classification=A&q=beta", []),
        ("classification=Z", ["Nordwind AG", "Beta Pharma", "Gamma Bau"]),  # unknown: ignored
        ("q=%25", []),  # a literal percent sign, not a wildcard
        ("page=999", ["Nordwind AG", "Beta Pharma", "Gamma Bau"]),
        ("page=abc", ["Nordwind AG", "Beta Pharma", "Gamma Bau"]),
    ],
)
def test_directory_search_and_classification_filter(
    world: World, others, query: str, expected: list[str]
) -> None:
    response = world.client_for("outsider").get(f"{DIRECTORY}?{query}")
    assert response.status_code == 200
    assert _names(response) == expected
    if not expected:
        assert "No key account matches this search." in response.text


@pytest.mark.parametrize("url", [DIRECTORY, "/accounts/", "/accounts/nordwind/touchpoints/"])
def test_nul_byte_in_the_query_string_is_a_clear_bad_request(world: World, url: str) -> None:
    response = world.client_for("lead").get(f"{url}?q=nord%00wind")
    assert response.status_code == 400
    assert "not allowed" in response.text


def test_directory_needs_a_login(world: World) -> None:
    response = Client().get(DIRECTORY)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_directory_is_read_only(world: World) -> None:
    assert world.client_for("outsider").post(DIRECTORY).status_code == 405


def test_directory_pages_through_many_accounts(world: World) -> None:
    KeyAccountFactory.create_batch(30, classification="B")  # after Nordwind (A)
    client = world.client_for("outsider")
    first = client.get(DIRECTORY)
    assert len(_names(first)) == 25 and _names(first)[0] == "Nordwind AG"
    last = client.get(f"{DIRECTORY}?page=2")
    assert len(_names(last)) == 6
    assert "Page 2 of 2" in last.text


def _count(client: Client) -> int:
    return page_queries(client, DIRECTORY)


def _grow(n: int, member) -> None:
    for _ in range(n):
        account = KeyAccountFactory()
        TeamMemberFactory(account=account, role=role("gkam"))
        TeamMemberFactory(account=account, role=role("nkam"), country="FR")
        TeamMemberFactory(account=account, user=member)


@pytest.mark.parametrize("who", ["outsider", "member", "manager"])
def test_directory_queries_do_not_grow_with_accounts(db: None, who: str) -> None:
    """1 account, then 25 (a full page), each with two KAMs."""
    user = UserFactory(username=who, manager=who == "manager")
    client = Client()
    client.force_login(user)
    _grow(1, user if who == "member" else UserFactory())
    small = _count(client)
    _grow(24, user if who == "member" else UserFactory())
    assert KeyAccount.objects.active().count() == 25
    large = _count(client)
    assert small == large, f"{small} queries with 1 account, {large} with 25"
    assert large == 9  # with the unread count of the top bar's bell (notifications)
