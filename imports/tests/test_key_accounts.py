"""Key accounts from a spreadsheet (managers): create with their first lead, update in
place, change nothing twice, never change an account the importer may not edit."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AccountTeamMember, KeyAccount
from imports.models import ImportBatch
from imports.readers import read_table
from notifications.models import Notification
from tests.factories import KeyAccountFactory, TeamMemberFactory, UserFactory, role
from tests.fixtures import World
from tests.queries import page_queries

UPLOAD = reverse("imports:accounts")
GOOD = (
    "Name;Headquarters country;First lead (e-mail or user name);Industry;Classification\n"
    "Alpha Werke AG;Deutschland;lead@example.com;Chemicals;A\n"
    "Beta Logistik GmbH;AT;lead;Logistics;B: important\n"
)


def _upload(client, text: str, name: str = "accounts.csv"):  # type: ignore[no-untyped-def]
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, text.encode())})


def _preview_of(client, text: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    response = _upload(client, text)
    assert response.status_code == 302, response.content.decode()[-2000:]
    return response.url, client.get(response.url).content.decode()


def test_a_manager_imports_two_accounts_with_their_first_lead(world: World) -> None:
    client = world.client_for("manager")
    assert UPLOAD in client.get(reverse("accounts:list")).content.decode()
    url, page = _preview_of(client, GOOD)
    assert "Import 2 key accounts" in page and "/alpha-werke-ag/" in page
    assert not KeyAccount.objects.filter(name="Alpha Werke AG").exists()  # not yet
    response = client.post(url)
    assert response.url == reverse("accounts:list")
    alpha = KeyAccount.objects.get(name="Alpha Werke AG")
    assert (alpha.slug, alpha.hq_country.code, alpha.classification) == (
        "alpha-werke-ag",
        "DE",
        "A",
    )
    assert alpha.industry == "Chemicals" and alpha.attractiveness == 3
    seat = AccountTeamMember.objects.get(account=alpha)
    assert seat.user == world.lead and seat.is_lead and seat.team == "core"
    assert seat.role == role("gkam")
    assert Notification.objects.filter(
        recipient=world.lead, account=alpha, kind="added_to_team"
    ).exists()
    assert alpha.history.get().history_user == world.manager
    beta = KeyAccount.objects.get(name="Beta Logistik GmbH")
    assert beta.hq_country.code == "AT" and beta.classification == "B"
    landing = client.get(response.url).content.decode()
    assert "Imported accounts.csv: 2 new, 0 updated, 0 unchanged." in landing

    # The same file again changes nothing (the manager leads neither: no write needed).
    url, page = _preview_of(client, GOOD)
    assert "The file changes nothing" in page
    client.post(url)
    assert KeyAccount.objects.filter(name__in=["Alpha Werke AG", "Beta Logistik GmbH"]).count() == 2
    assert alpha.history.count() == 1
    batch = ImportBatch.objects.filter(kind="accounts").order_by("-pk").first()
    assert batch.unchanged == 2 and batch.rows == []


def test_one_new_account_lands_on_its_page(world: World) -> None:
    client = world.client_for("manager")
    url, _page = _preview_of(client, "Name;Country;Lead\nGamma SE;FR;lead\n")
    response = client.post(url)
    assert response.url == reverse("accounts:detail", args=["gamma-se"])


def test_a_row_for_an_account_the_importer_may_not_edit_is_a_problem(world: World) -> None:
    client = world.client_for("manager")
    name = world.account.name
    text = f"Name;Country;Lead;Industry\n{name};DE;lead;Space travel\n"
    url, page = _preview_of(client, text)
    assert f"You do not lead {name}, so the file cannot change it (Industry)." in page
    assert client.post(url).status_code == 409
    world.account.refresh_from_db()
    assert world.account.industry != "Space travel"
    # Once the manager leads it too, the same row updates it, in its history.
    TeamMemberFactory(account=world.account, user=world.manager, role=role("gkam"), is_lead=True)
    url, page = _preview_of(client, text)
    assert "Import 1 key account" in page
    client.post(url)
    world.account.refresh_from_db()
    assert world.account.industry == "Space travel"
    assert world.account.history.first().history_user == world.manager


def test_problems_are_listed_by_row_and_column(world: World) -> None:
    UserFactory(username="gone", email="gone@example.com", is_active=False)
    KeyAccountFactory(name="Twin AG", slug="twin-1")
    KeyAccountFactory(name="Twin AG", slug="twin-2")
    text = (
        "Name;Country;Lead;Lead's team role;Classification;Customer attractiveness\n"
        ";DE;lead;;;\n"  # 2: no name
        "Delta;Atlantis;lead;;;\n"  # 3
        "Epsilon;DE;nobody@example.com;;;\n"  # 4
        "Zeta;DE;gone;;;\n"  # 5
        "Eta;DE;lead;NKAM;;\n"  # 6
        "Theta;DE;lead;Astronaut;;\n"  # 7
        "Iota;DE;lead;;Z;\n"  # 8
        "Kappa;DE;lead;;;9\n"  # 9
        "Twin AG;DE;lead;;;\n"  # 10
        "Lambda;DE;lead;;;\n"  # 11
        "lambda;DE;lead;;;\n"  # 12: the same account as row 11 (same address)
    )
    _url, page = _preview_of(world.client_for("manager"), text)
    for expected in (
        "This field is required.",
        "“Atlantis” is not a country.",
        "Nobody has the e-mail or user name “nobody@example.com”.",
        "can no longer sign in and cannot lead an account.",
        "is a national role: create the account by hand to give its country.",
        "“Astronaut” is not a team role.",
        "“Z” is not a classification (A, B or C).",
        "Ensure this value is less than or equal to 5.",
        "Several key accounts are called “Twin AG”: give the short name of the one meant.",
    ):
        assert expected in page, expected
    assert not KeyAccount.objects.filter(name__in=["Lambda", "Delta"]).exists()


def test_names_that_share_an_address_get_the_next_free_one(world: World) -> None:
    client = world.client_for("manager")
    url, page = _preview_of(client, "Name;Country;Lead\nMüller AG;DE;lead\nMuller AG;DE;lead\n")
    assert "/muller-ag/" in page and "/muller-ag-2/" in page
    client.post(url)
    assert set(
        KeyAccount.objects.filter(name__endswith="ller AG").values_list("slug", flat=True)
    ) == {
        "muller-ag",
        "muller-ag-2",
    }


def test_the_same_account_twice_in_the_file_is_a_problem(world: World) -> None:
    text = "Name;Short name;Country;Lead\nOmega;omega;DE;lead\nOmega Two;omega;DE;lead\n"
    _url, page = _preview_of(world.client_for("manager"), text)
    assert "Row 2 is this account already." in page


def test_only_managers_import_key_accounts(world: World) -> None:
    for who in ("lead", "member", "outsider"):
        client = world.client_for(who)
        assert client.get(UPLOAD).status_code == 403
        assert _upload(client, GOOD).status_code == 403
        assert client.get(reverse("imports:accounts_template")).status_code == 403
    manager = world.client_for("manager")
    url, _page = _preview_of(manager, GOOD)
    other = UserFactory(username="manager2", manager=True)
    other.set_password("secret-pass-123")
    other.save()
    from django.test import Client

    second = Client()
    second.force_login(other)
    assert second.get(url).status_code == 404  # another manager's upload
    assert second.post(url).status_code == 404
    assert not KeyAccount.objects.filter(name="Alpha Werke AG").exists()


@override_settings(IMPORT_MAX_BYTES=1000)
def test_a_file_too_large_is_refused_at_the_field(world: World) -> None:
    response = _upload(world.client_for("manager"), GOOD + "x" * 2000)
    assert response.status_code in (400, 413)
    assert "larger than" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_template_reads_back_with_its_columns(world: World, language: str) -> None:
    client = world.client_for("manager")
    response = client.get(reverse("imports:accounts_template"), {"lang": language})
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[1] in ("Values", "Werte")
    table = read_table("t.xlsx", response.content)
    from imports import key_accounts

    _found, unknown, _twice = key_accounts.c.match_header(table.header, key_accounts.COLUMNS)
    assert unknown == [] and len(table.rows) == 1


def test_the_upload_page_costs_the_same_queries_for_1_and_10_imports(world: World) -> None:
    client = world.client_for("manager")
    for n in (1, 10):
        while ImportBatch.objects.filter(imported_at__isnull=False).count() < n:
            url, _page = _preview_of(client, GOOD)
            client.post(url)
        assert page_queries(client, UPLOAD) == 6


def test_the_command_previews_and_imports(world: World, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(GOOD, encoding="cp1252")
    out = io.StringIO()
    call_command("import_data", "accounts", str(path), dry_run=True, stdout=out)
    assert "2 new" in out.getvalue() and "Dry run" in out.getvalue()
    assert not KeyAccount.objects.filter(name="Alpha Werke AG").exists()
    call_command("import_data", "accounts", str(path), user="manager", stdout=out)
    assert KeyAccount.objects.get(name="Alpha Werke AG").history.get().history_user == world.manager
    with pytest.raises(CommandError, match="drop --account"):
        call_command("import_data", "accounts", str(path), account=world.account.slug)
    with pytest.raises(CommandError, match="--account SLUG is required"):
        call_command("import_data", "contacts", str(path))
