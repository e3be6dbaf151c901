"""Telling people about changes that concern them, as each of them chose.

`notify` is the one way in: the apps that make the changes (team, RACI,
touchpoints, plan reviews, and later the health and reminder jobs) call it
once the change is saved, with the names the text needs.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import AccountTeamMember, KeyAccount
from core.prepared import Prepared
from notifications.kinds import DEFAULT_CHANNELS, Channel, Kind
from notifications.models import DigestOptOut, Notification, NotificationPreference
from notifications.signals import notifications_created
from users.models import MANAGERS_GROUP, User

logger = logging.getLogger(__name__)

# Kinds that reach people no longer on the account's team: the news is that
# they left it. Every other kind goes only to its active members, so nobody
# hears about an account they may not see.
FOR_FORMER_MEMBERS = frozenset({Kind.REMOVED_FROM_TEAM})
# Kinds that also reach the managers, who read every account without a seat on its team.
# A manager named in a comment, or whose review is answered, reads the thread as
# every manager reads every account.
FOR_MANAGERS = frozenset({Kind.HEALTH_BAND_DROPPED, Kind.MENTIONED, Kind.REVIEW_ANSWERED})


def channel_for(user: User | int, kind: str) -> Channel:
    """How `user` wants to hear of `kind`: their choice, else the kind's default."""
    return channels_for([user], kind)[_pk(user)]


def channels_for(users: Iterable[User | int], kind: str) -> dict[int, Channel]:
    """`channel_for` of many people in one query: {user id: channel}."""
    ids = {_pk(u) for u in users}
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=ids, kind=kind).values_list(
            "user_id", "channel"
        )
    )
    default = DEFAULT_CHANNELS[kind]
    return {pk: Channel(chosen.get(pk, default)) for pk in ids}


def preferences_of(user: User) -> dict[str, Channel]:
    """Every kind with how `user` hears of it, for their settings page."""
    chosen = dict(user.notification_preferences.values_list("kind", "channel"))
    return {kind: Channel(chosen.get(kind, DEFAULT_CHANNELS[kind])) for kind in Kind.values}


def preferences_save(
    *, user: User, channels: Mapping[str, str], language: str, weekly_digest: bool = True
) -> None:
    """Store a person's choice for every kind in `channels`, their e-mail language,
    and whether they want the weekly digest.

    Written with one upsert and an UPDATE: no page the fragment cache keeps
    shows these, so no cache counter has to move (core.fragments).
    """
    with transaction.atomic():
        NotificationPreference.objects.bulk_create(
            [NotificationPreference(user=user, kind=k, channel=c) for k, c in channels.items()],
            update_conflicts=True,
            unique_fields=["user", "kind"],
            update_fields=["channel"],
        )
        language_save(user=user, language=language)
        if weekly_digest:
            DigestOptOut.objects.filter(user=user).delete()
        else:
            DigestOptOut.objects.get_or_create(user=user)


def wants_digest(user: User) -> bool:
    return not DigestOptOut.objects.filter(user=user).exists()


def language_save(*, user: User, language: str) -> None:
    """Keep the language `user` reads kamteam in, for their e-mails.

    An UPDATE, not a save: the language is shown on no cached page, and a
    save of a person would move the counters of every account's pages.
    """
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language


def notify(
    *,
    kind: str,
    recipients: Iterable[User | int] | RoleHolders,
    actor: User | None,
    account: KeyAccount | None,
    url: str,
    params: Mapping[str, Any],
) -> list[Notification]:
    """Store a notification of `kind` for each recipient who wants to hear of it.

    `recipients`: people or their ids, or `RoleHolders` (the role's holders on
    `account`, read inside the statement that stores the notifications).
    Who hears of it is one statement whose SQL is kept per kind (core.prepared).

    Left out: the actor (nobody is told of their own change), people who are
    inactive or chose "off", and, for an account's news, anyone not on its
    team now (FOR_FORMER_MEMBERS aside). `params` must hold only names every
    recipient may see. Once the transaction commits, `notifications_created`
    carries the ones to send by e-mail at once.
    """
    account_id = account.pk if account is not None else None
    if isinstance(recipients, RoleHolders):
        # Read as a subquery of the one statement that stores the notifications
        # (_store), so that finding the recipients costs no query of its own.
        if account_id is None:
            raise ValueError("RoleHolders: the holders of a role on which account?")
        actor_id = actor.pk if actor is not None else None
        select = _holders_listening(kind).sql(recipients.role_id, account_id, actor_id)
    else:
        ids = {_pk(r) for r in recipients} - {actor.pk if actor else None}
        # Sorted: the kept query's shape is the list's length (core.prepared).
        select = _listeners_among(kind).sql(sorted(ids), account_id) if ids else None
    if select is None:
        return []
    stored = _store(
        select,
        Notification(kind=kind, actor=actor, account=account, url=url, params=dict(params)),
    )
    emailed = [n for n, channel in stored if channel == Channel.EMAIL]
    if emailed:
        transaction.on_commit(lambda: _announce(emailed))
    return [n for n, _channel in stored]


def _listening(kind: str, people: QuerySet[User], account_id: int | None) -> QuerySet[Any]:
    """(pk, channel) of `people` who may hear of `kind` and did not choose "off"."""
    if account_id is not None and kind not in FOR_FORMER_MEMBERS:
        seats = AccountTeamMember.objects.active().filter(
            account_id=account_id, user=OuterRef("pk")
        )
        may_hear = Exists(seats)
        if kind in FOR_MANAGERS:
            may_hear |= Exists(_in_managers_group())
        people = people.filter(may_hear)
    # The people and their choices for this kind, in one query.
    chosen = NotificationPreference.objects.filter(user=OuterRef("pk"), kind=kind)
    people = people.annotate(
        channel=Coalesce(Subquery(chosen.values("channel")[:1]), Value(DEFAULT_CHANNELS[kind]))
    )
    return people.exclude(channel=Channel.OFF).order_by("pk").values_list("pk", "channel")


# The kept queries of who hears of a notification, one per kind and recipients'
# form: the kind decides the query's conditions, not only a value in it.
_KEPT: dict[tuple[str, str], Prepared[..., Any]] = {}


def _kept(form: str, kind: str, build: Callable[..., QuerySet[Any]]) -> Prepared[..., Any]:
    if (form, kind) not in _KEPT:
        build.__name__ = f"{form}_{kind}"
        _KEPT[form, kind] = Prepared(build)
    return _KEPT[form, kind]


def _listeners_among(kind: str) -> Prepared[..., Any]:
    """_listening of the people with these ids."""

    def build(ids: list[int], account_id: int | None) -> QuerySet[Any]:
        return _listening(kind, User.objects.filter(pk__in=ids, is_active=True), account_id)

    return _kept("listeners", kind, build)


def _holders_listening(kind: str) -> Prepared[..., Any]:
    """_listening of the people holding a role on an account now, the actor aside."""

    def build(role_id: int, account_id: int, actor_id: int | None) -> QuerySet[Any]:
        holders = AccountTeamMember.objects.active().filter(account_id=account_id, role_id=role_id)
        people = User.objects.filter(pk__in=holders.values("user_id"), is_active=True)
        if actor_id is not None:
            people = people.exclude(pk=actor_id)
        return _listening(kind, people, account_id)

    return _kept("holders", kind, build)


def _store(
    select: tuple[str, tuple[Any, ...]], template: Notification
) -> list[tuple[Notification, Channel]]:
    """`template` stored once for each person `select` reads (pk, channel): the
    notifications, each with its channel.

    On PostgreSQL one statement reads the people and writes their
    notifications (INSERT ... SELECT ... RETURNING); elsewhere the people are
    read first and written with bulk_create.
    """
    connection = connections[Notification.objects.db]
    select_sql, select_params = select
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(select_sql, select_params)
            channels = dict(cursor.fetchall())
        created = Notification.objects.bulk_create(
            _copy(template, recipient_id=pk) for pk in channels
        )
        return [(n, Channel(channels[n.recipient_id])) for n in created]
    template.created_at = timezone.now()
    meta = Notification._meta
    params_field = meta.get_field("params")
    sql = f"""
        WITH people (pk, channel) AS ({select_sql}),
        stored AS (
            INSERT INTO {meta.db_table}
                (recipient_id, kind, actor_id, account_id, params, url, created_at, read_at)
            SELECT pk, %s, %s, %s, %s, %s, %s, NULL FROM people ORDER BY pk
            RETURNING id, recipient_id
        )
        SELECT stored.id, stored.recipient_id, people.channel
        FROM stored JOIN people ON people.pk = stored.recipient_id
        ORDER BY stored.recipient_id
    """
    values = [
        template.kind,
        template.actor_id,
        template.account_id,
        params_field.get_db_prep_save(template.params, connection),
        template.url,
        template.created_at,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*select_params, *values])
        rows = cursor.fetchall()
    return [
        (_copy(template, pk=pk, recipient_id=user_id), Channel(channel))
        for pk, user_id, channel in rows
    ]


def _copy(template: Notification, **fields: Any) -> Notification:
    notification = Notification(
        kind=template.kind,
        actor=template.actor,
        account=template.account,
        url=template.url,
        params=template.params,
        **fields,
    )
    if template.created_at is not None:
        notification.created_at = template.created_at
    if "pk" in fields:
        notification._state.adding = False
    return notification


def _announce(emailed: list[Notification]) -> None:
    """Send `notifications_created`; a failing listener (a mail queue that is down)
    is logged and neither stops the others nor turns the saved change into an error."""
    results = notifications_created.send_robust(sender=Notification, notifications=emailed)
    for receiver, result in results:
        if isinstance(result, Exception):
            logger.error(
                "notifications_created: %r failed for %d notification(s)",
                receiver,
                len(emailed),
                exc_info=result,
            )


def mark_read(*, notification: Notification) -> None:
    """Mark a notification read, once; fetch it through `for_user` (its recipient's)."""
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now


def mark_all_read(*, user: User) -> int:
    """Mark every unread notification of `user` read; how many there were."""
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


# Recipients ---------------------------------------------------------------------


def account_leads(account: KeyAccount) -> list[int]:
    """The people who lead `account` now."""
    return list(account.team_members.leads().values_list("user_id", flat=True).distinct())


def _in_managers_group() -> Any:
    return User.groups.through.objects.filter(user=OuterRef("pk"), group__name=MANAGERS_GROUP)


def managers() -> list[int]:
    """The active members of the Managers group: they review every account."""
    people = User.objects.filter(Exists(_in_managers_group()), is_active=True)
    return list(people.values_list("pk", flat=True))


def account_team(account: KeyAccount) -> list[int]:
    """Everyone on `account`'s team now."""
    return list(account.team_members.active().values_list("user_id", flat=True).distinct())


def role_holders(account: KeyAccount, role_ids: Iterable[int]) -> dict[int, set[int]]:
    """{team role id: the people holding it on `account` now}."""
    holders: dict[int, set[int]] = {pk: set() for pk in role_ids}
    seats = account.team_members.active().filter(role_id__in=holders)
    for role_id, user_id in seats.values_list("role_id", "user_id"):
        holders[role_id].add(user_id)
    return holders


@dataclass(frozen=True)
class RoleHolders:
    """`notify`'s recipients: the people holding the role on its account now."""

    role_id: int


# For the jobs that come later (health snapshots, reminders) ----------------------


def notify_health_band_dropped(
    *, account: KeyAccount, previous: str | dict[str, str], band: str | dict[str, str], url: str
) -> list[Notification]:
    """Tell the account's leads and the managers that its health fell into a worse band.

    `previous` and `band` are the bands' names, each a string or
    {language: name} (notifications.texts.in_every_language).
    """
    return notify(
        kind=Kind.HEALTH_BAND_DROPPED,
        recipients=[*account_leads(account), *managers()],
        actor=None,
        account=account,
        url=url,
        params={"account": account.name, "previous": previous, "band": band},
    )


def notify_touchpoint_reminder(
    *,
    owner: User | int,
    account: KeyAccount,
    touchpoint_id: int,
    title: str,
    contact: str,
    date: datetime.date,
    url: str,
) -> list[Notification]:
    """Remind a touchpoint's owner the day before it. `touchpoint` in the params
    lets the reminder job see which touchpoints were reminded already."""
    return notify(
        kind=Kind.TOUCHPOINT_REMINDER,
        recipients=[owner],
        actor=None,
        account=account,
        url=url,
        params={
            "account": account.name,
            "touchpoint": touchpoint_id,
            "title": title,
            "contact": contact,
            "date": date.isoformat(),
        },
    )


def _pk(user: User | int) -> int:
    return user if isinstance(user, int) else user.pk
