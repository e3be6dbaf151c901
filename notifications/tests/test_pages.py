"""The list, following and marking read, the bell, and the settings page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notifications.models import Channel, Kind, Notification, NotificationPreference
from tests.factories import UserFactory
from tests.fixtures import World
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

LIST = "/notifications/"
SETTINGS = "/notifications/settings/"


def _notification(world: World, recipient=None, **fields) -> Notification:
    values = {
        "recipient": recipient or world.member,
        "kind": Kind.MADE_LEAD,
        "actor": world.lead,
        "account": world.account,
        "url": "/accounts/nordwind/",
        "params": {"account": "Nordwind AG", "role": "Inside sales"},
    } | fields
    return Notification.objects.create(**values)


def _many(world: World, count: int, recipient=None) -> list[Notification]:
    return [
        _notification(world, recipient, params={"account": f"Account {i:02d}", "role": "NKAM"})
        for i in range(count)
    ]


def test_the_urls_are_where_the_bell_points() -> None:
    assert reverse("notifications:list") == LIST
    assert reverse("notifications:settings") == SETTINGS


@pytest.mark.parametrize("url", [LIST, SETTINGS, "/notifications/1/open/"])
def test_anonymous_is_sent_to_login(db: None, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


# The list ------------------------------------------------------------------------


def test_the_empty_list_says_what_comes_here_and_where_to_choose(world: World) -> None:
    text = world.client_for("member").get(LIST).content.decode()
    assert "No notifications yet." in text
    assert f'href="{SETTINGS}"' in text
    assert "Mark all read" not in text


def test_the_list_is_newest_first_paginated_and_marks_the_unread(world: World) -> None:
    _many(world, 26)
    Notification.objects.filter(params__account="Account 24").update(read_at=timezone.now())
    client = world.client_for("member")
    page = client.get(LIST)
    shown = [n.params["account"] for n in page.context["notifications"]]
    assert shown == [f"Account {i:02d}" for i in range(25, 0, -1)]
    text = page.content.decode()
    assert text.count(">unread</span>") == 24  # Account 24 is read: no badge, no button
    assert text.count(">Mark read<") == 24
    assert "You are now a lead of Account 25" in text and "Lena Lead" in text
    assert "Page 1 of 2" in text
    second = client.get(f"{LIST}?page=2")
    assert [n.params["account"] for n in second.context["notifications"]] == ["Account 00"]


def test_nobody_sees_another_persons_notifications(world: World) -> None:
    _notification(world, world.lead, params={"account": "Secret AG"})
    assert "Secret AG" not in world.client_for("member").get(LIST).content.decode()


@pytest.mark.parametrize("count", [1, 25])
def test_the_list_costs_the_same_queries_for_1_and_25(world: World, count: int) -> None:
    _many(world, count)
    # Session, user, the page's count and rows (actors joined), the top bar's
    # cache counters, the unread count (the bell's, which "Mark all read" reuses)
    # and whether the viewer is a manager (the top bar's portfolio link).
    assert page_queries(world.client_for("member"), LIST) == 7


# Following and marking read ---------------------------------------------------------


def test_following_a_notification_marks_it_read_and_goes_to_its_page(world: World) -> None:
    n = _notification(world)
    response = world.client_for("member").get(f"/notifications/{n.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/accounts/nordwind/"
    n.refresh_from_db()
    assert n.read_at is not None
    first_read = n.read_at
    world.client_for("member").get(f"/notifications/{n.pk}/open/")
    n.refresh_from_db()
    assert n.read_at == first_read  # read once, when first followed


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_a_link_off_this_site_is_never_followed(world: World, url: str) -> None:
    n = _notification(world, url=url)
    response = world.client_for("member").get(f"/notifications/{n.pk}/open/")
    assert response["Location"] == LIST


def test_another_persons_notification_is_404_and_stays_unread(world: World) -> None:
    n = _notification(world, world.lead)
    for who in ("member", "manager", "outsider"):
        client = world.client_for(who)
        assert client.get(f"/notifications/{n.pk}/open/").status_code == 404
        assert client.post(f"/notifications/{n.pk}/read/").status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_read_with_a_plain_form_goes_back_to_the_page(world: World) -> None:
    n = _notification(world)
    client = world.client_for("member")
    response = client.post(f"/notifications/{n.pk}/read/", {"next": f"{LIST}?page=1"})
    assert response["Location"] == f"{LIST}?page=1"
    n.refresh_from_db()
    assert n.read_at is not None
    other = _notification(world)
    response = client.post(f"/notifications/{other.pk}/read/", {"next": "https://evil.example/"})
    assert response["Location"] == LIST


def test_mark_read_with_htmx_swaps_the_item_and_the_bell(world: World) -> None:
    n, _other = _notification(world), _notification(world)
    response = world.client_for("member").post(
        f"/notifications/{n.pk}/read/", HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert "<html" not in text
    assert f'id="notification-{n.pk}"' in text and ">unread</span>" not in text
    assert 'id="notification-bell"' in text and 'data-hx-swap-oob="true"' in text
    assert "1 unread notification<" in text


def test_mark_all_read_marks_only_ones_own(world: World) -> None:
    _many(world, 3)
    theirs = _notification(world, world.lead)
    response = world.client_for("member").post("/notifications/read-all/", follow=True)
    assert "All your notifications are marked read." in response.content.decode()
    assert not Notification.objects.filter(recipient=world.member, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert world.client_for("member").get("/notifications/read-all/").status_code == 405


# The bell --------------------------------------------------------------------------


def test_the_bell_counts_the_unread_for_screen_readers_too(world: World) -> None:
    client = world.client_for("member")
    home = client.get("/").content.decode()
    assert "Notifications, none unread" in home
    notifications = _many(world, 3)
    _notification(world, world.lead)  # someone else's
    home = client.get("/").content.decode()
    assert '<span class="visually-hidden">3 unread notifications</span>' in home
    assert 'aria-hidden="true">3</span>' in home
    # The top bar is a cached fragment: reading one renders it afresh.
    client.get(f"/notifications/{notifications[0].pk}/open/")
    assert "2 unread notifications" in client.get("/").content.decode()


def test_the_bell_shows_99_plus_beyond_99(world: World) -> None:
    Notification.objects.bulk_create(
        Notification(recipient=world.member, kind=Kind.MADE_LEAD, url="/") for _ in range(100)
    )
    text = world.client_for("member").get(LIST).content.decode()
    assert 'aria-hidden="true">99+</span>' in text and "100 unread notifications" in text


# Settings --------------------------------------------------------------------------


def test_the_settings_show_the_defaults_grouped_and_explained(world: World) -> None:
    page = world.client_for("member").get(SETTINGS)
    assert page.status_code == 200
    text = page.content.decode()
    for title in ("Your teams", "Touchpoints", "RACI matrices", "Plans and account health"):
        assert title in text
    assert 'name="plan_reviewed" id="id_plan_reviewed_1" value="email" checked' in text
    assert 'name="touchpoint_changed" id="id_touchpoint_changed_2" value="digest" checked' in text
    assert "in the app and in the weekly digest" in text
    assert 'name="language" id="id_language_0" value="en" checked' in text


def _settings_data(**overrides: str) -> dict[str, str]:
    return (
        {kind: Channel.APP for kind in Kind.values}
        | {"language": "de", "weekly_digest": "yes"}
        | overrides
    )


def test_saving_the_settings_stores_every_choice_and_the_language(world: World) -> None:
    client = world.client_for("member")
    response = client.post(SETTINGS, _settings_data(made_lead=Channel.OFF))
    assert response.status_code == 302
    chosen = dict(
        NotificationPreference.objects.filter(user=world.member).values_list("kind", "channel")
    )
    assert chosen == {kind: Channel.APP for kind in Kind.values} | {"made_lead": Channel.OFF}
    world.member.refresh_from_db()
    assert (world.member.language, world.member.preferred_language) == ("de", "de")
    # Saved again, changed: still one row per kind.
    client.post(SETTINGS, _settings_data(made_lead=Channel.EMAIL))
    assert NotificationPreference.objects.filter(user=world.member).count() == len(Kind.values)
    assert (
        NotificationPreference.objects.get(user=world.member, kind="made_lead").channel == "email"
    )


def test_the_weekly_digest_is_turned_off_and_on_again_in_the_settings(world: World) -> None:
    from notifications.models import DigestOptOut

    client = world.client_for("member")
    assert client.post(SETTINGS, _settings_data(weekly_digest="no")).status_code == 302
    assert DigestOptOut.objects.filter(user=world.member).exists()
    page = client.get(SETTINGS).content.decode()
    assert 'name="weekly_digest" id="id_weekly_digest_1" value="no" checked' in page
    assert client.post(SETTINGS, _settings_data(weekly_digest="yes")).status_code == 302
    assert not DigestOptOut.objects.filter(user=world.member).exists()
    refused = client.post(SETTINGS, _settings_data(weekly_digest="maybe"))
    assert refused.status_code == 400 and "weekly_digest" in refused.context["form"].errors


@pytest.mark.parametrize(
    ("field", "value"), [("made_lead", "pigeon"), ("language", "fr"), ("plan_reviewed", "")]
)
def test_a_bad_choice_is_refused_at_its_field_and_nothing_is_written(
    world: World, field: str, value: str
) -> None:
    response = world.client_for("member").post(SETTINGS, _settings_data(**{field: value}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert f'id="id_{field}-error"' in response.content.decode()
    assert not NotificationPreference.objects.exists()
    world.member.refresh_from_db()
    assert world.member.language == ""


# The person's language -------------------------------------------------------------


def test_the_language_switch_keeps_the_choice_for_e_mails(world: World) -> None:
    assert world.member.preferred_language == "en"  # LANGUAGE_CODE until chosen
    response = world.client_for("member").post(
        "/i18n/setlang/", {"language": "de", "next": "/notifications/"}
    )
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    world.member.refresh_from_db()
    assert world.member.language == "de"
    # A language kamteam does not speak changes nothing.
    world.client_for("member").post("/i18n/setlang/", {"language": "fr", "next": "/"})
    world.member.refresh_from_db()
    assert world.member.language == "de"


def test_the_language_switch_still_works_before_login(db: None) -> None:
    response = Client().post("/i18n/setlang/", {"language": "de", "next": "/login/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "de"


# Administration --------------------------------------------------------------------


def test_staff_read_notifications_in_the_admin_but_write_nothing(world: World) -> None:
    _notification(world)
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    for model in ("notification", "notificationpreference"):
        assert client.get(f"/admin/notifications/{model}/").status_code == 200
        assert client.get(f"/admin/notifications/{model}/add/").status_code == 403


# The personal-data download ----------------------------------------------------------


def test_the_personal_download_holds_what_the_person_was_told_and_chose(world: World) -> None:
    _notification(world)
    NotificationPreference.objects.create(user=world.member, kind="made_lead", channel="off")
    data = world.client_for("member").get(reverse("my_export")).json()
    [told] = data["notifications_received"]
    assert (
        told["text"].startswith("You are now a lead of Nordwind AG") and told["by"] == "Lena Lead"
    )
    assert data["notification_settings"]["channels"]["made_lead"] == "off"
    caused = world.client_for("lead").get(reverse("my_export")).json()["notifications_caused"]
    assert [(c["kind"], c["told"]) for c in caused] == [("made_lead", "Max Member")]
