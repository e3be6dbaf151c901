"""Notifications the task worker stores: `notify_later` is `notify` a moment
after the change, for a change whose request should not wait for it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django_tasks import task

from accounts.models import KeyAccount
from core.task_queue import enqueue_with_transaction
from notifications.services import notify
from users.models import User


def notify_later(
    *,
    kind: str,
    recipients: Iterable[User | int],
    actor: User | None,
    account: KeyAccount,
    url: str,
    params: Mapping[str, Any],
) -> None:
    """`notify`, stored by the task worker once the change commits.

    Queued with the change (core.task_queue): with the database's queue, in
    the change's own transaction, so both commit or neither; inside
    `queued_as_one`, in the one row the change's other tasks take. Who hears of
    it is decided when the worker runs: someone taken off the team meanwhile
    no longer does. `params` must be JSON (names, numbers, booleans).
    """
    actor_id = actor.pk if actor is not None else None
    # Without the actor now: nobody hears of their own change (the owner who
    # marks their own touchpoint done queues nothing).
    ids = sorted({r if isinstance(r, int) else r.pk for r in recipients} - {actor_id})
    if not ids:
        return
    enqueue_with_transaction(
        deliver,
        kind=str(kind),
        recipients=ids,
        actor_id=actor_id,
        account_id=account.pk,
        url=url,
        params=dict(params),
    )


@task()
def deliver(
    kind: str,
    recipients: list[int],
    actor_id: int | None,
    account_id: int,
    url: str,
    params: dict[str, Any],
) -> int:
    """The worker's half of `notify_later`. Returns how many were stored (none
    when the account is gone meanwhile: its notifications would have gone with it)."""
    account = KeyAccount.objects.filter(pk=account_id).first()
    if account is None:
        return 0
    actor = User.objects.filter(pk=actor_id).first() if actor_id is not None else None
    with transaction.atomic():
        stored = notify(
            kind=kind, recipients=recipients, actor=actor, account=account, url=url, params=params
        )
    return len(stored)
