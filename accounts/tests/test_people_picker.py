"""People pickers (users/pickers.py): the <select> without JavaScript, the
suggestions behind the type-ahead, who may ask for them, and what they cost."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import KeyAccount
from core.spelling import spellings
from tests.factories import TeamMemberFactory, UserFactory, role
from tests.fixtures import World
from tests.queries import page_queries
from tests.snapshot import database_snapshot
from users.pickers import active_people
from users.suggestions import _candidates, suggest

PICK = reverse("people_pick")


def _options(page: str, name: str) -> dict[str, str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no <select name={name}>"
    return {
        v: html.unescape(label)
        for v, label in re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>', select[1])
    }


def _pick(client: Client, q: str, account: str = "") -> list[dict[str, str]]:
    response = client.get(PICK, {"q": q, **({"account": account} if account else {})})
    assert response.status_code == 200, response.content[:300]
    assert response["Cache-Control"] == "private, no-store"
    return response.json()["results"]


@pytest.fixture
def people(db: None) -> dict[str, object]:
    return {
        "mueller": UserFactory(username="jmueller", first_name="Jürgen", last_name="Müller"),
        "muller": UserFactory(username="amuller", first_name="Anna", last_name="Muller"),
        "gone": UserFactory(username="kmueller", first_name="Karl", last_name="Müller"),
        "double": UserFactory(username="alena", first_name="Anna-Lena", last_name="Öztürk"),
        "upper": UserFactory(username="uebel", first_name="Ulla", last_name="Übel"),
    }


@pytest.fixture
def gone(people: dict[str, object]) -> object:
    person = people["gone"]
    person.is_active = False
    person.save()
    return person


def test_folds_spell_umlauts_both_ways() -> None:
    assert spellings("Müller") == ("mueller", "muller")
    assert spellings("Straße") == ("strasse", "strasse")


@pytest.mark.parametrize("query", ["mue", "Mueller", "muller", "Mül", "müller", "jürgen mü"])
def test_umlauts_are_found_however_they_are_typed(people, gone, query: str) -> None:
    found = {p.username for p in suggest(active_people(), query)}
    assert "jmueller" in found
    assert "kmueller" not in found  # deactivated


def test_suggestions_match_word_prefixes_of_any_name(people) -> None:
    assert {p.username for p in suggest(active_people(), "lena")} == {"alena"}
    assert {p.username for p in suggest(active_people(), "oez")} == {"alena"}
    assert {p.username for p in suggest(active_people(), "übel")} == {"uebel"}
    assert {p.username for p in suggest(active_people(), "ULLA Üb")} == {"uebel"}
    assert {p.username for p in suggest(active_people(), "amul")} == {"amuller"}
    assert {p.username for p in suggest(active_people(), "Jürgen Müller (jmueller)")} == {
        "jmueller"
    }
    assert suggest(active_people(), "ller") == []  # a prefix, not anywhere in the name
    assert suggest(active_people(), "  ") == []


def test_suggestions_stop_at_twenty(db: None) -> None:
    for n in range(25):
        UserFactory(username=f"sch{n}", first_name="Max", last_name=f"Schmidt{n:02}")
    assert len(suggest(active_people(), "schm")) == 20


def test_lead_searches_for_a_team_seat(world: World, people, gone) -> None:
    client = world.client_for("lead")
    results = _pick(client, "müller", world.account.slug)
    ours = {str(p.pk) for p in people.values()}  # the world's users have Faker's names
    assert [r["label"] for r in results if r["value"] in ours] == ["Jürgen Müller (jmueller)"]
    assert set(results[0]) == {"value", "label", "hint"}  # nothing beyond what the form shows
    # A person may hold a second seat (an NKAM for another country): members are marked.
    mine = _pick(client, world.member.username, world.account.slug)
    assert mine[0]["hint"] == "already on the team"


def test_manager_searches_for_a_first_lead(world: World, people) -> None:
    found = _pick(world.client_for("manager"), "mue")
    # Among this test's people: the world's own have Faker's names, which may
    # match too ("Brad Mueller", the manager, once sorted first).
    ours = {str(p.pk) for p in people.values()}
    first = next(r["value"] for r in found if r["value"] in ours)
    assert first == str(people["mueller"].pk), found


@pytest.mark.parametrize(
    ("actor", "account", "status"),
    [
        ("outsider", True, 404),  # must not learn that the account exists
        ("member", True, 403),  # reads the account, cannot add to its team
        ("manager", True, 403),
        ("lead", True, 200),
        ("lead", False, 403),  # outside an account: only managers choose
        ("outsider", False, 403),
        ("manager", False, 200),
    ],
)
def test_who_may_ask(world: World, actor: str, account: bool, status: int) -> None:
    params = {"q": "us", **({"account": world.account.slug} if account else {})}
    assert world.client_for(actor).get(PICK, params).status_code == status


def test_unknown_account_is_404_and_a_long_query_no_error(world: World) -> None:
    client = world.client_for("lead")
    assert client.get(PICK, {"q": "us", "account": "nope"}).status_code == 404
    assert _pick(client, "ü" * 5000, world.account.slug) == []
    assert client.post(PICK, {"q": "us"}).status_code == 405


def test_suggestions_cost_no_more_for_300_colleagues_than_for_5(world: World) -> None:
    """One query per tier of names (users.suggestions.suggest): three while the surnames
    fall short of the twenty suggestions, one once they fill them, at any size."""
    client = world.client_for("lead")
    url = f"{PICK}?q=mu&account={world.account.slug}"
    for n in range(5):
        UserFactory(first_name="Mia", last_name=f"Mustermann{n}")
    small = page_queries(client, url)
    for n in range(300):
        UserFactory(first_name="Mia", last_name=f"Musterfrau{n}")
    assert page_queries(client, url) == small - 2


def test_team_seat_select_holds_every_active_colleague(world: World, people, gone) -> None:
    page = world.client_for("lead").get(reverse("accounts:member_add", args=[world.account.slug]))
    options = _options(page.text, "user")
    assert options.pop("") == "---------"
    assert options[str(people["mueller"].pk)] == "Jürgen Müller (jmueller)"
    assert str(gone.pk) not in options
    assert str(world.outsider.pk) in options
    select = re.search(r"<select[^>]*name=\"user\"[^>]*>", page.text)[0]
    assert 'data-people-picker="single"' in select
    assert f'data-picker-url="{PICK}?account={world.account.slug}"' in select
    assert 'class="select form-select"' in select or "form-select" in select


def test_the_select_lists_people_as_a_phone_book_does(world: World) -> None:
    """By last name, umlauts beside their plain letter, case aside, whatever the
    database's collation sorts them in (users.pickers.people_order)."""
    for username, first, last in [
        ("zb", "Bea", "Zeller"),
        ("ae", "Eva", "Ähler"),
        ("ad", "Dora", "adler"),
        ("ab", "Ben", "Adler"),
        ("ba", "Anna", "Bauer"),
    ]:
        UserFactory(username=username, first_name=first, last_name=last)
    page = world.client_for("lead").get(reverse("accounts:member_add", args=[world.account.slug]))
    mine = ("(zb)", "(ae)", "(ad)", "(ab)", "(ba)")
    labels = [label for label in _options(page.text, "user").values() if label.endswith(mine)]
    assert labels == [
        "Ben Adler (ab)",
        "Dora adler (ad)",
        "Eva Ähler (ae)",
        "Anna Bauer (ba)",
        "Bea Zeller (zb)",
    ]


def test_the_list_reads_no_more_than_one_over_its_cap(world: World, short_list) -> None:
    """Above LIST_MAX the database stops at LIST_MAX + 1 people instead of
    sorting the whole directory (the SQL has the limit and no ORDER BY)."""
    UserFactory.create_batch(5)
    client = world.client_for("lead")
    url = reverse("accounts:member_add", args=[world.account.slug])
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    listing = [
        q["sql"]
        for q in captured.captured_queries
        if '"first_name"' in q["sql"] and "LIMIT 4" in q["sql"]
    ]
    assert len(listing) == 1, [q["sql"] for q in captured.captured_queries]
    assert "ORDER BY" not in listing[0]


def test_team_seat_page_costs_the_same_for_5_and_300_colleagues(world: World) -> None:
    client = world.client_for("lead")
    url = reverse("accounts:member_add", args=[world.account.slug])
    UserFactory.create_batch(5)
    small = page_queries(client, url)
    UserFactory.create_batch(300)
    assert page_queries(client, url) == small


def test_posting_the_select_adds_the_person_without_javascript(world: World, people) -> None:
    response = world.client_for("lead").post(
        reverse("accounts:member_add", args=[world.account.slug]),
        {"user": people["mueller"].pk, "role": role("engineering").pk, "team": "extended"},
    )
    assert response.status_code == 302
    assert world.account.team_members.active().filter(user=people["mueller"]).exists()


def test_a_crafted_id_of_a_deactivated_colleague_is_refused(world: World, gone) -> None:
    client = world.client_for("lead")
    before = database_snapshot()
    response = client.post(
        reverse("accounts:member_add", args=[world.account.slug]),
        {"user": gone.pk, "role": role("engineering").pk, "team": "extended"},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.context["form"].errors["user"][0]
    assert database_snapshot() == before


@pytest.mark.parametrize("typed", ["mu\x00eller", "x" * 300])
def test_a_typed_name_no_account_can_hold_is_refused_at_the_field(world: World, typed) -> None:
    """A NUL (PostgreSQL refuses the query itself) or an overlong name: the field's
    message, nothing written. Found by tests/test_fuzz.py."""
    before = database_snapshot()
    response = world.client_for("lead").post(
        reverse("accounts:member_add", args=[world.account.slug]),
        {"user": typed, "role": role("engineering").pk, "team": "extended"},
    )
    assert response.status_code == 400
    assert "Nobody who can be chosen here" in response.context["form"].errors["user"][0]
    assert "\x00" not in response.content.decode()
    assert database_snapshot() == before


def test_editing_a_seat_writes_only_its_person(world: World) -> None:
    UserFactory.create_batch(3)
    page = world.client_for("lead").get(
        reverse("accounts:member_edit", args=[world.account.slug, world.membership.pk])
    )
    options = _options(page.text, "user")
    assert list(options) == ["", str(world.member.pk)]


def test_first_lead_select_offers_active_colleagues(world: World, people, gone) -> None:
    page = world.client_for("manager").get(reverse("accounts:create"))
    options = _options(page.text, "first_lead")
    assert str(people["double"].pk) in options and str(gone.pk) not in options
    assert f'data-picker-url="{PICK}"' in page.text


def test_team_pickers_filter_the_team_in_the_page(world: World) -> None:
    """Owner, relationship, participants, thanks: a short list, the team's own."""
    TeamMemberFactory(account=world.account, role=role("engineering"))
    client = world.client_for("lead")
    slug = world.account.slug
    for url, name, kind in [
        (reverse("touchpoints:relationship_create", args=[slug]), "member", "single"),
        (reverse("touchpoints:meeting_create", args=[slug]), "participants", "multiple"),
        (reverse("coaching:thanks_create", args=[slug]), "member", "single"),
    ]:
        page = client.get(url)
        assert page.status_code == 200, url
        select = re.search(rf'<select[^>]*name="{name}"[^>]*>', page.text)[0]
        assert f'data-people-picker="{kind}"' in select and "data-picker-url" not in select
    outsider = world.outsider.display_name
    assert outsider not in _options(page.text, "member").values()


def test_one_string_select_writes_what_django_writes() -> None:
    """The team seat's country list, written in one string: the same options, the same choice."""
    from accounts.models import AccountTeamMember
    from core.widgets import OneStringSelect

    field = AccountTeamMember._meta.get_field("country")
    fast, plain = field.formfield(widget=OneStringSelect), field.formfield()
    for value in (None, "", "DE"):
        ours = fast.widget.render("country", value, {"id": "id_country"})
        django = plain.widget.render("country", value, {"id": "id_country"})
        option = r"<option[^>]*>[^<]*</option>"
        assert re.findall(option, ours) == re.findall(option, django)


def test_the_cached_add_form_shows_a_new_colleague_at_once(world: World, people) -> None:
    """The fresh form and its 3,257 options are kept in the cache (core.pages.form_page,
    users.pickers.PersonSelect) under the counters of what they show: a new, renamed
    or deactivated colleague shows at the next view."""
    client = world.client_for("lead")
    url = reverse("accounts:member_add", args=[world.account.slug])
    assert str(people["mueller"].pk) in _options(client.get(url).text, "user")
    newcomer = UserFactory(username="neu", first_name="Nora", last_name="Neu")
    people["mueller"].is_active = False
    people["mueller"].save()
    options = _options(client.get(url).text, "user")
    assert options[str(newcomer.pk)] == "Nora Neu (neu)"
    assert str(people["mueller"].pk) not in options


def test_a_refused_post_keeps_the_chosen_person_selected(world: World, people) -> None:
    """A bound form is never the cached one: its errors and its choice are shown."""
    client = world.client_for("lead")
    url = reverse("accounts:member_add", args=[world.account.slug])
    client.get(url)  # the fresh form is in the cache now
    response = client.post(url, {"user": people["muller"].pk, "team": "extended"})
    assert response.status_code == 400
    assert response.context["form"].errors["role"]
    chosen = re.findall(r'<option value="(\d+)" selected>', response.text)
    assert chosen == [str(people["muller"].pk)]


@pytest.mark.django_db
def test_the_name_search_uses_its_trigram_index_on_postgresql(people) -> None:
    """users/migrations/0004 indexes the expression suggest() filters on; a change to
    either must keep them equal, or every keystroke scans all colleagues again."""
    if connection.vendor != "postgresql":
        pytest.skip("the trigram index is PostgreSQL's")
    sql, params = _candidates(active_people(), ["mue"]).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # On a table of a few rows any index over the active people is the cheapest
        # way to list them all, the search's name-order btrees (search/migrations/0004)
        # too; the contract here is that the trigram index serves this filter. The
        # test's transaction is rolled back, indexes and all.
        cursor.execute(
            "DROP INDEX search_profiles_user_last_first, search_profiles_user_first_last"
        )
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "users_picker_names_trgm" in plan, plan


# A company directory: above LIST_MAX people the <select> holds only the chosen one.


@pytest.fixture
def short_list(monkeypatch) -> None:
    """LIST_MAX of 3, so that a handful of colleagues is a company directory."""
    monkeypatch.setattr("users.pickers.LIST_MAX", 3)


def test_a_long_list_holds_only_the_chosen_person(world: World, people, short_list) -> None:
    url = reverse("accounts:member_add", args=[world.account.slug])
    page = world.client_for("lead").get(url).text
    assert _options(page, "user") == {"": "---------"}
    select = re.search(r"<select[^>]*name=\"user\"[^>]*>", page)[0]
    assert f'data-picker-url="{PICK}?account={world.account.slug}"' in select
    # Without JavaScript: a text field for a user name or an e-mail address.
    typed = re.search(r"<noscript>.*?</noscript>", page, re.S)[0]
    assert 'name="user__typed"' in typed and "Or type a user name or an e-mail address" in typed
    # The type-ahead still finds everyone.
    assert [r["label"] for r in _pick(world.client_for("lead"), "jürg", world.account.slug)] == [
        "Jürgen Müller (jmueller)"
    ]


def test_a_long_list_takes_a_typed_user_name_or_e_mail(world: World, people, short_list) -> None:
    client = world.client_for("lead")
    url = reverse("accounts:member_add", args=[world.account.slug])
    engineering = role("engineering").pk
    typed = {"user__typed": "JMUELLER", "role": engineering, "team": "extended"}
    response = client.post(url, typed)
    assert response.status_code == 302
    assert world.account.team_members.active().filter(user=people["mueller"]).exists()
    people["double"].email = "anna-lena@example.com"
    people["double"].save()
    typed = {"user__typed": "anna-lena@example.com", "role": engineering, "team": "core"}
    assert client.post(url, typed).status_code == 302
    assert world.account.team_members.active().filter(user=people["double"]).exists()


def test_a_long_list_refuses_a_name_nobody_active_has(world: World, people, gone, short_list):
    client = world.client_for("lead")
    url = reverse("accounts:member_add", args=[world.account.slug])
    before = database_snapshot()
    for text in ("nobody-here", gone.username):
        response = client.post(
            url, {"user__typed": text, "role": role("engineering").pk, "team": "extended"}
        )
        assert response.status_code == 400
        assert response.context["form"].errors["user"] == [
            f"Nobody who can be chosen here has the user name or e-mail address “{text}”."
        ]
    assert database_snapshot() == before


def test_a_refused_post_keeps_the_chosen_person_in_a_long_list(
    world: World, people, short_list
) -> None:
    response = world.client_for("lead").post(
        reverse("accounts:member_add", args=[world.account.slug]),
        {"user": people["mueller"].pk, "role": "", "team": "extended"},
    )
    assert response.status_code == 400
    options = _options(response.text, "user")
    assert options == {"": "---------", str(people["mueller"].pk): "Jürgen Müller (jmueller)"}
    assert f'<option value="{people["mueller"].pk}" selected>' in response.text


def test_a_long_list_costs_the_same_for_5_and_300_colleagues(world: World, short_list) -> None:
    client = world.client_for("lead")
    url = reverse("accounts:member_add", args=[world.account.slug])
    UserFactory.create_batch(5)
    small = page_queries(client, url)
    UserFactory.create_batch(300)
    assert page_queries(client, url) == small
    assert len(client.get(url).content) < 60_000


@pytest.mark.parametrize("typed", ["²", "١٢", "1" * 25])
def test_digits_int_cannot_read_get_the_fields_message(world: World, typed: str) -> None:
    """str.isdigit() takes "²" and Arabic-Indic digits, which int() refuses: the
    fuzz test's server error on accounts/new. Ids are read with core.params.int_param."""
    before = KeyAccount.objects.count()
    response = world.client_for("manager").post(
        reverse("accounts:create"), {"name": "Zeta AG", "first_lead": typed}
    )
    assert response.status_code == 400  # the form again, with its messages
    assert "Nobody who can be chosen here" in response.context["form"].errors["first_lead"][0]
    assert KeyAccount.objects.count() == before
