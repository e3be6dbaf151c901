"""notify_later: the notification of a change stored by the task worker, queued
with the change (notifications.tasks)."""

from __future__ import annotations

import pytest
from django.db import transaction

from accounts.services import member_remove
from notifications.models import Kind, Notification
from notifications.tasks import deliver, notify_later
from tests.fixtures import DatabaseQueue, World

pytestmark = pytest.mark.django_db

PARAMS = {"account": "Nordwind AG", "title": "Plant tour", "contact": "Eva Berg", "done": True}


def _later(world: World, recipients, actor) -> None:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        notify_later(
            kind=Kind.TOUCHPOINT_CHANGED,
            recipients=recipients,
            actor=actor,
            account=world.account,
            url="/accounts/nordwind/touchpoints/?year=2026",
            params=PARAMS,
        )


def test_stored_by_the_worker_with_its_words_and_never_for_the_actor(
    world: World, database_queue: DatabaseQueue
) -> None:
    _later(world, [world.member, world.lead], actor=world.lead)
    assert database_queue.waiting() == ["notifications.tasks.deliver"]
    assert not Notification.objects.exists()  # the request stored nothing
    assert database_queue.run() == 1
    (told,) = Notification.objects.all()
    assert (told.recipient, told.actor, told.account) == (world.member, world.lead, world.account)
    assert (told.kind, told.params, told.url) == (
        Kind.TOUCHPOINT_CHANGED,
        PARAMS,
        "/accounts/nordwind/touchpoints/?year=2026",
    )


def test_who_hears_is_decided_when_the_worker_runs(
    world: World, database_queue: DatabaseQueue
) -> None:
    """Taken off the team before the worker came, the member no longer may see
    the account's news: nothing is stored for them."""
    _later(world, [world.member], actor=world.lead)
    member_remove(member=world.membership, actor=world.lead)
    database_queue.run()
    assert not Notification.objects.filter(
        recipient=world.member, kind=Kind.TOUCHPOINT_CHANGED
    ).exists()


def test_an_account_gone_before_the_worker_came_is_told_of_nothing(world: World) -> None:
    stored = deliver.call(
        kind=Kind.TOUCHPOINT_CHANGED,
        recipients=[world.member.pk],
        actor_id=world.lead.pk,
        account_id=world.account.pk + 1000,
        url="/",
        params=PARAMS,
    )
    assert stored == 0
    assert not Notification.objects.exists()


def test_told_of_nobody_but_the_actor_queues_nothing(
    world: World, database_queue: DatabaseQueue
) -> None:
    _later(world, [world.lead], actor=world.lead)
    assert database_queue.waiting() == []
