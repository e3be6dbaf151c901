"""A key account's export (Excel and JSON, for its leads and managers) and the
installation's (`manage.py export_all`, for staff): complete, within the viewer's
rights, safe to open."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import KeyAccount
from tests.factories import ContactFactory, KeyAccountFactory
from tests.fixtures import World
from tests.queries import page_queries
from touchpoints.models import CalendarFeed, Touchpoint
from workspace.exports import account as account_exports
from workspace.exports import installation

pytestmark = pytest.mark.django_db

# The project's own apps: those whose code is in this checkout, not in the venv.
PROJECT_APPS = {
    config.label
    for config in apps.get_app_configs()
    if Path(config.path).is_relative_to(settings.BASE_DIR) and ".venv" not in config.path
}


def _url(world: World, fmt: str) -> str:
    return reverse("accounts:account_export", args=[world.account.slug, fmt])


def _json(world: World, who: str) -> dict:
    response = world.client_for(who).get(_url(world, "json"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="kamteam-nordwind-')
    return json.loads(response.content)


def _belongs_to_an_account() -> set[str]:
    """Every model reaching KeyAccount through its foreign keys (historical ones aside)."""
    models = [m for m in apps.get_models() if not hasattr(m, "instance_type")]
    found = {KeyAccount}
    grown = True
    while grown:
        grown = False
        for model in models:
            if model not in found and any(
                (f.many_to_one or f.one_to_one) and f.concrete and f.related_model in found
                for f in model._meta.get_fields()
            ):
                found.add(model)
                grown = True
    return {m._meta.label_lower for m in found}


def test_every_model_of_an_account_has_a_section_or_a_reason() -> None:
    exported = {s.model._meta.label_lower for s in account_exports.SECTIONS}
    missing = _belongs_to_an_account() - exported - set(account_exports.LEFT_OUT)
    assert not missing, f"add a Section (or a LEFT_OUT reason) for {sorted(missing)}"


def test_every_model_of_the_project_is_in_the_installation_export_or_has_a_reason() -> None:
    sections = [*account_exports.SECTIONS, *installation.PEOPLE, *installation.CATALOGUES]
    covered = {s.model._meta.label_lower for s in sections}
    covered |= set(account_exports.LEFT_OUT) | set(installation.NOT_EXPORTED)
    ours = {
        m._meta.label_lower
        for m in apps.get_models()
        if m._meta.app_label in PROJECT_APPS and not hasattr(m, "instance_type")
    }
    assert not ours - covered, f"export or give a reason for {sorted(ours - covered)}"


def test_the_lead_gets_every_section_with_the_accounts_rows_only(world: World) -> None:
    elsewhere = ContactFactory(account=KeyAccountFactory(), last_name="Elsewhere")
    data = _json(world, "lead")
    assert (data["format"], data["account"], data["left_out"]) == (
        "kamteam-account-export",
        "nordwind",
        [],
    )
    sections = data["sections"]
    assert set(sections) == {s.name for s in account_exports.SECTIONS} | {"history"}
    assert [a["slug"] for a in sections["account"]] == ["nordwind"]
    contacts = {c["last_name"]: c for c in sections["contacts"]}
    assert world.contact.last_name in contacts and elsewhere.last_name not in contacts
    # A colleague by user name, another row by its id in its own section.
    team = {m["user"]: m for m in sections["team"]}
    assert team["lead"]["account_id"] == world.account.pk
    touchpoint = sections["touchpoints"][0]
    assert touchpoint["contact_id"] in {c["id"] for c in sections["contacts"]}
    assert touchpoint["owner_id"] in {m["id"] for m in sections["team"]}
    # Amounts are exact (strings in JSON), dates ISO.
    (actual,) = sections["revenue_actuals"]
    assert actual["amount"] == "1000000.00"
    assert any(entry["change"] == "created" for entry in sections["history"])


def test_the_manager_gets_what_the_pages_show_managers(world: World) -> None:
    data = _json(world, "manager")
    assert data["left_out"] == [
        "appreciations",
        "coaching_answers",
        "coaching_checks",
        "contact_motives",
        "contact_profiles",
        "history",
        "news",
    ]
    assert "contact_profiles" not in data["sections"] and "contacts" in data["sections"]


@pytest.mark.parametrize("fmt", ["xlsx", "json"])
def test_members_are_refused_and_outsiders_find_nothing(world: World, fmt: str) -> None:
    member = world.client_for("member").get(_url(world, fmt))
    assert member.status_code == 403
    assert "leads and the managers" in member.content.decode()
    assert world.client_for("outsider").get(_url(world, fmt)).status_code == 404


def test_another_format_is_not_found(world: World) -> None:
    url = _url(world, "json").replace(".json", ".csv")
    assert world.client_for("lead").get(url).status_code == 404


def test_the_workbook_has_a_sheet_per_section_and_keeps_formulas_as_text(world: World) -> None:
    world.contact.notes = '=HYPERLINK("http://evil")'
    world.contact.save()
    response = world.client_for("lead").get(_url(world, "xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "Export"
    assert {"contacts", "team", "touchpoints", "history"} <= set(book.sheetnames)
    sheet = book["contacts"]
    header = [c.value for c in sheet[1]]
    notes = sheet.cell(2, header.index("notes") + 1)
    assert notes.data_type == "s" and not str(notes.value).startswith("=")
    overview = {row[0]: row[1] for row in book["Export"].iter_rows(values_only=True) if row}
    assert overview["contacts"] == world.account.contacts.count()


def test_the_overview_offers_the_export_to_leads_and_managers_only(world: World) -> None:
    url = reverse("accounts:detail", args=[world.account.slug])
    for who, offered in (("lead", True), ("manager", True), ("member", False)):
        page = world.client_for(who).get(url).content.decode()
        assert (_url(world, "xlsx") in page) is offered, who


def test_the_export_queries_do_not_grow_with_the_accounts_rows(world: World) -> None:
    client = world.client_for("lead")
    small = page_queries(client, _url(world, "json"))
    for i in range(15):
        contact = ContactFactory(account=world.account, last_name=f"Contact {i}")
        Touchpoint.objects.create(
            account=world.account,
            contact=contact,
            year=2026,
            quarter=4,
            title=f"Visit {i}",
            owner=world.lead_membership,
        )
    large = page_queries(client, _url(world, "json"))
    assert small == large, f"{small} queries with one contact, {large} with 16"


def test_export_all_writes_every_account_the_people_and_the_lists(
    world: World, tmp_path: Path
) -> None:
    CalendarFeed.objects.create(user=world.lead)
    KeyAccountFactory(name="Archived AG", slug="archived-ag", status=KeyAccount.Status.ARCHIVED)
    out = tmp_path / "export"
    call_command("export_all", str(out), "--xlsx", stdout=io.StringIO())
    accounts = sorted(p.name for p in (out / "accounts").iterdir())
    assert "nordwind.json" in accounts and "nordwind.xlsx" in accounts
    assert "archived-ag.json" in accounts
    nordwind = json.loads((out / "accounts" / "nordwind.json").read_text())
    assert nordwind["left_out"] == [] and "history" in nordwind["sections"]
    people = json.loads((out / "people.json").read_text())
    users = {u["username"]: u for u in people["sections"]["users"]}
    assert "lead" in users and "password" not in users["lead"]
    assert all(p["user"] for p in people["sections"]["colleague_profiles"])
    everything = "".join(p.read_text() for p in out.rglob("*.json"))
    assert CalendarFeed.objects.get().token not in everything
    lists = json.loads((out / "catalogues.json").read_text())
    assert lists["sections"]["team_roles"]


def test_export_all_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "old.json").write_text("{}")
    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("export_all", str(tmp_path), stdout=io.StringIO())
    assert [p.name for p in tmp_path.iterdir()] == ["old.json"]
