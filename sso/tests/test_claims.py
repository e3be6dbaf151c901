"""From the provider's claims to our user: created, updated, matched safely, or refused."""

from __future__ import annotations

from typing import Any

import pytest

from sso.claims import groups_from_claims, language_from_locale, username_candidates
from sso.models import OidcIdentity
from sso.services import SignInRefused, sso_user_sign_in
from tests.factories import UserFactory
from users.models import MANAGERS_GROUP, User

ISSUER = "https://login.example.com"
MANAGERS = "kamteam-managers"


@pytest.fixture(autouse=True)
def _managers_mapping(settings: Any) -> None:
    settings.OIDC_MANAGERS_GROUP = MANAGERS
    settings.OIDC_GROUPS_CLAIM = "groups"


def _claims(**overrides: Any) -> dict[str, Any]:
    return {
        "sub": "00u-ada",
        "email": "ada@example.com",
        "email_verified": True,
        "given_name": "Ada",
        "family_name": "Lovelace",
        "preferred_username": "ada",
        "locale": "de-AT",
        "groups": [MANAGERS],
    } | overrides


def _is_manager(user: User) -> bool:
    return user.groups.filter(name=MANAGERS_GROUP).exists()


@pytest.mark.django_db
def test_first_sign_in_creates_the_user_from_the_claims() -> None:
    user = sso_user_sign_in(issuer=ISSUER, claims=_claims())
    user.refresh_from_db()
    assert (user.username, user.first_name, user.last_name) == ("ada", "Ada", "Lovelace")
    assert (user.email, user.language) == ("ada@example.com", "de")
    assert not user.has_usable_password()
    assert _is_manager(user)
    assert OidcIdentity.objects.get(user=user).subject == "00u-ada"


@pytest.mark.django_db
def test_next_sign_in_finds_the_user_by_subject_and_updates_names_and_email() -> None:
    first = sso_user_sign_in(issuer=ISSUER, claims=_claims())
    again = sso_user_sign_in(
        issuer=ISSUER,
        claims=_claims(family_name="King", email="ada.king@example.com"),
    )
    again.refresh_from_db()
    assert again.pk == first.pk and User.objects.count() == 1
    assert (again.last_name, again.email) == ("King", "ada.king@example.com")


@pytest.mark.django_db
def test_an_unverified_new_address_does_not_replace_the_known_one() -> None:
    first = sso_user_sign_in(issuer=ISSUER, claims=_claims())
    known = first.email
    sso_user_sign_in(
        issuer=ISSUER,
        claims=_claims(family_name="King", email="colleague@example.com", email_verified=False),
    )
    first.refresh_from_db()
    assert (first.last_name, first.email) == ("King", known)


@pytest.mark.django_db
def test_the_language_chosen_in_kamteam_wins_over_the_locale() -> None:
    user = sso_user_sign_in(issuer=ISSUER, claims=_claims(locale="en-GB"))
    assert user.language == "en"
    user.language = "de"
    user.save()
    user = sso_user_sign_in(issuer=ISSUER, claims=_claims(locale="en-GB"))
    assert User.objects.get(pk=user.pk).language == "de"


@pytest.mark.django_db
def test_managers_group_follows_the_provider_group_at_every_sign_in() -> None:
    user = sso_user_sign_in(issuer=ISSUER, claims=_claims(groups=["engineering"]))
    assert not _is_manager(user)
    user = sso_user_sign_in(issuer=ISSUER, claims=_claims(groups=MANAGERS))  # one group, a string
    assert _is_manager(user)
    user = sso_user_sign_in(issuer=ISSUER, claims=_claims(groups=["engineering"]))
    assert not _is_manager(user)
    user = sso_user_sign_in(issuer=ISSUER, claims={"sub": "00u-ada"})  # no claim: not a member
    assert not _is_manager(user)


@pytest.mark.django_db
def test_without_a_managers_mapping_groups_are_left_alone(settings: Any) -> None:
    settings.OIDC_MANAGERS_GROUP = ""
    manager = UserFactory(username="boss", email="boss@example.com", manager=True)
    user = sso_user_sign_in(issuer=ISSUER, claims=_claims(email="boss@example.com", groups=[]))
    assert user.pk == manager.pk and _is_manager(user)


@pytest.mark.django_db
def test_a_verified_email_matches_the_existing_user_case_insensitively() -> None:
    existing = UserFactory(username="alovelace", email="ADA@example.com")
    user = sso_user_sign_in(issuer=ISSUER, claims=_claims())
    assert user.pk == existing.pk and user.username == "alovelace"
    assert OidcIdentity.objects.get(subject="00u-ada").user == existing


@pytest.mark.django_db
@pytest.mark.parametrize("verified", [False, "false", None])
def test_an_unverified_email_never_takes_over_an_existing_user(verified: object) -> None:
    existing = UserFactory(username="alovelace", email="ada@example.com")
    with pytest.raises(SignInRefused) as refused:
        sso_user_sign_in(issuer=ISSUER, claims=_claims(email_verified=verified))
    assert refused.value.reason == SignInRefused.EMAIL_NOT_VERIFIED
    assert not OidcIdentity.objects.exists()
    assert list(User.objects.all()) == [existing]


@pytest.mark.django_db
def test_a_second_provider_account_cannot_take_a_linked_user() -> None:
    sso_user_sign_in(issuer=ISSUER, claims=_claims())
    with pytest.raises(SignInRefused) as refused:
        sso_user_sign_in(issuer=ISSUER, claims=_claims(sub="00u-other"))
    assert refused.value.reason == SignInRefused.AMBIGUOUS


@pytest.mark.django_db
def test_a_disabled_user_is_refused_on_first_and_later_sign_ins() -> None:
    UserFactory(username="alovelace", email="ada@example.com", is_active=False)
    with pytest.raises(SignInRefused) as refused:
        sso_user_sign_in(issuer=ISSUER, claims=_claims())
    assert refused.value.reason == SignInRefused.DISABLED
    assert not OidcIdentity.objects.exists()  # refused before anything was linked

    user = sso_user_sign_in(issuer=ISSUER, claims=_claims(sub="00u-new", email="new@example.com"))
    User.objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(SignInRefused):
        sso_user_sign_in(issuer=ISSUER, claims=_claims(sub="00u-new", email="new@example.com"))


@pytest.mark.django_db
def test_a_taken_preferred_username_gets_a_numbered_variant() -> None:
    UserFactory(username="ada", email="someone.else@example.com")
    UserFactory(username="Ada-2", email="another@example.com")
    user = sso_user_sign_in(issuer=ISSUER, claims=_claims())
    assert user.username == "ada-3"


@pytest.mark.django_db
def test_no_subject_is_refused() -> None:
    with pytest.raises(SignInRefused):
        sso_user_sign_in(issuer=ISSUER, claims=_claims(sub=""))


@pytest.mark.parametrize(
    ("locale", "language"),
    [("de", "de"), ("de-DE", "de"), ("de_AT", "de"), ("EN-us", "en"), ("fr-FR", ""), (None, "")],
)
def test_language_from_locale(locale: object, language: str) -> None:
    assert language_from_locale(locale, languages={"en", "de"}) == language


def test_groups_claim_forms() -> None:
    assert groups_from_claims({"groups": ["a", 3, "b"]}, claim="groups") == {"a", "b"}
    assert groups_from_claims({"roles": "a"}, claim="roles") == {"a"}
    assert groups_from_claims({}, claim="groups") == set()


def test_username_from_an_upn_or_email() -> None:
    assert username_candidates({"preferred_username": "ada@corp.example"}) == (
        "ada@corp.example",
        "ada",
    )
    assert username_candidates({"email": "Ada Lovelace <x>"})[0] == "Ada-Lovelace-x"
    assert username_candidates({}) == ("", "user")
