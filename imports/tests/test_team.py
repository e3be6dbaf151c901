"""Importing team seats: matching a seat, the team form's rules, idempotence, history,
and the pages and the command."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.access import account_access
from accounts.models import AccountTeamMember
from imports import services, team
from imports.models import ImportBatch
from imports.readers import Table, read_table
from notifications.models import Notification
from tests.factories import TeamMemberFactory, UserFactory, role
from tests.fixtures import World
from tests.queries import page_queries

HEADER = ["Person (e-mail or user name)", "Team role", "Country", "Team", "Lead"]


def table(*rows: list[str], header: list[str] = HEADER) -> Table:
    return Table(header=header, rows=[(n, list(row)) for n, row in enumerate(rows, start=2)])


def problems(result) -> list[tuple[int | None, str, str]]:  # type: ignore[no-untyped-def]
    return [(p.row, p.column, p.message) for p in result.problems]


def preview(world: World, data: Table, who: str = "lead"):  # type: ignore[no-untyped-def]
    return team.preview(
        world.account, data, account_access(getattr(world, who), world.account.slug)
    )


def run(world: World, data: Table):  # type: ignore[no-untyped-def]
    result = preview(world, data)
    assert result.ok, problems(result)
    team.apply(world.account, result, world.lead)
    return result


def seats(world: World) -> set[tuple[str, str, str, str, bool]]:
    return {
        (m.user.username, m.role.code, m.country.code or "", m.team, m.is_lead)
        for m in world.account.team_members.active().select_related("user", "role")
    }


def test_new_seats_by_email_or_user_name_role_in_either_language(world: World) -> None:
    anna = UserFactory(username="anna", email="Anna.Berger@example.com")
    UserFactory(username="bernd")
    result = run(
        world,
        table(
            ["anna.berger@example.com", "NKAM", "Deutschland", "Kernteam", "ja"],
            ["BERND", "Innendienst", "", "extended team", ""],
        ),
    )
    assert [row.action for row in result.rows] == ["create", "create"]
    assert {s for s in seats(world) if s[0] in ("anna", "bernd")} == {
        ("anna", "nkam", "DE", "core", True),
        ("bernd", "inside-sales", "", "extended", False),
    }
    seat = AccountTeamMember.objects.get(user=anna)
    record = seat.history.get()
    assert (record.history_type, record.history_user) == ("+", world.lead)
    # The team's own save announced them: Anna hears she joined.
    assert Notification.objects.filter(recipient=anna).exists()


def test_the_same_file_twice_changes_nothing_and_a_corrected_one_updates(world: World) -> None:
    UserFactory(username="anna")
    first = table(["anna", "inside-sales", "", "core", "no"])
    run(world, first)
    again = preview(world, first)
    assert again.ok and [row.action for row in again.rows] == ["unchanged"]
    corrected = preview(world, table(["anna", "inside-sales", "", "extended", "yes"]))
    assert [(row.action, row.changes) for row in corrected.rows] == [("update", ["Team", "Lead"])]
    team.apply(world.account, corrected, world.lead)
    assert ("anna", "inside-sales", "", "extended", True) in seats(world)
    seat = AccountTeamMember.objects.get(user__username="anna")
    assert seat.history.count() == 2 and seat.history.first().history_user == world.lead


def test_a_national_role_is_a_seat_per_country(world: World) -> None:
    UserFactory(username="nina")
    result = run(world, table(["nina", "nkam", "DE", "", ""], ["nina", "nkam", "AT", "", ""]))
    assert [row.action for row in result.rows] == ["create", "create"]
    assert AccountTeamMember.objects.filter(user__username="nina").count() == 2


def test_problems_by_row_and_column(world: World) -> None:
    UserFactory(username="anna")
    UserFactory(username="gone", is_active=False)
    UserFactory(username="twin1", email="twins@example.com")
    UserFactory(username="twin2", email="twins@example.com")
    result = preview(
        world,
        table(
            ["nobody@example.com", "inside-sales", "", "", ""],
            ["gone", "inside-sales", "", "", ""],
            ["twins@example.com", "inside-sales", "", "", ""],
            ["anna", "chief", "", "", ""],
            ["anna", "nkam", "", "", ""],
            ["anna", "inside-sales", "Atlantis", "sideline", "maybe"],
            ["anna", "engineering", "", "", ""],
            ["ANNA", "Engineering", "", "", ""],
            ["", "", "", "", ""],
        ),
    )
    person = "Person (e-mail or user name)"
    gone = UserFactory(username="gone").display_name
    roles = "Engineering, GKAM, Inside sales, Management, NKAM"
    assert problems(result) == [
        (2, person, "Nobody has the e-mail or user name “nobody@example.com”."),
        (3, person, f"{gone} can no longer sign in and cannot join a team."),
        (4, person, "Several colleagues have the e-mail “twins@example.com”; give the user name."),
        (5, "Team role", f"“chief” is not a team role; the roles are: {roles}."),
        (6, "Country", "NKAM is a national role: give the country it serves."),
        (7, "Country", "“Atlantis” is not a country."),
        (7, "Team", "“sideline” is not a team; the teams are: core team, extended team."),
        (7, "Lead", "“maybe” is not yes or no."),
        (9, person, "Row 8 is this seat already."),
        (10, person, "The person is missing: give their e-mail or user name."),
        (10, "Team role", "The team role is missing."),
    ]


def test_required_columns_and_columns_twice(world: World) -> None:
    result = preview(world, table(["anna"], header=["Person"]))
    assert problems(result) == [(None, "Team role", "The file has no column for this.")]
    result = preview(world, table(["anna", "x", "y"], header=["Person", "Rolle", "Role"]))
    assert (None, "Role", "This column appears twice.") in problems(result)


def test_the_account_keeps_a_lead_but_a_file_may_hand_it_on(world: World) -> None:
    world.lead_membership.role = role("inside-sales")
    world.lead_membership.is_lead = True
    world.lead_membership.save()
    demote = table([world.lead.username, "inside-sales", "", "", "no"])
    result = preview(world, demote)
    assert [p[1] for p in problems(result)] == ["Lead"]
    assert "only lead" in result.problems[0].message
    successor = UserFactory(username="successor")
    handed_on = run(world, table(*demote.rows[0][1:], [successor.username, "gkam", "", "", ""]))
    assert {row.action for row in handed_on.rows} == {"create", "update"}
    assert world.account.team_members.leads().get().user == successor


def test_an_nkam_cannot_make_themselves_lead_of_more(world: World) -> None:
    nkam = UserFactory(username="nkam-de")
    TeamMemberFactory(account=world.account, user=nkam, role=role("nkam"), country="DE")
    access = account_access(nkam, world.account.slug)
    data = table(["nkam-de", "engineering", "", "", "yes"], ["nkam-de", "nkam", "AT", "", ""])
    result = team.preview(world.account, data, access)
    assert [(p.row, p.column) for p in result.problems] == [(2, "Lead"), (3, "Lead")]
    # Another lead may give them more; and from a shell (IT), no importer's rule applies.
    assert preview(world, data).ok
    assert team.preview(world.account, data, None).ok


def test_seats_not_in_the_file_stay(world: World) -> None:
    UserFactory(username="anna")
    before = seats(world)
    run(world, table(["anna", "engineering", "", "", ""]))
    assert before < seats(world)


# --- the pages ------------------------------------------------------------------


def upload_url(w: World) -> str:
    return reverse("imports:team", args=[w.account.slug])


def upload(client, w: World, text: str):  # type: ignore[no-untyped-def]
    return client.post(upload_url(w), {"file": SimpleUploadedFile("team.csv", text.encode())})


def test_a_lead_imports_seats_in_the_browser(world: World) -> None:
    UserFactory(username="anna")
    client = world.client_for("lead")
    assert (
        upload_url(world)
        in client.get(reverse("accounts:team", args=[world.account.slug])).content.decode()
    )
    response = upload(client, world, "Person;Rolle;Team\nanna;Engineering;erweitertes Team\n")
    batch = ImportBatch.objects.get()
    assert batch.kind == "team"
    assert response.url == reverse("imports:team_preview", args=[world.account.slug, batch.pk])
    text = client.get(response.url).content.decode()
    assert "Import 1 team seat" in text and "1</span> new team seats" in text
    done = client.post(response.url, follow=True)
    assert done.redirect_chain[-1][0] == reverse("accounts:team", args=[world.account.slug])
    assert "1 new, 0 updated, 0 unchanged" in done.content.decode()
    assert ("anna", "engineering", "", "extended", False) in seats(world)
    # The contacts' import page lists only contact imports.
    assert "team.csv" in client.get(upload_url(world)).content.decode()
    assert (
        "team.csv"
        not in client.get(reverse("imports:contacts", args=[world.account.slug])).content.decode()
    )


def test_a_problem_arising_after_the_preview_stops_the_whole_import(world: World) -> None:
    anna = UserFactory(username="anna")
    UserFactory(username="bernd")
    client = world.client_for("lead")
    response = upload(client, world, "Person;Role\nbernd;Engineering\nanna;Engineering\n")
    assert "Import 2 team seats" in client.get(response.url).content.decode()
    anna.is_active = False  # she left the company meanwhile
    anna.save()
    confirm = client.post(response.url)
    assert confirm.status_code == 409
    assert "can no longer sign in" in confirm.content.decode()
    assert not AccountTeamMember.objects.filter(user__username__in=["anna", "bernd"]).exists()


def test_a_contact_preview_is_not_found_at_the_team_address(world: World) -> None:
    client = world.client_for("lead")
    upload = client.post(
        reverse("imports:contacts", args=[world.account.slug]),
        {"file": SimpleUploadedFile("c.csv", b"Last name\nBerger\n")},
    )
    batch = ImportBatch.objects.get()
    assert upload.status_code == 302
    wrong = reverse("imports:team_preview", args=[world.account.slug, batch.pk])
    assert client.get(wrong).status_code == 404


@pytest.mark.parametrize("who, status", [("member", 403), ("manager", 403), ("outsider", 404)])
def test_only_leads_import_seats(world: World, who: str, status: int) -> None:
    client = world.client_for(who)
    assert client.get(upload_url(world)).status_code == status
    assert upload(client, world, "Person;Role\nx;y\n").status_code == status
    template = reverse("imports:team_template", args=[world.account.slug])
    assert client.get(template).status_code == status
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    "language, first",
    [("en", "Person (e-mail or user name)"), ("de", "Person (E-Mail oder Benutzername)")],
)
def test_the_template_reads_back_as_a_clean_preview(
    world: World, language: str, first: str
) -> None:
    UserFactory(username="anna.berger", email="anna.berger@example.com")
    client = world.client_for("lead")
    response = client.get(
        reverse("imports:team_template", args=[world.account.slug]), {"lang": language}
    )
    assert response["Content-Disposition"].startswith("attachment")
    data = read_table("team.xlsx", response.content)
    assert data.header[0] == first
    result = preview(world, data)
    assert result.ok, problems(result)
    assert [(row.name, row.role.code, row.values["country"]) for row in result.rows] == [
        (UserFactory(username="anna.berger").display_name, "nkam", "DE")
    ]


def test_the_preview_costs_the_same_queries_for_1_and_40_rows(world: World) -> None:
    client = world.client_for("lead")

    def page(rows: int) -> str:
        people = [UserFactory(username=f"p{rows}-{i}") for i in range(rows)]
        lines = "".join(f"{p.username};engineering;extended\n" for p in people)
        response = upload(client, world, "Person;Role;Team\n" + lines)
        return response.url

    # A new upload replaces the person's pending one: each is measured in turn.
    queries = page_queries(client, page(1))
    assert queries == page_queries(client, page(40))
    # The page's own 7 (as the contacts' preview less its contacts) and 3 for the file:
    # the colleagues it names, the team roles, the seats.
    assert queries == 10


def test_the_command_imports_seats(world: World, tmp_path: Path) -> None:
    UserFactory(username="anna")
    path = tmp_path / "team.csv"
    path.write_text("Person,Role,Country\nanna,nkam,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 problems"):
        call_command("import_data", "team", str(path), "--account", world.account.slug)
    path.write_text("Person,Role,Country\nanna,nkam,FR\n", encoding="utf-8")
    call_command("import_data", "team", str(path), "--account", world.account.slug, "--dry-run")
    assert not AccountTeamMember.objects.filter(user__username="anna").exists()
    call_command("import_data", "team", str(path), "--account", world.account.slug)
    assert ("anna", "nkam", "FR", "core", False) in seats(world)


def test_a_shell_import_goes_through_the_service(world: World) -> None:
    UserFactory(username="anna")
    result = services.import_rows(
        world.account, table(["anna", "management", "", "", ""]), None, kind="team"
    )
    assert result.ok and ("anna", "management", "", "core", False) in seats(world)


def test_a_file_larger_than_any_team_is_refused(world: World, monkeypatch) -> None:
    monkeypatch.setattr(team, "MAX_ROWS", 2)
    result = preview(world, table(*[[f"p{n}", "engineering", "", "", ""] for n in range(3)]))
    assert problems(result) == [(None, "", "A team import takes at most 2 rows; this file has 3.")]
    assert result.rows == []
