"""The preview of a contacts file and its import: matching, problems, idempotence, history."""

from __future__ import annotations

import pytest

from accounts.models import CustomerContact
from imports import contacts, writing
from imports.readers import Table
from tests.factories import ContactFactory, KeyAccountFactory
from tests.fixtures import World

HEADER = ["CRM id", "First name", "Last name", "Buying-centre roles", "Attitude", "Reports to"]


def table(*rows: list[str], header: list[str] = HEADER) -> Table:
    return Table(header=header, rows=[(n, list(row)) for n, row in enumerate(rows, start=2)])


def problems(result: contacts.Preview) -> list[tuple[int | None, str, str]]:
    return [(p.row, p.column, p.message) for p in result.problems]


def run(world: World, data: Table) -> contacts.Preview:
    result = contacts.preview(world.account, data)
    assert result.ok, problems(result)
    writing.apply(world.account, result, world.lead)
    return result


def test_new_contacts_come_with_their_org_tree_and_roles(world: World) -> None:
    result = run(
        world,
        table(
            ["C-2", "Bea", "Boss", "decider, Einkäufer", "supporter", ""],
            ["C-3", "Carl", "Clerk", "user", "-1", "C-2"],
            ["", "Dora", "Deputy", "", "", "Bea Boss"],
        ),
    )
    assert [row.action for row in result.rows] == ["create"] * 3
    boss = CustomerContact.objects.get(account=world.account, crm_id="C-2")
    assert {r.code for r in boss.buying_roles.all()} == {"decider", "buyer"}
    assert boss.attitude == 2
    clerk = CustomerContact.objects.get(crm_id="C-3")
    assert clerk.reports_to == boss and clerk.attitude == -1
    assert CustomerContact.objects.get(last_name="Deputy").reports_to == boss


def test_a_boss_listed_after_the_report_is_created_first(world: World) -> None:
    run(world, table(["C-3", "Carl", "Clerk", "", "", "C-2"], ["C-2", "Bea", "Boss", "", "", ""]))
    assert CustomerContact.objects.get(crm_id="C-3").reports_to.crm_id == "C-2"


def test_the_same_file_twice_changes_nothing_and_a_correction_updates_in_place(
    world: World,
) -> None:
    rows = [
        ["C-2", "Bea", "Boss", "decider", "supporter", ""],
        ["C-3", "Carl", "Clerk", "", "", "C-2"],
    ]
    run(world, table(*rows))
    versions = dict(CustomerContact.objects.values_list("crm_id", "version"))
    again = run(world, table(*rows))
    assert [row.action for row in again.rows] == ["unchanged", "unchanged"]
    assert dict(CustomerContact.objects.values_list("crm_id", "version")) == versions
    corrected = run(world, table(["C-2", "Beate", "Boss", "decider", "supporter", ""], rows[1]))
    assert [row.action for row in corrected.rows] == ["update", "unchanged"]
    assert corrected.rows[0].changes == ["First name"]
    assert CustomerContact.objects.filter(crm_id="C-2").get().first_name == "Beate"
    assert CustomerContact.objects.filter(account=world.account, last_name="Boss").count() == 1


def test_without_a_crm_id_a_contact_is_matched_by_name_and_gets_the_id(world: World) -> None:
    # world.contact is Max Müller, without a CRM id.
    result = run(world, table(["C-9", "max", "MÜLLER", "", "", ""]))
    assert result.rows[0].action == "update"
    world.contact.refresh_from_db()
    assert world.contact.crm_id == "C-9"
    assert world.contact.first_name == "max"


def test_imported_changes_are_in_the_history_under_the_importer(world: World) -> None:
    run(world, table(["C-2", "Bea", "Boss", "", "", ""]))
    run(world, table(["C-2", "Beate", "Boss", "", "", ""]))
    records = CustomerContact.history.filter(crm_id="C-2").order_by("history_date")
    assert [r.history_user for r in records] == [world.lead, world.lead]
    assert [r.first_name for r in records] == ["Bea", "Beate"]


def test_german_headers_are_understood(world: World) -> None:
    header = ["CRM-ID", "Vorname", "Nachname", "Haltung", "Einfluss (1–5)", "Land", "E-Mail"]
    run(
        world,
        table(
            ["C-5", "Eva", "Eck", "Unterstützer", "5", "Deutschland", "eva@example.com"],
            header=header,
        ),
    )
    eva = CustomerContact.objects.get(crm_id="C-5")
    assert (eva.attitude, eva.influence, eva.country.code, eva.email) == (
        2,
        5,
        "DE",
        "eva@example.com",
    )


def test_a_column_not_in_the_file_is_left_alone(world: World) -> None:
    world.contact.position = "CPO"
    world.contact.save()
    run(world, table(["Max", "Müller"], header=["First name", "Last name"]))
    world.contact.refresh_from_db()
    assert world.contact.position == "CPO"


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (["C-2", "Bea", "", "", "", ""], "Last name", "last name is missing"),
        (
            ["C-2", "Bea", "Boss", "chief", "", ""],
            "Buying-centre roles",
            "“chief” is not a buying-centre role",
        ),
        (["C-2", "Bea", "Boss", "", "angry", ""], "Attitude", "not an attitude"),
        (["C-2", "Bea", "Boss", "", "7", ""], "Attitude", "not an attitude"),
        (["C-2", "Bea", "Boss", "", "", "Nobody Known"], "Reports to", "No contact “Nobody Known”"),
        (["C-2", "Bea", "Boss", "", "", "C-2"], "Reports to", "cannot report to themselves"),
        (["x" * 65, "Bea", "Boss", "", "", ""], "CRM id", "At most 64 characters"),
    ],
)
def test_a_bad_cell_is_a_problem_at_its_row_and_column(
    world: World, row: list[str], column: str, words: str
) -> None:
    result = contacts.preview(world.account, table(row))
    assert [(p.row, p.column) for p in result.problems] == [(2, column)]
    assert words in result.problems[0].message


def test_bad_values_of_the_other_columns(world: World) -> None:
    header = ["Last name", "E-mail", "Influence (1–5)", "Country"]
    result = contacts.preview(world.account, table(["Eck", "eva@", "9", "Atlantis"], header=header))
    assert [p.column for p in result.problems] == ["E-mail", "Country", "Influence (1–5)"]


def test_a_loop_of_bosses_is_a_problem_and_nothing_is_written(world: World) -> None:
    before = CustomerContact.objects.count()
    result = contacts.preview(
        world.account,
        table(
            ["A", "", "Ann", "", "", "B"],
            ["B", "", "Ben", "", "", "C"],
            ["C", "", "Cid", "", "", "A"],
        ),
    )
    assert [p.row for p in result.problems] == [2, 3, 4]
    assert all("loop" in p.message for p in result.problems)
    assert not result.ok
    with pytest.raises(AssertionError):
        writing.apply(world.account, result, world.lead)
    assert CustomerContact.objects.count() == before


def test_a_loop_through_an_existing_contact_is_found(world: World) -> None:
    boss = ContactFactory(account=world.account, crm_id="B", last_name="Boss")
    world.contact.crm_id, world.contact.reports_to = "M", boss
    world.contact.save()
    result = contacts.preview(world.account, table(["B", "", "Boss", "", "", "M"]))
    assert "loop" in result.problems[0].message


def test_the_same_contact_twice_in_a_file_is_a_problem(world: World) -> None:
    result = contacts.preview(
        world.account,
        table(
            ["C-2", "Bea", "Boss", "", "", ""],
            ["c-2", "B.", "Boss", "", "", ""],
            ["", "Al", "X", "", "", ""],
            ["", "al", "x", "", "", ""],
        ),
    )
    assert problems(result) == [
        (3, "CRM id", "Row 2 is this contact already."),
        (5, "Last name", "Row 4 is this contact already."),
    ]


def test_namesakes_without_a_crm_id_cannot_be_told_apart(world: World) -> None:
    ContactFactory(account=world.account, first_name="Max", last_name="Müller")
    result = contacts.preview(world.account, table(["", "Max", "Müller", "", "", ""]))
    assert "Several contacts are called Max Müller" in result.problems[0].message


def test_an_archived_contact_is_not_updated(world: World) -> None:
    world.archived_contact.crm_id = "OLD"
    world.archived_contact.save()
    result = contacts.preview(world.account, table(["OLD", "", "Gone", "", "", ""]))
    assert "is archived; restore the contact first" in result.problems[0].message


def test_contacts_of_another_account_are_never_matched(world: World) -> None:
    other = ContactFactory(account=KeyAccountFactory(), crm_id="C-2", last_name="Boss")
    result = run(world, table(["C-2", "", "Boss", "", "", ""]))
    assert result.rows[0].action == "create"
    other.refresh_from_db()
    assert other.version == 1


def test_a_file_without_a_last_name_column_and_unknown_columns(world: World) -> None:
    result = contacts.preview(world.account, table(["x", "y"], header=["Vorname", "Shoe size"]))
    assert problems(result) == [(None, "Last name", "The file has no column for the last name.")]
    assert result.ignored == ["Shoe size"]


def test_a_new_contacts_one_history_record_holds_its_roles(world: World) -> None:
    run(world, table(["C-2", "Bea", "Boss", "decider, buyer", "", ""]))
    [record] = CustomerContact.history.filter(crm_id="C-2")
    assert (record.history_type, record.history_user) == ("+", world.lead)
    assert {r.buyingcentrerole.code for r in record.buying_roles.all()} == {"buyer", "decider"}
    run(world, table(["C-2", "Bea", "Boss", "decider", "", ""]))
    newest = CustomerContact.history.filter(crm_id="C-2").latest("history_date")
    assert {r.buyingcentrerole.code for r in newest.buying_roles.all()} == {"decider"}
    assert newest.history_user == world.lead


def test_cached_pages_of_the_account_see_the_new_contacts(world: World) -> None:
    from django.db import transaction

    from core import fragments

    scope = fragments.account_scope(world.account.pk)
    before = fragments.read_counters([scope]).get(scope, 0)
    with transaction.atomic():
        result = contacts.preview(world.account, table(["C-2", "Bea", "Boss", "", "", ""]))
        writing.apply(world.account, result, world.lead)
    assert fragments.read_counters([scope])[scope] > before


def test_an_empty_crm_id_cell_keeps_the_contacts_key(world: World) -> None:
    world.contact.crm_id = "C-9"
    world.contact.save()
    result = run(world, table(["", "Max", "Müller", "", "supporter", ""]))
    assert result.rows[0].changes == ["Attitude"]
    world.contact.refresh_from_db()
    assert (world.contact.crm_id, world.contact.attitude) == ("C-9", 2)


def test_a_long_chain_and_a_loop_at_its_end_are_read_in_linear_time(world: World) -> None:
    # 5,000 rows, each reporting to the next; the last three form a loop.
    n = 5000
    rows = [[f"K{i}", "", f"N{i}", "", "", f"K{i + 1}"] for i in range(n)]
    rows[-1][5] = f"K{n - 3}"
    result = contacts.preview(world.account, table(*rows))
    assert [p.row for p in result.problems] == [n - 1, n, n + 1]
    assert all("loop" in p.message for p in result.problems)
