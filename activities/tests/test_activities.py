"""Activities: logged by the team, read by everyone who reads the account, changed by
their author and the leads; done touchpoints become activities; the last contact and
the key players' freshness follow from them."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import BuyingCentreRole
from activities.models import Activity
from activities.selectors import last_contacts, stale_counts, stale_key_players
from tests.factories import ContactFactory, KeyAccountFactory
from tests.fixtures import World
from tests.queries import page_queries
from touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def _log(world: World, who: str = "member", **overrides) -> object:
    data = {
        "kind": "visit",
        "happened_on": _days_ago(3).isoformat(),
        "subject": "Plant tour",
        "contacts": [world.contact.pk],
        "participants": [world.member.pk, world.lead.pk],
        "note": "Saw the new line.",
    }
    data.update(overrides)
    return world.client_for(who).post(reverse("activities:create", args=[world.account.slug]), data)


def _activity(world: World, days: int = 3, **fields) -> Activity:
    fields.setdefault("logged_by", world.member)
    activity = Activity.objects.create(
        account=world.account, subject="Call", happened_on=_days_ago(days), **fields
    )
    activity.contacts.set([world.contact])
    return activity


def _key_player(world: World, code: str = "decider", **fields):  # type: ignore[no-untyped-def]
    contact = ContactFactory(account=world.account, **fields)
    contact.buying_roles.set([BuyingCentreRole.objects.get(code=code)])
    return contact


def test_a_member_logs_a_visit_with_contacts_and_colleagues(world: World) -> None:
    response = _log(world)
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert response["Location"] == activity.get_absolute_url()
    assert (activity.kind, activity.logged_by, list(activity.contacts.all())) == (
        "visit",
        world.member,
        [world.contact],
    )
    assert set(activity.participants.all()) == {world.member, world.lead}
    history = world.client_for("lead").get(reverse("accounts:history", args=[world.account.slug]))
    assert "Plant tour" in history.text  # the change is in the account's history
    page = world.client_for("manager").get(reverse("activities:list", args=[world.account.slug]))
    assert "Plant tour" in page.text and "Saw the new line." in page.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("happened_on", (TODAY + datetime.timedelta(days=1)).isoformat(), "has happened"),
        ("happened_on", "1999-12-31", "from 2000 on"),
        ("happened_on", "31.02.2026", "Enter a valid date"),
        ("contacts", [], "at least one contact"),
        ("subject", "", "This field is required"),
        ("kind", "fax", "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_at_the_field_and_nothing_is_written(
    world: World, field: str, value: object, message: str
) -> None:
    response = _log(world, **{field: value})
    assert response.status_code == 400
    assert message in response.text
    assert not Activity.objects.exists()


def test_a_contact_or_colleague_of_another_account_cannot_be_named(world: World) -> None:
    stranger = ContactFactory(account=KeyAccountFactory())
    assert _log(world, contacts=[stranger.pk]).status_code == 400
    assert _log(world, participants=[world.outsider.pk]).status_code == 400
    assert not Activity.objects.exists()


def test_who_may_log_and_change(world: World) -> None:
    mine = _activity(world, logged_by=world.member)
    leads = _activity(world, logged_by=world.lead)
    member, manager = world.client_for("member"), world.client_for("manager")
    slug = world.account.slug
    assert member.get(reverse("activities:edit", args=[slug, mine.pk])).status_code == 200
    assert member.get(reverse("activities:edit", args=[slug, leads.pk])).status_code == 403
    assert manager.get(reverse("activities:create", args=[slug])).status_code == 403
    assert manager.get(reverse("activities:edit", args=[slug, mine.pk])).status_code == 403
    outsider = world.client_for("outsider")
    assert outsider.get(reverse("activities:list", args=[slug])).status_code == 404
    assert outsider.post(reverse("activities:delete", args=[slug, mine.pk])).status_code == 404
    # The lead changes anyone's; a delete asks first, then goes.
    lead = world.client_for("lead")
    assert lead.get(reverse("activities:delete", args=[slug, mine.pk])).status_code == 200
    assert lead.post(reverse("activities:delete", args=[slug, mine.pk])).status_code == 302
    assert not Activity.objects.filter(pk=mine.pk).exists()


def test_an_edit_of_an_older_version_is_refused(world: World) -> None:
    activity = _activity(world)
    url = reverse("activities:edit", args=[world.account.slug, activity.pk])
    data = {
        "kind": "call",
        "happened_on": _days_ago(3).isoformat(),
        "subject": "Call, corrected",
        "contacts": [world.contact.pk],
        "version": activity.version,
    }
    assert world.client_for("member").post(url, data).status_code == 302
    stale = world.client_for("lead").post(url, {**data, "subject": "Overwritten"})
    assert stale.status_code == 409
    activity.refresh_from_db()
    assert activity.subject == "Call, corrected"


def test_a_done_touchpoint_becomes_an_activity_and_leaves_when_reopened(world: World) -> None:
    touchpoint = world.touchpoint
    url = reverse("touchpoints:done", args=[world.account.slug, touchpoint.pk])
    response = world.client_for("lead").post(
        url, {"outcome": "She liked it.", "version": touchpoint.version}
    )
    assert response.status_code == 302
    activity = Activity.objects.get(touchpoint=touchpoint)
    assert (activity.subject, activity.note, activity.kind) == (
        "Christmas gift",
        "She liked it.",
        "other",  # a gift reaches the contact without a conversation
    )
    assert list(activity.contacts.all()) == [world.contact]
    assert list(activity.participants.all()) == [world.lead]  # the owner
    # Changed through the touchpoint only: nobody edits it on the timeline.
    edit = reverse("activities:edit", args=[world.account.slug, activity.pk])
    assert world.client_for("lead").get(edit).status_code == 403
    touchpoint.refresh_from_db()
    touchpoint.status = Touchpoint.Status.PLANNED
    touchpoint.save()
    assert not Activity.objects.exists()


def test_a_done_touchpoints_activity_has_one_created_entry_with_whom_it_was_with(
    world: World,
) -> None:
    """One "created" entry that already holds the contact and the participants,
    by the person who marked the touchpoint done (not one entry per step)."""
    touchpoint = world.touchpoint
    url = reverse("touchpoints:done", args=[world.account.slug, touchpoint.pk])
    world.client_for("lead").post(url, {"outcome": "Fine.", "version": touchpoint.version})
    activity = Activity.objects.get(touchpoint=touchpoint)
    entries = list(activity.history.all())
    assert [e.history_type for e in entries] == ["+"]
    assert entries[0].history_user == world.lead
    assert [c.customercontact_id for c in entries[0].contacts.all()] == [world.contact.pk]
    assert [p.user_id for p in entries[0].participants.all()] == [world.lead.pk]


def test_a_done_touchpoints_date_and_title_follow_into_its_activity(world: World) -> None:
    touchpoint = world.touchpoint
    touchpoint.status = Touchpoint.Status.DONE
    touchpoint.save()
    first = Activity.objects.get(touchpoint=touchpoint)
    # Without a date: today, or its quarter's end once that is past.
    assert first.happened_on == min(TODAY, datetime.date(2026, 12, 31))
    touchpoint.date = datetime.date(2026, 11, 2)
    touchpoint.title = "Christmas card"
    touchpoint.save()
    first.refresh_from_db()
    assert (first.happened_on, first.subject) == (datetime.date(2026, 11, 2), "Christmas card")
    assert Activity.objects.count() == 1  # no second entry


def test_the_timeline_filters_by_kind_person_and_contact(world: World) -> None:
    other = ContactFactory(account=world.account, last_name="Other")
    call = _activity(world, kind="call", logged_by=world.lead)
    visit = _activity(world, kind="visit", logged_by=world.member)
    visit.contacts.set([other])
    visit.participants.set([world.member])
    url = reverse("activities:list", args=[world.account.slug])
    client = world.client_for("member")

    def shown(query: str) -> set[int]:
        page = client.get(url + query)
        assert page.status_code == 200
        return {a.pk for a in page.context["page"].object_list}

    assert shown("") == {call.pk, visit.pk}
    assert shown("?kind=call") == {call.pk}
    assert shown(f"?person={world.member.pk}") == {visit.pk}
    assert shown(f"?contact={other.pk}") == {visit.pk}
    # Nonsense is no filter, never an error.
    assert shown("?kind=fax&person=abc&contact=99999999999999999999") == {call.pk, visit.pk}


def test_last_contact_on_the_contact_list_sorts_the_longest_unseen_first(world: World) -> None:
    seen = ContactFactory(account=world.account, last_name="Seen")
    _activity(world, days=40)  # world.contact
    recent = _activity(world, days=2)
    recent.contacts.set([seen])
    never = ContactFactory(account=world.account, last_name="Never")
    assert last_contacts([world.contact.pk, seen.pk, never.pk]) == {
        world.contact.pk: _days_ago(40),
        seen.pk: _days_ago(2),
    }
    page = world.client_for("member").get(
        reverse("accounts:contacts", args=[world.account.slug]) + "?sort=last_contact"
    )
    order = [c.pk for c in page.context["contacts"]]
    assert order.index(never.pk) < order.index(world.contact.pk) < order.index(seen.pk)
    detail = world.client_for("member").get(world.contact.get_absolute_url())
    assert "Last contact:" in detail.text and "Call" in detail.text


def test_key_players_not_met_for_the_accounts_days_are_flagged(world: World) -> None:
    world.account.freshness_days = 30
    world.account.save()
    stale = _key_player(world, "decider", last_name="Decider")
    fresh = _key_player(world, "influencer", last_name="Influencer")
    _key_player(world, "buyer", last_name="Buyer")  # not a key player: never flagged
    old = _activity(world, days=31)
    old.contacts.set([stale])
    new = _activity(world, days=30)
    new.contacts.set([fresh])
    never = _key_player(world, "approver", last_name="Approver")
    assert [c.pk for c in stale_key_players(world.account, TODAY)] == [never.pk, stale.pk]
    assert stale_counts([world.account], TODAY) == {world.account.pk: 2}
    overview = world.client_for("member").get(world.account.get_absolute_url())
    assert "2 key players not contacted lately" in overview.text
    portfolio = world.client_for("manager").get(reverse("portfolio:portfolio"))
    assert "2 key players not met lately" in portfolio.text
    # Archived key players are nobody's worry.
    never.archived_at = timezone.now()
    never.save()
    assert stale_counts([world.account], TODAY) == {world.account.pk: 1}


def test_freshness_days_are_bounded_at_the_field(world: World) -> None:
    from accounts.forms import KeyAccountForm

    form = KeyAccountForm(instance=world.account)
    data = {**form.initial, "freshness_days": 3, "version": world.account.version}
    data = {k: v for k, v in data.items() if v is not None}
    bound = KeyAccountForm(data, instance=world.account)
    assert not bound.is_valid() and "freshness_days" in bound.errors


@pytest.mark.parametrize("size", [3, 30])
def test_the_timeline_reads_in_a_fixed_number_of_queries(world: World, size: int) -> None:
    for i in range(size):
        activity = _activity(world, days=i)
        activity.participants.set([world.member, world.lead])
    client: Client = world.client_for("member")
    counts = page_queries(client, reverse("activities:list", args=[world.account.slug]))
    assert counts == PINNED_TIMELINE


PINNED_TIMELINE = 11


def test_the_migration_gives_every_done_touchpoint_its_activity(world: World) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("activities.migrations.0002_done_touchpoints")
    dated = Touchpoint.objects.create(
        account=world.account,
        contact=world.contact,
        year=2026,
        quarter=3,
        date=datetime.date(2026, 8, 4),
        kind="call",
        title="Call about the retrofit",
        owner=world.membership,
    )
    # Written past the signals, as data from before the app was.
    Touchpoint.objects.filter(pk__in=[dated.pk, world.touchpoint.pk]).update(
        status="done", outcome="Done."
    )
    migration.done_touchpoints_become_activities(apps, None)
    made = {a.touchpoint_id: a for a in Activity.objects.all()}
    assert set(made) == {dated.pk, world.touchpoint.pk}
    call = made[dated.pk]
    assert (call.kind, call.happened_on, call.subject, call.note) == (
        "call",
        datetime.date(2026, 8, 4),
        "Call about the retrofit",
        "Done.",
    )
    assert list(call.contacts.all()) == [world.contact]
    assert list(call.participants.all()) == [world.member]
    assert made[world.touchpoint.pk].happened_on == min(TODAY, datetime.date(2026, 12, 31))
