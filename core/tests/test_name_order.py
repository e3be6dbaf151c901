"""Names in a reader's order (core.collation): "Österreich" beside "Oslo", not after
"Zeta", on PostgreSQL whatever its locale, on SQLite, and in Python."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection, connections
from django.urls import reverse

from accounts.models import KeyAccount
from core.collation import NAME_COLLATION, name_key
from tests.embedded import embedded_database
from tests.factories import ContactFactory, KeyAccountFactory, TeamMemberFactory, UserFactory, role
from tests.fixtures import World

# As a reader orders them: base letters first, then accents, then case.
ORDERED = [
    "Ábrego Minas",
    "apple GmbH",
    "Ärzteverband Nord",
    "Oslo Energi",
    "Österreichische Post",
    "Ostwind AG",
    "Zeta AG",
]
SHUFFLED = [ORDERED[i] for i in (6, 4, 1, 3, 0, 5, 2)]


# Letters without a decomposition, apostrophes, ties of accent and case: Python's
# key (and so SQLite) must order them as ICU does on PostgreSQL.
TRICKY = [
    "Zeta AG",
    "Østfold Energi",
    "Oslo Energi",
    "Österreichische Post",
    "Ostwind AG",
    "Łódź Textil",
    "Lodz Logistik",
    "Lyon Métal",
    "Ærø Shipping",
    "Aegis",
    "apple GmbH",
    "Apple GmbH",
    "Ärzteverband",
    "Müller",
    "Muller",
    "muller",
    "O’Brien Ltd",
    "O'Neill",
    "Straße 9",
    "Strasse 10",
    "Œuvre",
    "Đakovo",
]


def test_python_sorts_names_by_their_base_letters() -> None:
    assert sorted(SHUFFLED, key=name_key) == ORDERED
    assert sorted(SHUFFLED) != ORDERED  # what byte order does
    # Different names never tie: the name itself decides last.
    assert name_key("Muller") < name_key("Müller") and name_key("Müller") != name_key("muller")
    # Lower case first, as ICU has it.
    assert sorted(["Apple", "apple"], key=name_key) == ["apple", "Apple"]


def _sorted_by_database(names: list[str]) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f'SELECT x FROM unnest(%s::text[]) AS x ORDER BY x COLLATE "{NAME_COLLATION}"',
                [names],
            )
        else:
            values = " UNION ALL ".join("SELECT %s AS x" for _ in names)
            cursor.execute(f'{values} ORDER BY x COLLATE "{NAME_COLLATION}"', names)
        return [x for (x,) in cursor.fetchall()]


@pytest.mark.django_db
def test_the_database_sorts_in_the_same_order() -> None:
    assert _sorted_by_database(SHUFFLED) == ORDERED
    assert _sorted_by_database(TRICKY) == sorted(TRICKY, key=name_key)


def test_the_embedded_database_has_the_collation_on_every_connection(
    tmp_path: Path, django_db_blocker
) -> None:
    """SQLite (`make run`) knows the collation from core.apps on a new connection,
    and its name columns stay plain, so that `manage.py dbshell` and any other
    SQLite tool still read and write the file."""
    alias = "embedded_names"
    with (
        embedded_database(tmp_path / "db.sqlite3", alias),
        django_db_blocker.unblock(),
        connections[alias].cursor() as cursor,
    ):
        parameters = KeyAccount._meta.get_field("name").db_parameters(connections[alias])
        assert parameters["collation"] is None
        cursor.execute("CREATE TABLE account (name varchar(200))")
        cursor.executemany("INSERT INTO account VALUES (%s)", [(n,) for n in SHUFFLED])
        cursor.execute(f'SELECT name FROM account ORDER BY name COLLATE "{NAME_COLLATION}"')
        assert [x for (x,) in cursor.fetchall()] == ORDERED
    assert KeyAccount._meta.get_field("name").db_parameters(connection)["collation"] == (
        NAME_COLLATION if connection.vendor == "postgresql" else None
    )


@pytest.mark.django_db
def test_key_accounts_contacts_and_people_are_listed_in_a_readers_order(
    world: World,
) -> None:
    for name in SHUFFLED:
        account = KeyAccountFactory(name=name)
        TeamMemberFactory(account=account, user=world.manager, role=role("gkam"))
    names = list(KeyAccount.objects.filter(name__in=ORDERED).values_list("name", flat=True))
    assert names == ORDERED  # the column's own collation: no order_by needed to say so

    surnames = ["Zimmer", "Özdemir", "Ode", "Abel", "Ärmel"]
    for surname in surnames:
        ContactFactory(account=world.account, last_name=surname, first_name="Kim")
    listed = [
        c.last_name
        for c in world.account.contacts.filter(first_name="Kim")  # Meta.ordering
    ]
    assert listed == ["Abel", "Ärmel", "Ode", "Özdemir", "Zimmer"]
    for surname in surnames:
        UserFactory(last_name=surname, first_name="Lee")
    from users.models import User

    people = list(User.objects.filter(first_name="Lee").values_list("last_name", flat=True))
    assert people == ["Abel", "Ärmel", "Ode", "Özdemir", "Zimmer"]


@pytest.mark.django_db
def test_the_accounts_list_shows_oesterreich_beside_oslo(world: World) -> None:
    for name in SHUFFLED:
        account = KeyAccountFactory(name=name)
        TeamMemberFactory(account=account, user=world.lead, role=role("gkam"))
    html = world.client_for("lead").get(reverse("accounts:list")).content.decode()
    positions = [html.index(name.replace("&", "&amp;")) for name in ORDERED]
    assert positions == sorted(positions)
