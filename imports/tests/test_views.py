"""Importing contacts in the browser: who may, the two steps, bad files, the template."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from accounts.models import CustomerContact
from imports.models import ImportBatch
from imports.readers import read_table
from tests.factories import ContactFactory, TeamMemberFactory, UserFactory, role
from tests.fixtures import World
from tests.queries import page_queries

GOOD = "CRM id;First name;Last name;Reports to\nC-1;Bea;Boss;\nC-2;Carl;Clerk;C-1\n"


def upload_url(w: World) -> str:
    return reverse("imports:contacts", args=[w.account.slug])


def upload(client, w: World, text: str, name: str = "contacts.csv"):  # type: ignore[no-untyped-def]
    return client.post(upload_url(w), {"file": SimpleUploadedFile(name, text.encode())})


def test_a_lead_uploads_sees_the_preview_and_confirms(world: World) -> None:
    client = world.client_for("lead")
    page = client.get(reverse("accounts:contacts", args=[world.account.slug]))
    assert upload_url(world) in page.content.decode()
    response = upload(client, world, GOOD)
    batch = ImportBatch.objects.get()
    assert response.url == reverse("imports:preview", args=[world.account.slug, batch.pk])
    preview = client.get(response.url)
    text = preview.content.decode()
    assert "Import 2 contacts" in text and "Bea Boss" in text
    assert not CustomerContact.objects.filter(crm_id__in=["C-1", "C-2"]).exists()  # not yet
    done = client.post(response.url, follow=True)
    assert "2 new, 0 updated, 0 unchanged" in done.content.decode()
    assert CustomerContact.objects.get(crm_id="C-2").reports_to.crm_id == "C-1"
    batch.refresh_from_db()
    assert (batch.created, batch.rows) == (2, [])  # the rows themselves are not kept
    again = client.post(response.url)
    assert again.status_code == 404  # imported: no longer a pending upload
    assert "contacts.csv" in client.get(upload_url(world)).content.decode()


def test_problems_are_listed_by_row_and_column_and_nothing_can_be_confirmed(world: World) -> None:
    client = world.client_for("lead")
    response = upload(client, world, "Last name;Attitude\nBoss;furious\n")
    page = client.get(response.url)
    text = page.content.decode()
    assert "“furious” is not an attitude from -3 to 3." in text
    assert "Upload the corrected file" in text and "Import 1 contact" not in text
    confirm = client.post(response.url)
    assert confirm.status_code == 409
    assert not CustomerContact.objects.filter(last_name="Boss").exists()


def test_a_change_since_the_preview_stops_the_import(world: World) -> None:
    client = world.client_for("lead")
    response = upload(client, world, "First name;Last name;Position\nMax;Müller;CTO\n")
    assert "Import 1 contact" in client.get(response.url).content.decode()
    ContactFactory(account=world.account, first_name="Max", last_name="Müller")  # a namesake
    confirm = client.post(response.url)
    assert confirm.status_code == 409
    assert "Nothing was imported" in confirm.content.decode()
    assert not CustomerContact.objects.filter(position="CTO").exists()


def test_a_contact_saved_in_a_form_during_the_import_stops_it(world: World, monkeypatch) -> None:
    from core.concurrency import VersionConflict
    from imports import writing

    def conflict(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise VersionConflict

    client = world.client_for("lead")
    response = upload(client, world, "First name;Last name;Position\nMax;Müller;CTO\nNew;Person;\n")
    monkeypatch.setattr(writing, "save_versioned", conflict)
    confirm = client.post(response.url)
    assert confirm.status_code == 409
    assert "changed by someone else during the import" in confirm.content.decode()
    assert not CustomerContact.objects.filter(last_name="Person").exists()  # rolled back
    monkeypatch.undo()
    assert client.post(response.url).status_code == 302
    assert CustomerContact.objects.filter(last_name="Person").exists()


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("a.csv", b"", "The submitted file is empty."),
        ("a.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "password-protected"),
        ("a.csv", b"\x00\x01\x02binary", "not a spreadsheet"),
        ("a.csv", b"Last name\n", "no rows to import"),
        # Past the binary check's first 4,096 bytes: refused with its line, not stored.
        (
            "a.csv",
            b"First name,Last name,Notes\nA,B," + b"x" * 5000 + b"\nC,D\x00E,note\n",
            "Line 3 of the file holds a NUL character",
        ),
    ],
)
def test_a_bad_file_is_refused_at_the_field(
    world: World, name: str, data: bytes, words: str
) -> None:
    response = world.client_for("lead").post(
        upload_url(world), {"file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not ImportBatch.objects.exists()


@override_settings(IMPORT_MAX_BYTES=1000)
def test_a_file_too_large_is_refused_before_it_is_read(world: World) -> None:
    client = world.client_for("lead")
    big = SimpleUploadedFile("big.csv", b"Last name\n" + b"x\n" * 40_000)
    response = client.post(upload_url(world), {"file": big})
    assert response.status_code == 413
    assert "The file is larger than 1000" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_templates_carry_either_languages_columns_and_import_as_they_are(world: World) -> None:
    client = world.client_for("lead")
    url = reverse("imports:contacts_template", args=[world.account.slug])
    english = client.get(url + "?lang=en")
    assert english["Content-Disposition"] == 'attachment; filename="contacts-template.xlsx"'
    german = client.get(url + "?lang=de")
    header = read_table("t.xlsx", german.content).header
    assert header[:3] == ["CRM-ID", "Vorname", "Nachname"]
    assert read_table("t.xlsx", english.content).header[:3] == ["CRM id", "First name", "Last name"]
    response = client.post(
        upload_url(world), {"file": SimpleUploadedFile("t.xlsx", german.content)}
    )
    client.post(response.url)
    anna = CustomerContact.objects.get(crm_id="CRM-4711")
    assert (anna.last_name, anna.influence, anna.attitude) == ("Berger", 4, 2)


def test_a_new_upload_replaces_the_persons_pending_one(world: World) -> None:
    client = world.client_for("lead")
    upload(client, world, GOOD)
    upload(client, world, GOOD)
    assert ImportBatch.objects.count() == 1


@pytest.mark.parametrize("who", ["member", "manager"])
def test_only_leads_import(world: World, who: str) -> None:
    client = world.client_for(who)
    assert client.get(upload_url(world)).status_code == 403
    assert upload(client, world, GOOD).status_code == 403
    contacts_page = client.get(reverse("accounts:contacts", args=[world.account.slug]))
    assert upload_url(world) not in contacts_page.content.decode()  # not offered
    assert not ImportBatch.objects.exists()


def test_outsiders_find_nothing_and_another_lead_not_the_pending_upload(world: World) -> None:
    upload(world.client_for("lead"), world, GOOD)
    batch = ImportBatch.objects.get()
    preview = reverse("imports:preview", args=[world.account.slug, batch.pk])
    assert world.client_for("outsider").get(upload_url(world)).status_code == 404
    assert world.client_for("outsider").post(preview).status_code == 404
    other_lead = UserFactory()
    TeamMemberFactory(account=world.account, user=other_lead, role=role("gkam"))
    client = world.client_for(None)
    client.force_login(other_lead)
    assert client.get(preview).status_code == 404
    assert client.post(preview).status_code == 404
    assert not CustomerContact.objects.filter(crm_id="C-1").exists()


def _grow(world: World, n: int) -> str:
    rows = "".join(f"C-{i};Name{i};Last{i};C-0\n" for i in range(1, n + 1))
    client = world.client_for("lead")
    response = upload(
        client, world, "CRM id;First name;Last name;Reports to\nC-0;Top;Boss;\n" + rows
    )
    return response.url


def test_the_preview_costs_the_same_queries_for_1_and_50_rows(world: World) -> None:
    client = world.client_for("lead")
    # session, viewer, seats, the upload, the account's contacts with their roles
    # (their reporting lines come with them), the bell, the navigation's manager check,
    # the cache counters
    small = page_queries(client, _grow(world, 1))
    for i in range(5):
        ContactFactory(account=world.account, crm_id=f"C-{i}")  # some to update
    large = page_queries(client, _grow(world, 50))
    assert small == large == 9


def test_the_upload_page_costs_the_same_queries_for_1_and_10_imports(world: World) -> None:
    client = world.client_for("lead")
    for n in (1, 10):
        while ImportBatch.objects.filter(imported_at__isnull=False).count() < n:
            client.post(_grow(world, 1))
        assert page_queries(client, upload_url(world)) == 8


def test_the_command_previews_and_imports(world: World, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(GOOD, encoding="cp1252")
    out = io.StringIO()
    call_command(
        "import_data", "contacts", str(path), account=world.account.slug, dry_run=True, stdout=out
    )
    assert "2 new" in out.getvalue() and "Dry run" in out.getvalue()
    assert not CustomerContact.objects.filter(crm_id="C-1").exists()
    call_command(
        "import_data", "contacts", str(path), account=world.account.slug, user="lead", stdout=out
    )
    assert CustomerContact.history.filter(crm_id="C-1").get().history_user == world.lead
    path.write_text("Last name;Influence (1–5)\nX;9\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 problems"):
        call_command("import_data", "contacts", str(path), account=world.account.slug, stdout=out)
    assert "row 2, Influence (1–5): The influence is a whole number" in out.getvalue()
    with pytest.raises(CommandError, match="No account"):
        call_command("import_data", "contacts", str(path), account="nope", stdout=out)
