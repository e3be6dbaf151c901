"""Notifications for changes made in apps below this one, heard through their signals.

The team lives in `accounts`, which cannot call up into this app: it sends
`accounts.signals.team_member_changed` instead, and this module listens.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from accounts import signals as account_signals
from accounts.models import AccountTeamMember
from notifications.kinds import Kind
from notifications.services import notify
from notifications.texts import in_every_language
from users.models import User

_KINDS = {
    account_signals.MEMBER_ADDED: Kind.ADDED_TO_TEAM,
    account_signals.MEMBER_REMOVED: Kind.REMOVED_FROM_TEAM,
    account_signals.MEMBER_MADE_LEAD: Kind.MADE_LEAD,
}


def _on_team_member_changed(
    sender: type, member: AccountTeamMember, change: str, actor: User | None, **kwargs: Any
) -> None:
    kind = _KINDS[change]
    account = member.account
    # Someone taken off the team no longer sees the account: their link goes home.
    url = reverse("home") if kind == Kind.REMOVED_FROM_TEAM else account.get_absolute_url()
    notify(
        kind=kind,
        recipients=[member.user_id],
        actor=actor,
        account=account,
        url=url,
        params={"account": account.name, "role": in_every_language(lambda: member.role_label)},
    )


def connect() -> None:
    account_signals.team_member_changed.connect(
        _on_team_member_changed, dispatch_uid="notifications.team_member_changed"
    )
