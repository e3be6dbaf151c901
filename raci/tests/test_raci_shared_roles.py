"""A role held by several people: whose scope a letter is, who else holds it (issue 13, 3)."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from accounts.models import AccountTeamMember
from raci import selectors
from raci.models import RaciAssignment, RaciTask
from tests.factories import KeyAccountFactory, TeamMemberFactory, UserFactory, role
from tests.fixtures import World
from tests.queries import page_queries

OFFERS = "National offers"


def _nkam(world: World, username: str, first: str, last: str, country: str) -> AccountTeamMember:
    user = UserFactory(username=username, first_name=first, last_name=last)
    return TeamMemberFactory(account=world.account, user=user, role=role("nkam"), country=country)


def _offers(world: World, code: str = "nkam", letters: str = "RA") -> RaciTask:
    task = RaciTask.objects.create(account=world.account, name=OFFERS, order=2)
    for letter in letters:
        RaciAssignment.objects.create(task=task, role=role(code), letter=letter)
    return task


def _html(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    return client.get(url).content.decode()


def test_each_nkam_sees_their_own_country_and_the_other(world: World) -> None:
    germany = _nkam(world, "nkam-de", "Niklas", "Kramer", "DE")
    china = _nkam(world, "nkam-cn", "Wei", "Li", "CN")
    _offers(world)
    (de,) = selectors.my_roles(germany.user)
    (cn,) = selectors.my_roles(china.user)
    assert (de.role_label, de.scope, de.sharers) == ("NKAM Germany", "Germany", "Wei Li (China)")
    assert (cn.role_label, cn.scope, cn.sharers) == (
        "NKAM China",
        "China",
        "Niklas Kramer (Germany)",
    )
    assert de.separate and not de.shared_a
    html = _html(germany.user, reverse("my_roles"))
    assert "as NKAM Germany" in html
    assert "Your scope: Germany. The same letters (R, A) also sit with Wei Li (China)" in html
    assert "You share this A" not in html


def test_the_matrix_names_the_holders_of_a_shared_role_with_their_scopes(world: World) -> None:
    _nkam(world, "nkam-de", "Niklas", "Kramer", "DE")
    _nkam(world, "nkam-cn", "Wei", "Li", "CN")
    task = _offers(world)
    matrix = selectors.matrix_for(world.account)
    (shared,) = matrix.shared
    assert shared.role == role("nkam") and shared.separate
    assert shared.people == "Niklas Kramer (Germany), Wei Li (China)"
    assert shared.tasks == [(task, ["R", "A"])]
    assert not any("separate scopes" in w for w in matrix.warnings)
    for name in ("raci:matrix", "raci:table", "raci:print"):
        html = _html(world.lead, reverse(name, args=[world.account.slug]))
        assert (
            "NKAM is held by Niklas Kramer (Germany), Wei Li (China), each for their own country"
            in html
        ), name
        assert "R, A on “National offers”" in html, name


def test_an_a_shared_without_separate_scopes_is_a_warning(world: World) -> None:
    """Two people in inside sales, neither with a country: who decides?"""
    other = TeamMemberFactory(
        account=world.account,
        user=UserFactory(username="sales2", first_name="Eva", last_name="Other"),
        role=role("inside-sales"),
    )
    _offers(world, code="inside-sales", letters="RA")
    matrix = selectors.matrix_for(world.account)
    warnings = [w for w in matrix.warnings if "without separate scopes" in w]
    assert len(warnings) == 1
    assert "“National offers”: the A sits with Inside sales" in warnings[0]
    assert "Max Member" in warnings[0] and "Eva Other" in warnings[0]
    html = _html(world.lead, reverse("raci:matrix", args=[world.account.slug]))
    assert "Inside sales is held by" in html and "without separate scopes" in html
    (mine,) = selectors.my_roles(world.member)
    assert mine.shared_a and mine.sharers == "Eva Other"
    html = _html(other.user, reverse("my_roles"))
    assert "You share this A with Max Member" in html


def test_two_nkams_for_the_same_country_share_one_a(world: World) -> None:
    _nkam(world, "nkam-de", "Niklas", "Kramer", "DE")
    _nkam(world, "nkam-de2", "Nora", "Nagel", "DE")
    _offers(world)
    assert any("without separate scopes" in w for w in selectors.matrix_for(world.account).warnings)


def test_shared_r_without_scopes_is_named_but_not_a_warning(world: World) -> None:
    TeamMemberFactory(account=world.account, role=role("inside-sales"))
    _offers(world, code="inside-sales", letters="R")
    matrix = selectors.matrix_for(world.account)
    assert len(matrix.shared) == 1
    assert not any("separate scopes" in w for w in matrix.warnings)
    html = _html(world.member, reverse("my_roles"))
    assert "You share these letters (R) with" in html


def test_one_person_for_two_countries_is_not_a_shared_role(world: World) -> None:
    user = UserFactory(username="nkam-dach", first_name="Dora", last_name="Dach")
    TeamMemberFactory(account=world.account, user=user, role=role("nkam"), country="DE")
    TeamMemberFactory(account=world.account, user=user, role=role("nkam"), country="AT")
    _offers(world)
    matrix = selectors.matrix_for(world.account)
    assert matrix.shared == []
    assert not any("separate scopes" in w for w in matrix.warnings)
    (entry,) = selectors.my_roles(user)
    assert entry.sharing == [] and entry.scope in ("Germany, Austria", "Austria, Germany")


def test_others_on_the_task_are_named_with_their_country(world: World) -> None:
    _nkam(world, "nkam-de", "Niklas", "Kramer", "DE")
    _offers(world, letters="C")
    RaciAssignment.objects.create(
        task=RaciTask.objects.get(name=OFFERS), role=role("gkam"), letter="A"
    )
    (entry,) = selectors.my_roles(world.lead)
    assert ("C", role("nkam"), "Niklas Kramer (Germany)") in entry.others
    # On the page, one item per letter and role, without a parenthesis around the
    # people (their countries have theirs) and without ";" to start a wrapped line.
    page = world.client_for("lead").get(reverse("my_roles")).content.decode()
    others = page.split("Others on this task:")[1].split("</ul>")[0]
    assert 'class="list-inline-item' in others
    assert "NKAM: Niklas Kramer (Germany)</li>" in " ".join(others.split())
    assert ";" not in others and "((" not in others and "))" not in others


def test_shared_roles_cost_no_extra_queries(world: World) -> None:
    _offers(world)
    _nkam(world, "nkam-de", "Niklas", "Kramer", "DE")
    url = reverse("raci:matrix", args=[world.account.slug])
    one = page_queries(world.client_for("lead"), url)
    mine = page_queries(world.client_for("member"), reverse("my_roles"))
    for i in range(5):
        _nkam(world, f"nkam-{i}", "Nat", f"Kam {i}", ["CN", "FR", "IT", "ES", "PL"][i])
    assert page_queries(world.client_for("lead"), url) == one
    assert page_queries(world.client_for("member"), reverse("my_roles")) == mine


def test_my_roles_has_a_section_per_account_in_name_order_in_either_language(
    world: World,
) -> None:
    """The sections come from the Jinja2 partial (raci/_my_roles_sections.jinja), its
    texts from Django's catalogue."""
    germany = _nkam(world, "nkam-de", "Niklas", "Kramer", "DE")
    _nkam(world, "nkam-cn", "Wei", "Li", "CN")
    _offers(world)
    other = KeyAccountFactory(name="Aachen Stahl", slug="aachen-stahl")
    TeamMemberFactory(account=other, user=germany.user, role=role("nkam"), country="DE")
    RaciTask.objects.create(account=other, name="Framework <contract>", order=1)
    RaciAssignment.objects.create(task=other.raci_tasks.get(), role=role("nkam"), letter="A")
    html = _html(germany.user, reverse("my_roles"))
    headings = re.findall(r'<h2 class="h5 mb-0" id="acc-(\d+)">([^<]+)</h2>', html)
    ours = world.account
    assert headings == [(str(other.pk), "Aachen Stahl"), (str(ours.pk), ours.name)]
    assert "Framework &lt;contract&gt;" in html
    assert f'href="{reverse("raci:matrix", args=[other.slug])}">Open the matrix</a>' in html
    client = Client()
    client.force_login(germany.user)
    client.cookies["django_language"] = "de"
    german = client.get(reverse("my_roles")).content.decode()
    assert ">Matrix öffnen</a>" in german
    assert "als NKAM Deutschland" in german
    assert "Ihr Zuständigkeitsbereich: Deutschland. Dieselben Buchstaben (R, A)" in german
