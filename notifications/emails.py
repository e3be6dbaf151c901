"""Notifications by e-mail: sent at once to people who chose Channel.EMAIL for a kind.

`notify` stores the notifications and, once the change commits, sends
`notifications_created` with those whose recipients want an e-mail; this
module hears it and hands one mail per notification to the task worker
(core.mail.send_later), never sending inside the request. Each mail is in
its recipient's language and carries a one-click unsubscribe link for its
kind (RFC 8058): a signed token, valid without logging in, that turns
e-mails of that kind off (the notification stays in the app).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core import signing
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.mail import send_later
from notifications.kinds import Channel, Kind
from notifications.models import Notification
from notifications.signals import notifications_created
from users.models import User

logger = logging.getLogger(__name__)

# Kinds whose e-mail is sent elsewhere, saying more: being put on a team is
# told by the team notice (profiles.sharing.notify_added_to_team), which always
# goes out because it says who can now see the person's profile. One mail, not two.
MAILED_ELSEWHERE = frozenset({Kind.ADDED_TO_TEAM})

# What an unsubscribe link may turn off: one kind of notification e-mail, or the digest.
DIGEST = "digest"
_SALT = "kamteam.unsubscribe"


def unsubscribe_token(user_id: int, what: str) -> str:
    """A link's token that turns off `what` (a Kind, or DIGEST) for this person.

    Signed, not stored: it works from any old mail, and changes nothing but
    how its owner hears of `what`, so it needs no expiry.
    """
    return signing.dumps({"u": user_id, "w": what}, salt=_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, what) of a genuine token, else None."""
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user_id, what = data.get("u"), data.get("w")
    if not isinstance(user_id, int) or what not in {*Kind.values, DIGEST}:
        return None
    return user_id, what


def unsubscribe_path(user_id: int, what: str) -> str:
    return reverse("unsubscribe", args=[unsubscribe_token(user_id, what)])


def notification_mail(notification: Notification) -> dict[str, Any] | None:
    """The arguments of send_later() for one notification, or None without an address."""
    recipient = notification.recipient
    if not recipient.email:
        return None
    language = recipient.preferred_language
    with translation.override(language):
        text = notification.text()
        kind = str(Kind(notification.kind).label)
        subject = _("kamteam: %(text)s") % {"text": _shorten(text)}
    return {
        "to": recipient.email,
        "subject": subject,
        "template": "notifications/email/notification",
        "context": {
            "text": text,
            "kind": kind,
            "url": reverse("notifications:open", args=[notification.pk]),
            "settings_url": reverse("notifications:settings"),
            "name": recipient.first_name or recipient.username,
        },
        "language": language,
        "unsubscribe_url": unsubscribe_path(recipient.pk, notification.kind),
    }


def _shorten(text: str, limit: int = 90) -> str:
    """A subject line short enough for a phone's list of mails."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@receiver(notifications_created, dispatch_uid="notifications.emails")
def send_notification_mails(sender: Any, notifications: list[Notification], **kwargs: Any) -> None:
    """One mail per notification whose recipient chose e-mail; queued, not sent here."""
    wanted = [n for n in notifications if n.kind not in MAILED_ELSEWHERE]
    # The recipients in one query, not one per notification.
    people = User.objects.in_bulk({n.recipient_id for n in wanted})
    for notification in wanted:
        notification.recipient = people[notification.recipient_id]
        mail = notification_mail(notification)
        if mail is None:
            logger.info("No e-mail address for %s: notification %s stays in the app",
                        notification.recipient, notification.pk)  # fmt: skip
            continue
        send_later(**mail)


def unsubscribe(user_id: int, what: str) -> None:
    """Turn off what an unsubscribe link names: e-mails of one kind, or the digest.

    A kind that comes by e-mail now comes in the app only; one the person has
    since set otherwise (digest, off) is left as they chose it.
    """
    from notifications.digest_models import DigestOptOut
    from notifications.models import NotificationPreference
    from notifications.services import channel_for

    if what == DIGEST:
        DigestOptOut.objects.get_or_create(user_id=user_id)
        return
    if channel_for(user_id, what) == Channel.EMAIL:
        NotificationPreference.objects.update_or_create(
            user_id=user_id, kind=what, defaults={"channel": Channel.APP}
        )
