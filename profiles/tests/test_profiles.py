"""Profiles: validation, motive scores, hints and fit, erasure."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from profiles.colours import Fit, fit
from profiles.models import Motive, MotiveScore, Profile
from profiles.selectors import ChartRow, motive_summary
from profiles.services import profile_erase, profile_save
from tests.fixtures import World
from tests.snapshot import database_snapshot


def _own_client(world: World) -> Client:
    client = Client()
    client.force_login(world.member)
    return client


def _edit_url(world: World) -> str:
    return reverse("profiles:person_edit", args=[world.member.username])


def test_sixteen_motives_in_reiss_order_in_both_languages(db: None) -> None:
    motives = list(Motive.objects.all())
    assert [m.name_en for m in motives] == [
        "Power",
        "Independence",
        "Curiosity",
        "Acceptance",
        "Order",
        "Saving",
        "Honor",
        "Idealism",
        "Social contact",
        "Family",
        "Status",
        "Vengeance",
        "Romance (beauty)",
        "Eating",
        "Physical activity",
        "Tranquility",
    ]
    assert motives[8].name_de == "Beziehungen"
    assert not Motive.objects.filter(name_de="Bequemlichkeit").exists()


def test_member_fills_in_own_profile(world: World) -> None:
    response = _own_client(world).post(
        _edit_url(world),
        {
            "primary_colour": "green",
            "secondary_colour": "blue",
            "motive_power": "-1.2",
            "motive_order": "1.5",
            "share_with_team": "on",  # not this form's field: sharing has its own page
        },
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=world.member)
    assert profile.colours == ["green", "blue"] and not profile.share_with_team
    assert {s.motive.code: s.score for s in profile.scores.select_related("motive")} == {
        "power": Decimal("-1.2"),
        "order": Decimal("1.5"),
    }


def test_german_form_shows_scores_as_german_writes_them(world: World) -> None:
    """Scores are text inputs in the page's number format (core.localized_numbers):
    "1,5" in German, read back as 1.5 (profiles/tests/test_motive_decimal_comma.py)."""
    client = _own_client(world)
    client.post(_edit_url(world), {"primary_colour": "green", "motive_order": "1.5"})
    client.cookies["django_language"] = "de"
    page = client.get(_edit_url(world)).content.decode()
    assert 'value="1,5"' in page
    assert 'value="1.5"' not in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"motive_power": "2.5"}, "motive_power"),
        ({"motive_power": "-2.1"}, "motive_power"),
        ({"motive_power": "1.25"}, "motive_power"),
        ({"motive_power": "lots"}, "motive_power"),
    ],
)
def test_bad_scores_are_rejected_at_the_field(world: World, data, field) -> None:
    client = _own_client(world)  # logging in writes last_login: before the snapshot
    before = database_snapshot()
    response = client.post(_edit_url(world), data)
    assert response.status_code == 400
    assert response.context["motives_form"].errors[field]
    assert database_snapshot() == before


def test_secondary_colour_equal_to_primary_is_rejected(world: World) -> None:
    client = _own_client(world)  # logging in writes last_login: before the snapshot
    before = database_snapshot()
    response = client.post(_edit_url(world), {"primary_colour": "red", "secondary_colour": "red"})
    assert response.status_code == 400
    assert "must differ" in response.context["form"].errors["secondary_colour"][0]
    assert database_snapshot() == before


def test_unknown_motive_is_rejected(world: World) -> None:
    client = _own_client(world)  # logging in writes last_login: before the snapshot
    before = database_snapshot()
    response = client.post(_edit_url(world), {"motive_bequemlichkeit": "1.0"})
    assert response.status_code == 400
    assert "Unknown motives: bequemlichkeit" in response.content.decode()
    assert database_snapshot() == before


def test_database_guards_the_invariants(world: World) -> None:
    profile = Profile.objects.create(user=world.member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.filter(pk=profile.pk).update(primary_colour="red", secondary_colour="red")
    with pytest.raises(IntegrityError), transaction.atomic():
        MotiveScore.objects.create(
            profile=profile, motive=Motive.objects.first(), score=Decimal("2.5")
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.create(user=world.lead, contact=world.contact)


def test_blank_score_removes_it(world: World) -> None:
    profile = Profile.objects.create(user=world.member)
    power = Motive.objects.get(code="power")
    profile_save(profile=profile, scores={power: Decimal("1.0")})
    profile_save(profile=profile, scores={power: None})
    assert not profile.scores.exists()


def test_colour_fit() -> None:
    assert fit("red", "red") is Fit.SAME
    assert fit("red", "blue") is Fit.NEIGHBOUR
    assert fit("red", "orange") is Fit.NEIGHBOUR
    assert fit("red", "green") is Fit.OPPOSITE
    assert fit("orange", "blue") is Fit.OPPOSITE
    assert fit("green", "blue") is Fit.NEIGHBOUR


def test_bands_and_summary(db: None) -> None:
    motives = list(Motive.objects.all()[:4])
    rows = [
        ChartRow(motives[0], Decimal("1.9")),
        ChartRow(motives[1], Decimal("0.8")),
        ChartRow(motives[2], Decimal("-0.9")),
        ChartRow(motives[3], None),
    ]
    assert [r.band for r in rows] == ["high", "average", "low", "unknown"]
    summary = motive_summary(rows)
    assert [r.motive for r in summary.high] == [motives[0]]
    assert [r.motive for r in summary.low] == [motives[2]]
    assert (rows[0].left, rows[0].width) == (50.0, 47.5)
    assert (rows[2].left, rows[2].width) == (27.5, 22.5)


def test_contact_page_shows_hints_and_team_fit(world: World, lead_client) -> None:
    Profile.objects.create(contact=world.contact, primary_colour="green")
    Profile.objects.create(user=world.lead, primary_colour="red")
    html = lead_client.get(world.contact.get_absolute_url()).content.decode()
    assert "Build trust first" in html  # Green's approach hint
    assert "opposite colour" in html  # the red lead clashes with a green contact


def test_lead_edits_contact_profile(world: World, lead_client) -> None:
    url = reverse("accounts:contact_profile_edit", args=[world.account.slug, world.contact.pk])
    response = lead_client.post(
        url,
        {
            "legal_basis": "consent",
            "consent_date": "2026-01-15",
            "primary_colour": "blue",
            "secondary_colour": "green",
            "motive_order": "1.6",
        },
    )
    assert response.status_code == 302
    assert Profile.objects.get(contact=world.contact).colours == ["blue", "green"]


def test_two_leads_editing_a_contact_profile_at_once_get_the_conflict(world: World) -> None:
    """Both loaded version 1: the second save is refused with its input kept, nothing lost."""
    from tests.factories import TeamMemberFactory, UserFactory, role

    second = UserFactory(username="second-lead")
    TeamMemberFactory(account=world.account, user=second, role=role("nkam"), country="DE")
    Profile.objects.create(
        contact=world.contact,
        primary_colour="blue",
        legal_basis="consent",
        consent_date="2026-01-15",
    )
    url = reverse("accounts:contact_profile_edit", args=[world.account.slug, world.contact.pk])
    data = {"legal_basis": "consent", "consent_date": "2026-01-15", "version": "1"}
    first = world.client_for("lead").post(url, {**data, "primary_colour": "red"})
    assert first.status_code == 302
    other = Client()
    other.force_login(second)
    response = other.post(url, {**data, "primary_colour": "green", "motive_order": "1.2"})
    assert response.status_code == 409
    assert "Someone else saved this" in response.content.decode()
    assert response.context["form"]["primary_colour"].value() == "green"  # input kept
    profile = Profile.objects.get(contact=world.contact)
    assert (profile.primary_colour, profile.version) == ("red", 2)
    assert not profile.scores.exists()


def test_a_profile_edit_without_its_version_is_refused(world: World) -> None:
    Profile.objects.create(user=world.member, primary_colour="blue")
    response = _own_client(world).post(_edit_url(world), {"primary_colour": "red"})
    assert response.status_code == 400
    assert Profile.objects.get(user=world.member).primary_colour == "blue"


def test_profile_changes_are_audited(world: World) -> None:
    _own_client(world).post(_edit_url(world), {"primary_colour": "green", "motive_power": "1"})
    profile = Profile.objects.get(user=world.member)
    assert profile.history.first().history_user == world.member
    page = _own_client(world).get(reverse("profiles:person", args=[world.member.username]))
    assert [c.kind for c in page.context["changes"]] == ["motives", "profile"] or [
        c.kind for c in page.context["changes"]
    ] == ["profile", "motives"]


def test_erasure_leaves_no_trace_in_history(world: World) -> None:
    _own_client(world).post(
        _edit_url(world), {"primary_colour": "green", "goals": "SECRET", "motive_power": "1.0"}
    )
    profile = Profile.objects.get(user=world.member)
    assert Profile.history.filter(id=profile.pk).exists()
    profile_erase(profile=profile)
    assert not Profile.objects.filter(user=world.member).exists()
    assert not Profile.history.filter(id=profile.pk).exists()
    assert not MotiveScore.history.filter(profile_id=profile.pk).exists()


def test_erase_command(world: World) -> None:
    Profile.objects.create(user=world.member, goals="SECRET")
    call_command("erase_profile", user=world.member.username, stdout=StringIO())
    assert not Profile.objects.exists() and not Profile.history.exists()


def test_admin_erase_action(world: World) -> None:
    profile = Profile.objects.create(user=world.member, goals="SECRET")
    client = world.client_for("staff")
    world.staff.is_superuser = True
    world.staff.save()
    client.force_login(world.staff)
    response = client.post(
        reverse("admin:profiles_profile_changelist"),
        {"action": "erase_profiles", "_selected_action": [profile.pk]},
    )
    assert response.status_code == 302
    assert not Profile.objects.exists() and not Profile.history.exists()
