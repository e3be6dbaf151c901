"""Customer contacts' profiles: legal basis, retention, erasure by leads, export for the DPO."""

from __future__ import annotations

import datetime
import importlib
import json
import os
import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import CustomerContact
from profiles.models import Motive, MotiveScore, Profile
from profiles.services import months_before, profile_save
from tests.factories import ContactFactory
from tests.fixtures import World
from tests.snapshot import database_snapshot

HistoricalProfile = Profile.history.model
HistoricalMotiveScore = MotiveScore.history.model
CONSENT = Profile.LegalBasis.CONSENT
INTEREST = Profile.LegalBasis.LEGITIMATE_INTEREST


def _contact_profile(contact: CustomerContact, **fields: object) -> Profile:
    profile = Profile(
        contact=contact,
        primary_colour="green",
        interests="PROFILE-MARKER",
        legal_basis=INTEREST,
        legal_basis_note="Key decision maker; we plan our visits.",
        **fields,
    )
    profile_save(profile=profile, scores={Motive.objects.get(code="power"): Decimal("1.2")})
    return profile


def _no_trace(profile_id: int) -> bool:
    return not (
        Profile.objects.filter(pk=profile_id).exists()
        or HistoricalProfile.objects.filter(id=profile_id).exists()
        or HistoricalMotiveScore.objects.filter(profile_id=profile_id).exists()
    )


# Legal basis -------------------------------------------------------------


def _edit(world: World, **data: str):
    url = reverse("accounts:contact_profile_edit", args=[world.account.slug, world.contact.pk])
    return world.client_for("lead").post(
        url, {"primary_colour": "green", "motive_power": "1.5", **data}
    )


def test_contact_profile_is_not_saved_without_a_legal_basis(world: World) -> None:
    response = _edit(world)
    assert response.status_code == 400
    assert "Record the legal basis for holding this contact&#x27;s profile" in (
        response.content.decode()
    )
    assert not Profile.objects.filter(contact=world.contact).exists()
    assert not MotiveScore.objects.exists()


def test_legitimate_interest_needs_a_note(world: World) -> None:
    response = _edit(world, legal_basis=INTEREST, legal_basis_note="  ")
    assert response.status_code == 400
    assert "Describe our legitimate interest" in response.content.decode()
    assert not Profile.objects.filter(contact=world.contact).exists()


@pytest.mark.parametrize(
    ("consent_date", "message"),
    [("", "Enter the date the contact gave their consent."), ("2999-01-01", "in the future")],
)
def test_consent_needs_a_past_date(world: World, consent_date: str, message: str) -> None:
    response = _edit(world, legal_basis=CONSENT, consent_date=consent_date)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Profile.objects.filter(contact=world.contact).exists()


def test_profile_is_saved_with_its_legal_basis(world: World) -> None:
    assert _edit(world, legal_basis=CONSENT, consent_date="2026-01-15").status_code == 302
    profile = Profile.objects.get(contact=world.contact)
    assert (profile.legal_basis, profile.consent_date) == (CONSENT, datetime.date(2026, 1, 15))
    assert profile.scores.get().score == Decimal("1.5")
    response = _edit(
        world,
        legal_basis=INTEREST,
        legal_basis_note="Buyer of the framework contract.",
        version=str(profile.version),
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.legal_basis, profile.consent_date) == (INTEREST, None)
    page = world.client_for("member").get(world.contact.get_absolute_url()).content.decode()
    assert "Legal basis: legitimate interest." in page
    assert "Buyer of the framework contract." in page


@pytest.mark.parametrize(
    "fields",
    [
        {"legal_basis": CONSENT},
        {"legal_basis": INTEREST},
        {"legal_basis": INTEREST, "legal_basis_note": "x", "consent_date": "2026-01-01"},
    ],
)
def test_database_refuses_an_incomplete_legal_basis(world: World, fields: dict) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.create(contact=world.contact, **fields)


def test_database_refuses_a_legal_basis_on_a_colleague_profile(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.create(user=world.member, legal_basis=CONSENT, consent_date="2026-01-01")


def test_migration_gives_existing_contact_profiles_a_basis_to_review(world: World) -> None:
    old = Profile.objects.create(contact=world.contact, primary_colour="red")
    colleague = Profile.objects.create(user=world.member, primary_colour="red")
    migration = importlib.import_module("profiles.migrations.0007_contact_legal_basis")
    migration.backfill_contact_profiles(django_apps, None)
    old.refresh_from_db()
    colleague.refresh_from_db()
    assert old.legal_basis == INTEREST
    assert "before legal bases were tracked" in old.legal_basis_note
    assert colleague.legal_basis == ""


# Retention ---------------------------------------------------------------


def test_months_before_keeps_the_day_where_the_month_has_it() -> None:
    moment = datetime.datetime(2026, 3, 31, 12, tzinfo=datetime.UTC)
    assert months_before(moment, 1) == datetime.datetime(2026, 2, 28, 12, tzinfo=datetime.UTC)
    assert months_before(moment, 24) == datetime.datetime(2024, 3, 31, 12, tzinfo=datetime.UTC)
    assert months_before(moment, 15).date() == datetime.date(2024, 12, 31)


def test_retention_defaults_to_24_months_and_refuses_nonsense() -> None:
    if "CONTACT_PROFILE_RETENTION_MONTHS" not in os.environ:
        assert settings.CONTACT_PROFILE_RETENTION_MONTHS == 24
    env = {**os.environ, "DEBUG": "1", "CONTACT_PROFILE_RETENTION_MONTHS": "0"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "CONTACT_PROFILE_RETENTION_MONTHS must be 1 or more" in result.stderr


@pytest.fixture
def archived_profiles(world: World, settings) -> dict[str, Profile]:
    settings.CONTACT_PROFILE_RETENTION_MONTHS = 24
    now = timezone.now()
    profiles = {}
    for name, archived_at in (
        ("expired", now - datetime.timedelta(days=25 * 31)),
        ("recent", now - datetime.timedelta(days=23 * 30)),
        ("active", None),
    ):
        contact = ContactFactory(account=world.account, last_name=name.title())
        profiles[name] = _contact_profile(contact)
        CustomerContact.objects.filter(pk=contact.pk).update(archived_at=archived_at)
    return profiles


def test_purge_erases_profiles_of_contacts_archived_past_the_retention(
    archived_profiles: dict[str, Profile],
) -> None:
    out = StringIO()
    call_command("purge_contact_profiles", stdout=out)
    expired = archived_profiles["expired"]
    assert _no_trace(expired.pk)
    assert CustomerContact.objects.filter(pk=expired.contact_id).exists()  # the contact stays
    for name in ("recent", "active"):
        assert Profile.objects.filter(pk=archived_profiles[name].pk).exists(), name
        assert HistoricalProfile.objects.filter(id=archived_profiles[name].pk).exists(), name
    assert f"Erased the profile of contact {expired.contact_id} (" in out.getvalue()
    assert "Expired, Nordwind AG), archived" in out.getvalue()
    assert "Erased 1 contact profile(s) archived more than 24 months ago" in out.getvalue()


def test_purge_dry_run_erases_nothing(archived_profiles: dict[str, Profile]) -> None:
    out = StringIO()
    before = database_snapshot()
    call_command("purge_contact_profiles", dry_run=True, stdout=out)
    assert database_snapshot() == before
    assert "Would erase the profile of contact" in out.getvalue()
    assert "Would erase 1 contact profile(s)" in out.getvalue()


def test_purge_follows_the_retention_setting(
    archived_profiles: dict[str, Profile], settings
) -> None:
    settings.CONTACT_PROFILE_RETENTION_MONTHS = 12
    call_command("purge_contact_profiles", stdout=StringIO())
    assert _no_trace(archived_profiles["expired"].pk)
    assert _no_trace(archived_profiles["recent"].pk)
    assert Profile.objects.filter(pk=archived_profiles["active"].pk).exists()


# Erasure by the account's leads ------------------------------------------


def _erase_url(world: World, contact: CustomerContact | None = None) -> str:
    contact = contact or world.contact
    return reverse("accounts:contact_profile_erase", args=[world.account.slug, contact.pk])


def test_lead_erases_a_contact_profile_with_its_history(world: World) -> None:
    profile = _contact_profile(world.contact)
    client = world.client_for("lead")
    page = client.get(world.contact.get_absolute_url()).content.decode()
    assert _erase_url(world) in page
    confirm = client.get(_erase_url(world))
    assert confirm.status_code == 200
    assert "every earlier version in the history" in confirm.content.decode()
    response = client.post(_erase_url(world), follow=True)
    assert response.redirect_chain[-1][0] == world.contact.get_absolute_url()
    assert "was erased, its history included" in response.content.decode()
    assert _no_trace(profile.pk)
    assert CustomerContact.objects.filter(pk=world.contact.pk).exists()


def test_lead_erases_the_profile_of_an_archived_contact(world: World) -> None:
    profile = _contact_profile(world.archived_contact)
    response = world.client_for("lead").post(_erase_url(world, world.archived_contact))
    assert response.status_code == 302
    assert _no_trace(profile.pk)


@pytest.mark.parametrize(("actor", "status"), [("member", 403), ("outsider", 404)])
def test_others_cannot_erase_a_contact_profile(world: World, actor: str, status: int) -> None:
    _contact_profile(world.contact)
    client = world.client_for(actor)
    if actor == "member":
        page = client.get(world.contact.get_absolute_url()).content.decode()
        assert _erase_url(world) not in page
    before = database_snapshot()
    assert client.get(_erase_url(world)).status_code == status
    assert client.post(_erase_url(world)).status_code == status
    assert database_snapshot() == before


# Export for a data-protection request ------------------------------------


def _export_url(world: World) -> str:
    return reverse("accounts:contact_export", args=[world.account.slug, world.contact.pk])


@pytest.mark.parametrize("actor", ["lead", "staff"])
def test_leads_and_staff_export_everything_held_about_a_contact(world: World, actor: str) -> None:
    CustomerContact.objects.filter(pk=world.contact.pk).update(notes="CONTACT-NOTE")
    world.contact.refresh_from_db()
    world.contact.position = "Bereichsleiter"
    world.contact.save()  # a history row with the contact's data
    _contact_profile(world.contact)
    world.touchpoint.outcome = "TOUCHPOINT-OUTCOME"
    world.touchpoint.save()
    world.pair.notes = "PAIR-NOTE"
    world.pair.save()
    if actor == "lead":
        page = world.client_for("lead").get(world.contact.get_absolute_url()).content.decode()
        assert _export_url(world) in page
    response = world.client_for(actor).get(_export_url(world))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["contact"]["last_name"] == "Müller"
    assert data["contact"]["notes"] == "CONTACT-NOTE"
    assert data["profile"]["interests"] == "PROFILE-MARKER"
    assert data["profile"]["legal_basis"] == INTEREST
    assert data["profile"]["motives"] == {"Power": 1.2}
    assert [t["outcome"] for t in data["touchpoints"]] == ["TOUCHPOINT-OUTCOME"]
    assert [r["notes"] for r in data["relationships"]] == ["PAIR-NOTE"]
    history = data["history"]
    assert history["contact"][-1]["values"]["position"] == "Bereichsleiter"
    assert history["profile"][0]["values"]["interests"] == "PROFILE-MARKER"
    assert history["motive_scores"][0]["values"]["score"] == 1.2
    assert history["touchpoints"][-1]["values"]["outcome"] == "TOUCHPOINT-OUTCOME"
    assert history["relationships"][-1]["values"]["notes"] == "PAIR-NOTE"


@pytest.mark.parametrize(
    ("actor", "status"), [("member", 403), ("manager", 403), ("outsider", 404)]
)
def test_others_cannot_export_a_contact(world: World, actor: str, status: int) -> None:
    _contact_profile(world.contact)
    client = world.client_for(actor)
    assert client.get(_export_url(world)).status_code == status
    if actor == "member":
        page = client.get(world.contact.get_absolute_url()).content.decode()
        assert _export_url(world) not in page
