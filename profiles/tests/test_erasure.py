"""Every deletion of a profile is an erasure: no colours or motives stay in the history."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import CustomerContact
from profiles.models import Motive, MotiveScore, Profile
from profiles.services import profile_save
from tests.factories import ContactFactory, UserFactory
from tests.fixtures import World
from users.models import User

HistoricalProfile = Profile.history.model
HistoricalMotiveScore = MotiveScore.history.model


def _profile(**person: object) -> Profile:
    """A profile with two motive scores, changed once: history rows for both."""
    profile = Profile(primary_colour="red", character_notes="Loves sailing", **person)
    if "contact" in person:
        profile.legal_basis = Profile.LegalBasis.CONSENT
        profile.consent_date = "2026-01-05"
    motives = list(Motive.objects.all()[:2])
    profile_save(profile=profile, scores={motives[0]: Decimal("1.5"), motives[1]: Decimal("-1")})
    profile.primary_colour = "blue"
    profile_save(profile=profile, scores={motives[0]: Decimal("0.5")})
    assert HistoricalProfile.objects.filter(id=profile.pk).count() == 2
    assert HistoricalMotiveScore.objects.filter(profile_id=profile.pk).count() == 3
    return profile


def _assert_no_trace(profile_id: int) -> None:
    assert not Profile.objects.filter(pk=profile_id).exists()
    assert not HistoricalProfile.objects.filter(id=profile_id).exists()
    assert not HistoricalMotiveScore.objects.filter(profile_id=profile_id).exists()


@pytest.fixture
def admin_client(world: World) -> Client:
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)
    return client


def test_admin_delete_of_a_profile_erases_its_history(world: World, admin_client: Client) -> None:
    profile = _profile(user=world.member)
    url = reverse("admin:profiles_profile_delete", args=[profile.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    _assert_no_trace(profile.pk)


def test_admin_bulk_delete_of_profiles_erases_their_history(
    world: World, admin_client: Client
) -> None:
    mine = _profile(user=world.member)
    theirs = _profile(contact=world.contact)
    response = admin_client.post(
        reverse("admin:profiles_profile_changelist"),
        {"action": "delete_selected", "_selected_action": [mine.pk, theirs.pk], "post": "yes"},
    )
    assert response.status_code == 302
    _assert_no_trace(mine.pk)
    _assert_no_trace(theirs.pk)


def test_admin_delete_of_a_user_erases_their_profile_history(
    world: World, admin_client: Client
) -> None:
    person = UserFactory(username="leaver")
    profile = _profile(user=person)
    response = admin_client.post(
        reverse("admin:users_user_delete", args=[person.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()
    _assert_no_trace(profile.pk)


def test_admin_delete_of_a_contact_erases_its_profile_history(
    world: World, admin_client: Client
) -> None:
    contact = ContactFactory(account=world.account, last_name="Gone")
    profile = _profile(contact=contact)
    response = admin_client.post(
        reverse("admin:accounts_customercontact_delete", args=[contact.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not CustomerContact.objects.filter(pk=contact.pk).exists()
    _assert_no_trace(profile.pk)


def test_plain_delete_in_code_erases_the_history_of_that_profile_only(world: World) -> None:
    one = _profile(user=world.member)
    two = _profile(user=world.lead)
    kept = _profile(contact=world.contact)
    one.delete()
    Profile.objects.filter(pk=two.pk).delete()
    _assert_no_trace(one.pk)
    _assert_no_trace(two.pk)
    assert HistoricalProfile.objects.filter(id=kept.pk).count() == 2
    assert HistoricalMotiveScore.objects.filter(profile_id=kept.pk).count() == 3
